--
-- iq_installment_plan: invoice dates anchored to the first one (never
-- drifting), equal splits exact to the cent with the odd cents first, the
-- initial payment, NULLs, every error with its SQLSTATE, and thousands of
-- random plans checked against plain SQL.  Repeatable: setseed fixes the random values.
--
SET datestyle = 'ISO, YMD';
-- error messages show frequencies in the default interval style, not the
-- postgres_verbose style pg_regress sets
SET intervalstyle = 'postgres';

--
-- Invoice dates
--

-- the documented example: monthly from 2024-01-31 is clamped to each month's
-- last day and comes back to the 31st; stepping month by month would have
-- drifted to 2024-03-29.  The default frequency is one month; the column
-- "postgres" is the same date as PostgreSQL computes it.
SELECT p.*, (date '2024-01-31' + (installment - 1) * interval '1 month')::date AS postgres
  FROM iq_installment_plan(1000, 6, '2024-01-31') AS p;

-- a non-leap year: 2023-01-31 monthly gives 2023-02-28, then the 31st again
SELECT * FROM iq_installment_plan(300, 3, '2023-01-31');

-- a leap day, yearly: 2025-02-28 .. 2027-02-28, and 2028-02-29 again
SELECT * FROM iq_installment_plan(500, 5, '2024-02-29', '1 year');

-- quarterly from a 30th: 2025-02-28, then back to the 30th
SELECT * FROM iq_installment_plan(400, 4, '2024-11-30', '3 months');

-- yearly from the last day of a year
SELECT * FROM iq_installment_plan(300, 3, '2024-12-31', '1 year');

-- every 14 days, across the leap day
SELECT * FROM iq_installment_plan(100, 4, '2024-02-01', '14 days');

-- months first, then days, as PostgreSQL adds an interval to a date:
-- 2024-01-31 + 1 month 15 days = 2024-02-29 + 15 days = 2024-03-15, and
-- installment 3 is 2024-01-31 + 2 months 30 days = 2024-03-31 + 30 days
SELECT p.*, (date '2024-01-31' + (installment - 1) * interval '1 month 15 days')::date AS postgres
  FROM iq_installment_plan(100, 4, '2024-01-31', '1 month 15 days') AS p;

-- every two years from a leap day: 2026-02-28, then 2028-02-29
SELECT * FROM iq_installment_plan(300, 3, '2024-02-29', '2 years');

-- the same frequency written differently gives the same plan
SELECT (SELECT array_agg(p ORDER BY installment) FROM iq_installment_plan(100, 12, '2024-01-31', '1 year') AS p) =
       (SELECT array_agg(p ORDER BY installment) FROM iq_installment_plan(100, 12, '2024-01-31', '12 months') AS p)
           AS year_is_12_months,
       (SELECT array_agg(p ORDER BY installment) FROM iq_installment_plan(100, 12, '2024-01-31', 'P3M') AS p) =
       (SELECT array_agg(p ORDER BY installment) FROM iq_installment_plan(100, 12, '2024-01-31', '3 months') AS p)
           AS iso_quarter,
       (SELECT array_agg(p ORDER BY installment) FROM iq_installment_plan(100, 12, '2024-01-31') AS p) =
       (SELECT array_agg(p ORDER BY installment) FROM iq_installment_plan(100, 12, '2024-01-31', '1 month') AS p)
           AS default_is_monthly;

-- dates BC, and the first day PostgreSQL knows, agree with PostgreSQL
SELECT p.*, (date '0001-12-31 BC' + (installment - 1) * interval '2 months')::date AS postgres
  FROM iq_installment_plan(100, 3, '0001-12-31 BC', '2 months') AS p;
SELECT p.*, (date '4714-11-24 BC' + (installment - 1) * interval '1 year')::date AS postgres
  FROM iq_installment_plan(100, 3, '4714-11-24 BC', '1 year') AS p;

-- the last dates of the date range are still reachable
SELECT * FROM iq_installment_plan(100, 3, '5874897-10-31');
SELECT * FROM iq_installment_plan(100, 2, '5874897-12-30', '1 day');

--
-- Amounts
--

-- equal split, the cents that do not divide go to the earliest installments
SELECT * FROM iq_installment_plan(100.00, 3, '2024-01-01');
SELECT * FROM iq_installment_plan(0.05, 3, '2024-01-01');
SELECT * FROM iq_installment_plan(0.00, 3, '2024-01-01');
SELECT * FROM iq_installment_plan(100, 7, '2024-01-01');

-- an initial payment; the rest (749.99) split equally over the other three
SELECT * FROM iq_installment_plan(1000, 4, '2024-01-01', '1 month', 250.01);

-- an initial payment of the whole total leaves zeros; one of zero is fine
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 month', 100);
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 month', 0);

-- a NULL initial payment means none
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 month', NULL);

-- one payment, with and without an initial payment equal to the total
SELECT * FROM iq_installment_plan(123.45, 1, '2024-01-31');
SELECT * FROM iq_installment_plan(123.45, 1, '2024-01-31', '1 year', 123.45);

-- 60 payments: 1000.00 is 40 x 16.67 then 20 x 16.66, 2024-01 .. 2028-12
SELECT count(*) AS payments, sum(amount) AS total,
       min(installment) AS first_installment, max(installment) AS last_installment,
       min(invoice_date) AS first_date, max(invoice_date) AS last_date,
       count(*) FILTER (WHERE amount = 16.67) AS "16.67",
       count(*) FILTER (WHERE amount = 16.66) AS "16.66",
       max(installment) FILTER (WHERE amount = 16.67) AS last_16_67
  FROM iq_installment_plan(1000, 60, '2024-01-31');
SELECT * FROM iq_installment_plan(1000, 60, '2024-01-31') WHERE installment IN (1, 40, 41, 60);

-- the largest total over 60 payments adds up exactly:
-- 99999999999999999 cents = 60 x 1666666666666666 + 39
SELECT count(*) AS payments, sum(amount) AS total,
       sum(amount) = 999999999999999.99 AS exact,
       count(*) FILTER (WHERE amount = 16666666666666.67) AS "x.67",
       count(*) FILTER (WHERE amount = 16666666666666.66) AS "x.66",
       max(installment) FILTER (WHERE amount = 16666666666666.67) AS last_67
  FROM iq_installment_plan(999999999999999.99, 60, '2024-01-01');
SELECT * FROM iq_installment_plan(999999999999999.99, 60, '2024-01-01', '1 month', 999999999999999.99)
 WHERE installment IN (1, 2, 60);

-- amounts always have scale 2, whatever the scale of the input
SELECT installment, amount::text AS amount
  FROM iq_installment_plan(300, 3, '2024-01-01', '1 month', 100.000);
SELECT (SELECT amount::text FROM iq_installment_plan(0, 1, '2024-01-01')) AS zero,
       (SELECT amount::text FROM iq_installment_plan(7, 1, '2024-01-01')) AS whole,
       (SELECT amount::text FROM iq_installment_plan(10.5, 1, '2024-01-01')) AS one_decimal,
       (SELECT amount::text FROM iq_installment_plan(10.500000, 1, '2024-01-01')) AS trailing_zeros;

-- it also works in a select list
SELECT iq_installment_plan(100, 2, '2024-01-31') AS installment;

-- the documented labels: IMMUTABLE PARALLEL SAFE, not STRICT (an
-- optional argument may be NULL)
SELECT oid::regprocedure AS function, provolatile, proparallel, proisstrict, proretset
  FROM pg_proc
 WHERE proname IN ('iq_installment_plan', 'iq_installment_plan_violations', 'iq_installment_plan_check')
 ORDER BY oid::regprocedure::text;

--
-- NULLs
--

-- a NULL in any required argument gives no rows, before any other check
SELECT (SELECT count(*) FROM iq_installment_plan(NULL, 3, '2024-01-01')) AS null_total,
       (SELECT count(*) FROM iq_installment_plan(100, NULL, '2024-01-01')) AS null_payments,
       (SELECT count(*) FROM iq_installment_plan(100, 3, NULL)) AS null_first_date,
       (SELECT count(*) FROM iq_installment_plan(100, 3, '2024-01-01', NULL)) AS null_frequency,
       (SELECT count(*) FROM iq_installment_plan(NULL, 0, 'infinity', '-1 day', -1)) AS null_and_bad;

--
-- Errors: each names the bad value
--

-- the number of payments: 22023, naming the limit
SELECT * FROM iq_installment_plan(100, 0, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 61, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, -1, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE

-- a frequency that is not whole positive months and days: 22023
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '0 days');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '-1 month');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 month -1 day');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 hour');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '36 hours');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 day 1 second');
\echo :LAST_ERROR_SQLSTATE
-- one payment needs no step, but the frequency must still be valid
SELECT * FROM iq_installment_plan(100, 1, '2024-01-01', '0 days');
\echo :LAST_ERROR_SQLSTATE

-- an infinite first invoice date: 22023
SELECT * FROM iq_installment_plan(100, 3, 'infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 3, '-infinity');
\echo :LAST_ERROR_SQLSTATE

-- invoice dates past the end of the date range: 22008, like date + interval;
-- the last valid date is 5874897-12-31
SELECT * FROM iq_installment_plan(100, 20, '5874890-01-01', '1 year');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 4, '5874897-10-31');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 3, '5874897-12-30', '1 day');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 2, '2024-01-01', '178956970 years');
\echo :LAST_ERROR_SQLSTATE

-- a bad contract total: negative, NaN, infinite or sub-cent 22023,
-- too large 22003
SELECT * FROM iq_installment_plan(-0.01, 3, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan('NaN', 3, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan('Infinity', 3, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan('-Infinity', 3, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100.001, 3, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(1000000000000000, 3, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE

-- a bad initial payment, the same way
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 month', -1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 month', 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 month', 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 month', 0.001);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 month', 1000000000000000);
\echo :LAST_ERROR_SQLSTATE

-- an initial payment larger than the total would leave a negative rest: 22023
SELECT * FROM iq_installment_plan(100, 3, '2024-01-01', '1 month', 100.01);
\echo :LAST_ERROR_SQLSTATE
-- with one payment, the initial payment must be the whole total: 22023
SELECT * FROM iq_installment_plan(100, 1, '2024-01-01', '1 month', 99.99);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(100, 1, '2024-01-01', '1 month', 0);
\echo :LAST_ERROR_SQLSTATE

--
-- Thousands of random plans against plain SQL: dates as PostgreSQL adds
-- an interval to a date, amounts from exact integer division of the cents.
--
SELECT setseed(0.6060);

CREATE TEMP TABLE plan_random AS
SELECT i, random() AS r_total, random() AS r_digits, random() AS r_magnitude,
       random() AS r_payments, random() AS r_day, random() AS r_day_kind,
       random() AS r_leap_year, random() AS r_frequency, random() AS r_months,
       random() AS r_days, random() AS r_initial, random() AS r_share
  FROM generate_series(1, 6000) AS i;

CREATE TEMP TABLE plan_args AS
SELECT i, total, payments, first_invoice_date, frequency,
       CASE WHEN r_initial < 0.30 AND payments > 1 THEN round(total * r_share::numeric, 2)
            WHEN r_initial < 0.35 THEN total
            WHEN r_initial < 0.38 AND payments > 1 THEN 0
       END AS initial_payment
  FROM (SELECT i, r_initial, r_share,
               -- totals of every magnitude with all digits random, the
               -- largest and zero
               CASE WHEN r_total < 0.03 THEN 999999999999999.99
                    WHEN r_total < 0.05 THEN 0.00
                    ELSE mod(floor(r_digits * 1e9)::numeric * 1e9 + floor(r_total * 1e9)::numeric,
                             10 ^ (1 + floor(r_magnitude * 17))::numeric) * 0.01
               END AS total,
               1 + floor(r_payments * 60)::int AS payments,
               -- any day, the last day of a month, or a leap day
               CASE WHEN r_day_kind < 0.60 THEN day
                    WHEN r_day_kind < 0.90 THEN (day - extract(day FROM day)::int + 1 + interval '1 month')::date - 1
                    ELSE make_date(1904 + 4 * floor(r_leap_year * 49)::int, 2, 29)
               END AS first_invoice_date,
               -- whole months, whole days, or both
               CASE WHEN r_frequency < 0.45 THEN make_interval(months => 1 + floor(r_months * 24)::int)
                    WHEN r_frequency < 0.70 THEN make_interval(days => 1 + floor(r_days * 60)::int)
                    ELSE make_interval(months => 1 + floor(r_months * 12)::int, days => 1 + floor(r_days * 30)::int)
               END AS frequency
          FROM (SELECT *, date '1900-01-01' + floor(r_day * 73000)::int AS day FROM plan_random) AS r) AS a;

-- the plans cover what matters
SELECT count(*) AS plans,
       count(*) FILTER (WHERE payments = 1) > 50 AS one_payment,
       count(*) FILTER (WHERE payments = 60) > 50 AS sixty_payments,
       count(*) FILTER (WHERE total = 999999999999999.99) > 100 AS largest_total,
       count(*) FILTER (WHERE total = 0) > 50 AS zero_total,
       count(*) FILTER (WHERE total > 1e12) > 1000 AS large_totals,
       count(*) FILTER (WHERE total < 1) > 50 AS totals_below_1,
       count(*) FILTER (WHERE initial_payment IS NOT NULL AND payments > 1) > 1000 AS initial_payments,
       count(*) FILTER (WHERE initial_payment = total AND payments > 1) > 50 AS initial_is_total,
       count(*) FILTER (WHERE initial_payment = 0) > 50 AS initial_zero,
       count(*) FILTER (WHERE extract(day FROM first_invoice_date) = 31) > 500 AS first_on_31st,
       count(*) FILTER (WHERE to_char(first_invoice_date, 'MM-DD') = '02-29') > 300 AS first_on_leap_day,
       count(*) FILTER (WHERE months > 0 AND days = 0) > 1000 AS months_only,
       count(*) FILTER (WHERE months = 0 AND days > 0) > 1000 AS days_only,
       count(*) FILTER (WHERE months > 0 AND days > 0) > 1000 AS months_and_days,
       count(*) FILTER (WHERE mod((total - coalesce(initial_payment, 0)) * 100,
                                  greatest(payments - (initial_payment IS NOT NULL)::int, 1)) <> 0) > 3000 AS odd_cents
  FROM (SELECT *, extract(year FROM frequency) * 12 + extract(month FROM frequency) AS months,
               extract(day FROM frequency) AS days
          FROM plan_args) AS a;

CREATE TEMP TABLE plan_rows AS
SELECT a.i, p.installment, p.invoice_date, p.amount
  FROM plan_args AS a,
       LATERAL iq_installment_plan(a.total, a.payments, a.first_invoice_date,
                                   a.frequency, a.initial_payment) AS p;

-- what each row must be, computed independently: the date as PostgreSQL
-- adds an interval to a date, the amount from integer division of the cents
-- left after the initial payment
CREATE TEMP TABLE plan_expected AS
SELECT a.*, k AS installment,
       (a.first_invoice_date + (k - 1) * a.frequency)::date AS invoice_date,
       CASE WHEN a.initial_payment IS NOT NULL AND k = 1 THEN a.initial_payment
            ELSE 0.01 * (div(rest_cents, shares) +
                         CASE WHEN k - 1 - split_from < mod(rest_cents, shares) THEN 1 ELSE 0 END)
       END AS amount,
       k > split_from AS split
  FROM (SELECT *, (initial_payment IS NOT NULL)::int AS split_from,
               (total - coalesce(initial_payment, 0)) * 100 AS rest_cents,
               greatest(payments - (initial_payment IS NOT NULL)::int, 1) AS shares
          FROM plan_args) AS a,
       generate_series(1, a.payments) AS k;

-- row by row against the independent computation: all zero
SELECT count(*) AS expected_rows,
       count(*) FILTER (WHERE r.i IS NULL) AS rows_missing,
       count(*) FILTER (WHERE e.i IS NULL) AS rows_extra,
       count(*) FILTER (WHERE r.invoice_date IS DISTINCT FROM e.invoice_date) AS date_wrong,
       count(*) FILTER (WHERE r.amount IS DISTINCT FROM e.amount) AS amount_wrong,
       count(*) FILTER (WHERE scale(r.amount) <> 2) AS scale_wrong
  FROM plan_expected AS e
  FULL JOIN plan_rows AS r USING (i, installment);

-- plan by plan, the documented promises: all zero
SELECT count(*) = 6000 AS all_plans_checked,
       count(*) FILTER (WHERE n IS DISTINCT FROM payments) AS count_wrong,
       count(*) FILTER (WHERE amount_sum IS DISTINCT FROM total) AS sum_wrong,
       count(*) FILTER (WHERE min_installment <> 1 OR max_installment <> payments
                              OR distinct_installments <> payments) AS numbers_wrong,
       count(*) FILTER (WHERE not_increasing > 0) AS dates_not_increasing,
       count(*) FILTER (WHERE split_spread > 0.01) AS spread_above_a_cent,
       count(*) FILTER (WHERE split_increase > 0) AS later_share_larger,
       count(*) FILTER (WHERE initial_payment IS NOT NULL AND first_amount <> initial_payment) AS initial_wrong,
       count(*) FILTER (WHERE first_date <> first_invoice_date) AS first_date_wrong,
       count(*) FILTER (WHERE negative > 0) AS negative_amounts
  FROM (SELECT a.i, a.payments, a.total, a.initial_payment, a.first_invoice_date,
               count(r.i) AS n, sum(r.amount) AS amount_sum,
               min(r.installment) AS min_installment, max(r.installment) AS max_installment,
               count(DISTINCT r.installment) AS distinct_installments,
               count(*) FILTER (WHERE r.invoice_date <= r.previous_date) AS not_increasing,
               max(r.amount) FILTER (WHERE r.installment > (a.initial_payment IS NOT NULL)::int) -
               min(r.amount) FILTER (WHERE r.installment > (a.initial_payment IS NOT NULL)::int) AS split_spread,
               count(*) FILTER (WHERE r.installment > 1 + (a.initial_payment IS NOT NULL)::int
                                  AND r.amount > r.previous_amount) AS split_increase,
               min(r.amount) FILTER (WHERE r.installment = 1) AS first_amount,
               min(r.invoice_date) FILTER (WHERE r.installment = 1) AS first_date,
               count(*) FILTER (WHERE r.amount < 0) AS negative
          FROM plan_args AS a
          LEFT JOIN (SELECT *, lag(invoice_date) OVER w AS previous_date,
                               lag(amount) OVER w AS previous_amount
                       FROM plan_rows
                     WINDOW w AS (PARTITION BY i ORDER BY installment)) AS r USING (i)
         GROUP BY a.i, a.payments, a.total, a.initial_payment, a.first_invoice_date) AS per_plan;

-- every generated plan passes the validation, with a term from its first to
-- its last date and its first date as the acceptance date
SELECT count(*) = 6000 AS all_plans_checked,
       count(*) FILTER (WHERE iq_installment_plan_check(dates, amounts, total,
                                                        daterange(dates[1], dates[payments], '[]'),
                                                        dates[1]) IS NOT TRUE) AS check_failed,
       count(*) FILTER (WHERE EXISTS (SELECT FROM iq_installment_plan_violations(
                                                    dates, amounts, total,
                                                    daterange(dates[1], dates[payments], '[]'),
                                                    dates[1]))) AS with_violations
  FROM (SELECT a.i, a.total, a.payments,
               array_agg(r.invoice_date ORDER BY r.installment) AS dates,
               array_agg(r.amount ORDER BY r.installment) AS amounts
          FROM plan_args AS a JOIN plan_rows AS r USING (i)
         GROUP BY a.i, a.total, a.payments) AS plans;

DROP TABLE plan_random, plan_args, plan_rows, plan_expected;
