--
-- iq_installment_plan_violations and iq_installment_plan_check: every rule
-- of the rules alone and several at once in the documented order, the
-- boundaries of the contract term and of the acceptance date, hostile input,
-- the check as a CHECK constraint, and random valid plans broken one rule
-- at a time.  Repeatable: setseed fixes the random values.
--
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

--
-- A valid plan
--

-- no rows, and the check is true, with and without an acceptance date
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01,2024-03-01}',
                                             '{33.34,33.33,33.33}', 100,
                                             '[2024-01-01,2025-01-01)', '2024-01-01');
SELECT iq_installment_plan_check('{2024-01-01,2024-02-01,2024-03-01}', '{33.34,33.33,33.33}', 100,
                                 '[2024-01-01,2025-01-01)', '2024-01-01') AS with_acceptance,
       iq_installment_plan_check('{2024-01-01,2024-02-01,2024-03-01}', '{33.34,33.33,33.33}', 100,
                                 '[2024-01-01,2025-01-01)') AS without_acceptance,
       -- dates need not be in order, amounts may be zero or carry trailing zeros
       iq_installment_plan_check('{2024-03-01,2024-01-01,2024-02-01}', '{0,100.000,0.00}', 100.00,
                                 '[2024-01-01,2025-01-01)') AS any_order;

--
-- Every rule alone (the term is 2024 throughout unless said otherwise)
--

-- payment_count: no invoice dates at all
SELECT * FROM iq_installment_plan_violations('{}', '{}', 0, '[2024-01-01,2025-01-01)');

-- payment_count: 61 distinct dates whose amounts add up
SELECT * FROM iq_installment_plan_violations(
    ARRAY(SELECT date '2024-01-01' + k FROM generate_series(0, 60) AS k),
    array_fill(1.00, ARRAY[61]), 61, '[2024-01-01,2025-01-01)');

-- length_mismatch, both ways, with amounts that add up
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01,2024-03-01}', '{50,50}', 100,
                                             '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{50,50,0}', 100,
                                             '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2024-01-01}', '{100,0}', 100,
                                             '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{100}', 100,
                                             '[2024-01-01,2025-01-01)');

-- null_value: a date, an amount, both (the non-NULL amounts add up)
SELECT * FROM iq_installment_plan_violations('{2024-01-01,NULL,2024-03-01}', '{50,25,25}', 100,
                                             '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01,2024-03-01}', '{50,NULL,50}', 100,
                                             '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2024-01-01,NULL}', '{100,NULL}', 100,
                                             '[2024-01-01,2025-01-01)');

-- negative_amount
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{100.01,-0.01}', 100,
                                             '[2024-01-01,2025-01-01)');

-- amount_precision: sub-cent amounts that add up exactly to the total are
-- a violation each, but no total_mismatch; trailing zeros are fine
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{50.005,49.995}', 100,
                                             '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{50.00000,50.000000000000000000000}', 100,
                                             '[2024-01-01,2025-01-01)');
-- an amount both negative and sub-cent breaks both rules (they add up)
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{100.005,-0.005}', 100,
                                             '[2024-01-01,2025-01-01)');

-- duplicate_invoice_date: each repeat names the first installment with that
-- date, here a date repeated three times
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-01-01}', '{50,50}', 100,
                                             '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2024-03-01,2024-01-01,2024-03-01,2024-03-01}',
                                             '{25,25,25,25}', 100, '[2024-01-01,2025-01-01)');

-- total_mismatch: a cent short, a cent over
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{50.00,49.99}', 100,
                                             '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{50.00,50.01}', 100,
                                             '[2024-01-01,2025-01-01)');

-- after_contract_end: the message names the term's last day
SELECT * FROM iq_installment_plan_violations('{2024-06-01,2025-01-01}', '{50,50}', 100,
                                             '[2024-01-01,2025-01-01)');

-- backdated_invoices: two dates before the acceptance date ...
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01,2024-03-01}', '{40,30,30}', 100,
                                             '[2024-01-01,2025-01-01)', '2024-03-01');
-- ... or, without one, before the term's first day
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01,2024-03-01}', '{40,30,30}', 100,
                                             '[2024-03-01,2025-01-01)');

--
-- Several violations at once: payment_count and length_mismatch first,
-- then installment by installment (null_value, negative_amount,
-- amount_precision, duplicate_invoice_date, after_contract_end), then
-- total_mismatch and backdated_invoices
--
SELECT * FROM iq_installment_plan_violations('{2023-01-01,NULL,2023-01-01,2026-01-01}',
                                             '{-1,10.001,NULL}', 100, '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{}', '{5}', 10, '[2024-01-01,2025-01-01)');
-- 61 dates from 2023-12-31 to 2024-02-29 but 60 amounts: the last date has
-- no amount (not a NULL one) and is after the term
SELECT * FROM iq_installment_plan_violations(
    ARRAY(SELECT date '2023-12-31' + k FROM generate_series(0, 60) AS k),
    array_fill(1.00, ARRAY[60]), 61, '[2023-12-01,2024-02-29)', '2024-01-02');
-- within an installment the documented order too: negative_amount before
-- after_contract_end; amount_precision, duplicate_invoice_date, after_contract_end
SELECT * FROM iq_installment_plan_violations('{2025-02-01,2025-02-01}', '{-5,105.001}', 100,
                                             '[2024-01-01,2025-01-01)');

--
-- Boundaries
--

-- the term's last day is accepted, the day after is not; an inclusive upper
-- bound means the same term
SELECT * FROM iq_installment_plan_violations('{2024-12-31}', '{100}', 100, '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2025-01-01}', '{100}', 100, '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2024-12-31}', '{100}', 100, '[2024-01-01,2024-12-31]');
SELECT * FROM iq_installment_plan_violations('{2025-01-01}', '{100}', 100, '[2024-01-01,2024-12-31]');

-- a leap day as the term's last day
SELECT * FROM iq_installment_plan_violations('{2024-01-31,2024-02-29}', '{50,50}', 100, '[2024-01-01,2024-02-29]');
SELECT * FROM iq_installment_plan_violations('{2024-01-31,2024-03-01}', '{50,50}', 100, '[2024-01-01,2024-02-29]');

-- one date before acceptance is fine (AWS raises it at acceptance), two are
-- not; a date on the acceptance date is not backdated
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-15,2024-03-01}', '{40,30,30}', 100,
                                             '[2024-01-01,2025-01-01)', '2024-02-15');
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-14,2024-03-01}', '{40,30,30}', 100,
                                             '[2024-01-01,2025-01-01)', '2024-02-15');

-- without an acceptance date the term's first day is the reference: one
-- date before it is fine, two are not
SELECT * FROM iq_installment_plan_violations('{2023-12-31,2024-01-01}', '{50,50}', 100,
                                             '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2023-12-30,2023-12-31,2024-01-01}', '{40,30,30}', 100,
                                             '[2024-01-01,2025-01-01)');

-- an acceptance date replaces the term's first day as the reference
SELECT * FROM iq_installment_plan_violations('{2023-11-01,2023-12-01,2024-01-01}', '{40,30,30}', 100,
                                             '[2024-01-01,2025-01-01)', '2023-11-01');
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01,2024-03-01}', '{40,30,30}', 100,
                                             '[2024-01-01,2025-01-01)', '2024-06-01');

-- a term unbounded below with no acceptance date never backdates; one
-- unbounded above never ends
SELECT * FROM iq_installment_plan_violations('{1990-01-01,2000-01-01,2010-01-01}', '{40,30,30}', 100,
                                             '(,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{2024-01-01,3000-01-01,5874897-12-31,infinity}',
                                             '{25,25,25,25}', 100, '[2024-01-01,)');

-- 1 and 60 payments are valid, 61 are not
SELECT count(*) AS one_payment FROM iq_installment_plan_violations('{2024-01-01}', '{100}', 100, '[2024-01-01,2025-01-01)');
SELECT count(*) AS sixty_payments
  FROM iq_installment_plan_violations(ARRAY(SELECT date '2024-01-01' + k FROM generate_series(0, 59) AS k),
                                      array_fill(1.00, ARRAY[60]), 60, '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations(ARRAY(SELECT date '2024-01-01' + k FROM generate_series(0, 60) AS k),
                                             array_fill(1.00, ARRAY[61]), 61, '[2024-01-01,2025-01-01)');

--
-- Hostile input
--

-- arrays whose lower bound is not 1: installments are 1-based positions
SELECT * FROM iq_installment_plan_violations('[0:1]={2024-01-01,2024-02-01}'::date[], '{50,50}', 100,
                                             '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('[0:2]={2024-01-01,2024-02-01,2024-02-01}'::date[],
                                             '[-5:-3]={40,30,-30}'::numeric[], 40,
                                             '[2024-01-01,2025-01-01)');

-- arrays of NULLs only
SELECT * FROM iq_installment_plan_violations('{NULL,NULL}', '{NULL,NULL}', 0, '[2024-01-01,2025-01-01)');

-- a NULL in any of the first four arguments: no rows, and the check is NULL
SELECT (SELECT count(*) FROM iq_installment_plan_violations(NULL, '{100}', 100, '[2024-01-01,2025-01-01)')) AS null_dates,
       (SELECT count(*) FROM iq_installment_plan_violations('{2024-01-01}', NULL, 100, '[2024-01-01,2025-01-01)')) AS null_amounts,
       (SELECT count(*) FROM iq_installment_plan_violations('{2024-01-01}', '{100}', NULL, '[2024-01-01,2025-01-01)')) AS null_total,
       (SELECT count(*) FROM iq_installment_plan_violations('{2024-01-01}', '{100}', 100, NULL)) AS null_term,
       (SELECT count(*) FROM iq_installment_plan_violations(NULL, '{1,2}', -1, 'empty')) AS null_and_bad;
SELECT iq_installment_plan_check(NULL, '{100}', 100, '[2024-01-01,2025-01-01)') IS NULL AS null_dates,
       iq_installment_plan_check('{2024-01-01}', NULL, 100, '[2024-01-01,2025-01-01)') IS NULL AS null_amounts,
       iq_installment_plan_check('{2024-01-01}', '{100}', NULL, '[2024-01-01,2025-01-01)') IS NULL AS null_total,
       iq_installment_plan_check('{2024-01-01}', '{100}', 100, NULL) IS NULL AS null_term,
       iq_installment_plan_check('{2024-01-01}', '{100}', 100, '[2024-01-01,2025-01-01)', NULL) AS null_acceptance;

-- infinite invoice dates: infinity is after any bounded term, -infinity is
-- before any start (one backdated date is fine, two are not)
SELECT * FROM iq_installment_plan_violations('{-infinity,2024-06-01,infinity}', '{40,30,30}', 100,
                                             '[2024-01-01,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{-infinity,-infinity}', '{50,50}', 100,
                                             '[2024-01-01,2025-01-01)');
-- a term that includes infinity, and one that stops just before it
SELECT * FROM iq_installment_plan_violations('{2024-01-01,infinity}', '{50,50}', 100, '[2024-01-01,infinity]');
SELECT * FROM iq_installment_plan_violations('{2024-01-01,infinity}', '{50,50}', 100, '[2024-01-01,infinity)');
-- a term starting at -infinity: nothing is before lower(term) = -infinity,
-- whether the bound is inclusive or not, so only the repeat is reported
SELECT * FROM iq_installment_plan_violations('{-infinity,-infinity,2024-05-01}', '{40,30,30}', 100,
                                             '[-infinity,2025-01-01)');
SELECT * FROM iq_installment_plan_violations('{-infinity,-infinity,2024-05-01}', '{40,30,30}', 100,
                                             '(-infinity,2025-01-01)');
-- an acceptance date of -infinity backdates nothing, infinity everything
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{50,50}', 100,
                                             '[2024-01-01,2025-01-01)', '-infinity');
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{50,50}', 100,
                                             '[2024-01-01,2025-01-01)', 'infinity');

-- a two-dimensional array: 22023
SELECT * FROM iq_installment_plan_violations('{{2024-01-01},{2024-02-01}}', '{50,50}', 100,
                                             '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{{50},{50}}', 100,
                                             '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE

-- an empty contract term, or one that starts after infinity: 22023
SELECT * FROM iq_installment_plan_violations('{2024-01-01}', '{100}', 100, 'empty');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan_violations('{2024-01-01}', '{100}', 100, '[2024-01-01,2024-01-01)');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan_violations('{2024-01-01}', '{100}', 100, '(infinity,)');
\echo :LAST_ERROR_SQLSTATE

-- an amount that is not a finite number: 22023; too large: 22003
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{100,NaN}', 100,
                                             '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan_violations('{2024-01-01}', '{Infinity}', 100, '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan_violations('{2024-01-01}', '{-Infinity}', 100, '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{0,1000000000000000}', 100,
                                             '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE

-- a bad contract total: negative, sub-cent or NaN 22023, too large 22003
SELECT * FROM iq_installment_plan_violations('{2024-01-01}', '{100}', -100, '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan_violations('{2024-01-01}', '{100}', 100.001, '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan_violations('{2024-01-01}', '{100}', 'NaN', '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan_violations('{2024-01-01}', '{100}', 1e15, '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
-- the largest total is fine
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{999999999999999.98,0.01}',
                                             999999999999999.99, '[2024-01-01,2025-01-01)');

-- an array too long to check: 54000, either array
SELECT * FROM iq_installment_plan_violations(array_fill(date '2024-01-01', ARRAY[10001]), '{100}', 100,
                                             '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan_violations('{2024-01-01}', array_fill(0.00, ARRAY[10001]), 0,
                                             '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
-- 10000 entries are still checked: too many payments, nothing else wrong
SELECT * FROM iq_installment_plan_violations(ARRAY(SELECT date '2024-01-01' + k FROM generate_series(1, 10000) AS k),
                                             array_fill(0.00, ARRAY[10000]), 0, '[2024-01-01,)');
-- 10000 backdated dates: the list of installments is cut short to fit
SELECT rule, length(message) <= 255 AS fits,
       message LIKE '10000 invoice dates (installments 1, 2, 3, %, ...) are before the acceptance date 2100-01-01; at most 1 may be' AS shape
  FROM iq_installment_plan_violations(ARRAY(SELECT date '2024-01-01' + k FROM generate_series(1, 10000) AS k),
                                      array_fill(0.00, ARRAY[10000]), 0, '[2024-01-01,)', '2100-01-01')
 WHERE rule = 'backdated_invoices';

--
-- iq_installment_plan_check: the first violation as the message, all of
-- them in the detail, SQLSTATE 23514
--
SELECT iq_installment_plan_check('{2023-01-01,NULL,2023-01-01,2026-01-01}', '{-1,10.001,NULL}', 100,
                                 '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_installment_plan_check('{2024-01-01,2024-02-01}', '{50.00,49.99}', 100, '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_installment_plan_check('{2024-01-01,2024-02-01,2024-03-01}', '{40,30,30}', 100,
                                 '[2024-01-01,2025-01-01)', '2024-03-01');
\echo :LAST_ERROR_SQLSTATE
-- hostile input is the same error as for iq_installment_plan_violations
SELECT iq_installment_plan_check('{2024-01-01}', '{100}', 100, 'empty');
\echo :LAST_ERROR_SQLSTATE

--
-- As a CHECK constraint on a table holding each schedule as two arrays
--
CREATE TEMP TABLE offer_schedule (
    offer_id       integer PRIMARY KEY,
    contract_total numeric NOT NULL,
    contract_term  daterange NOT NULL,
    accepted_on    date,
    invoice_dates  date[] NOT NULL,
    amounts        numeric[] NOT NULL,
    CONSTRAINT offer_schedule_valid
        CHECK (iq_installment_plan_check(invoice_dates, amounts, contract_total,
                                         contract_term, accepted_on))
);

-- a valid plan, one generated by iq_installment_plan, and one not yet accepted
INSERT INTO offer_schedule
VALUES (1, 100, '[2024-01-01,2025-01-01)', '2024-01-15',
        '{2024-01-01,2024-02-01,2024-03-01}', '{33.34,33.33,33.33}');
INSERT INTO offer_schedule
SELECT 2, 1000, '[2024-01-01,2024-12-31]', '2024-01-31',
       array_agg(invoice_date ORDER BY installment), array_agg(amount ORDER BY installment)
  FROM iq_installment_plan(1000, 12, '2024-01-31', '1 month', 250);
INSERT INTO offer_schedule
VALUES (3, 50, '[2024-06-01,2024-07-01)', NULL, '{2024-06-30}', '{50}');

-- an invalid plan is refused, with the rule in the message
INSERT INTO offer_schedule
VALUES (4, 100, '[2024-01-01,2025-01-01)', NULL,
        '{2024-01-01,2024-02-01,2024-03-01}', '{33.33,33.33,33.33}');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO offer_schedule
VALUES (4, 100, '[2024-01-01,2025-01-01)', NULL,
        '{2024-01-01,2024-01-01}', '{50,50}');
\echo :LAST_ERROR_SQLSTATE

-- an update that breaks the plan is refused: shortening the term, moving
-- acceptance after two invoice dates, changing one amount
UPDATE offer_schedule SET contract_term = '[2024-01-01,2024-03-01)' WHERE offer_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE offer_schedule SET accepted_on = '2024-02-15' WHERE offer_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE offer_schedule SET amounts[2] = 33.00 WHERE offer_id = 1;
\echo :LAST_ERROR_SQLSTATE

-- an update that keeps it valid is accepted
UPDATE offer_schedule SET amounts = '{50.00,25.00,25.00}' WHERE offer_id = 1;

SELECT offer_id, contract_total, contract_term, accepted_on, cardinality(invoice_dates) AS payments,
       invoice_dates[1] AS first_date, invoice_dates[cardinality(invoice_dates)] AS last_date,
       amounts[1] AS first_amount, amounts[2] AS second_amount
  FROM offer_schedule ORDER BY offer_id;

DROP TABLE offer_schedule;

--
-- Random valid plans, each broken in exactly one rule: that rule, and only
-- that rule, is reported, at the right installments
--
SELECT setseed(0.4242);

CREATE TEMP TABLE break_random AS
SELECT i, random() AS r_rule, random() AS r_variant, random() AS r_payments,
       random() AS r_total, random() AS r_magnitude, random() AS r_first,
       random() AS r_frequency, random() AS r_before, random() AS r_after,
       random() AS r_acceptance, random() AS r_position, random() AS r_size
  FROM generate_series(1, 5400) AS i;

CREATE TEMP TABLE break_plan AS
SELECT i, rule, variant, r_position, r_size,
       -- breaking payment_count by one more date needs 60; the rules that
       -- move something between two installments need 2
       CASE WHEN rule = 'payment_count' AND variant > 0 THEN 60
            WHEN rule IN ('negative_amount', 'amount_precision', 'duplicate_invoice_date',
                          'backdated_invoices') THEN 2 + floor(r_payments * 59)::int
            ELSE 1 + floor(r_payments * 60)::int
       END AS payments,
       round((r_total * 10 ^ (r_magnitude * 12))::numeric, 2) + 1.00 AS total,
       date '2000-01-01' + floor(r_first * 36500)::int AS first_invoice_date,
       (ARRAY['1 month', '3 months', '1 year', '14 days', '1 month 15 days'])[1 + floor(r_frequency * 5)::int]::interval
           AS frequency,
       floor(r_before * 31)::int AS days_before,
       2 + floor(r_after * 30)::int AS days_after,
       floor(r_acceptance * 3)::int AS acceptance_kind
  FROM (SELECT *, (ARRAY['payment_count', 'length_mismatch', 'null_value', 'negative_amount',
                         'amount_precision', 'duplicate_invoice_date', 'total_mismatch',
                         'after_contract_end', 'backdated_invoices'])[1 + floor(r_rule * 9)::int] AS rule,
               floor(r_variant * 3)::int AS variant
          FROM break_random) AS r;

CREATE TEMP TABLE break_rows AS
SELECT b.i, p.installment, p.invoice_date, p.amount
  FROM break_plan AS b,
       LATERAL iq_installment_plan(b.total, b.payments, b.first_invoice_date, b.frequency) AS p;

-- the valid plan: a term from days_before before the first date to
-- days_after after the last, accepted on no date, the first or the second
CREATE TEMP TABLE break_base AS
SELECT b.*, r.dates, r.amounts,
       daterange(b.first_invoice_date - b.days_before, r.dates[b.payments] + b.days_after) AS term,
       CASE b.acceptance_kind WHEN 1 THEN r.dates[1] WHEN 2 THEN r.dates[least(2, b.payments)] END AS acceptance,
       -- the installment to break; never the first when an amount moves
       -- between it and the first (which has the largest amount) or when
       -- it is the second date before the new reference; never the last
       -- when it takes the next one's date
       CASE WHEN b.rule IN ('negative_amount', 'amount_precision', 'backdated_invoices')
            THEN 2 + floor(b.r_position * (b.payments - 1))::int
            WHEN b.rule = 'duplicate_invoice_date'
            THEN 1 + floor(b.r_position * (b.payments - 1))::int
            ELSE 1 + floor(b.r_position * b.payments)::int
       END AS k
  FROM break_plan AS b
  JOIN (SELECT i, array_agg(invoice_date ORDER BY installment) AS dates,
               array_agg(amount ORDER BY installment) AS amounts
          FROM break_rows GROUP BY i) AS r USING (i);

-- every base plan is valid
SELECT count(*) AS base_plans,
       count(*) FILTER (WHERE EXISTS (SELECT FROM iq_installment_plan_violations(dates, amounts, total, term, acceptance)))
           AS base_with_violations,
       count(*) FILTER (WHERE iq_installment_plan_check(dates, amounts, total, term, acceptance) IS NOT TRUE)
           AS base_check_failed,
       count(*) FILTER (WHERE amounts[1] < (SELECT max(a) FROM unnest(amounts) AS a)) AS first_not_largest
  FROM break_base;

-- break exactly one rule of each
CREATE TEMP TABLE break_input AS
SELECT i, rule, variant, payments,
       CASE WHEN rule = 'payment_count' AND variant = 0 THEN '{}'
            WHEN rule = 'payment_count' THEN dates || (dates[payments] + 1)
            ELSE ARRAY(SELECT CASE WHEN rule = 'null_value' AND variant > 0 AND n = k THEN NULL
                                   WHEN rule = 'duplicate_invoice_date' AND n = k THEN dates[k + 1]
                                   WHEN rule = 'after_contract_end' AND n = payments
                                       THEN upper(term) + floor(r_size * 100)::int
                                   ELSE d END
                         FROM unnest(dates) WITH ORDINALITY AS u(d, n) ORDER BY n)
       END AS dates,
       CASE WHEN rule = 'payment_count' AND variant = 0 THEN '{}'
            WHEN rule = 'payment_count' THEN amounts || 0.00
            WHEN rule = 'length_mismatch' AND variant = 0 THEN amounts[1:payments - 1]
            WHEN rule = 'length_mismatch' THEN amounts || 0.00
            ELSE ARRAY(SELECT CASE WHEN rule = 'null_value' AND variant <> 1 AND n = k THEN NULL
                                   -- k gets a negative amount, 1 makes up for it
                                   WHEN rule = 'negative_amount' AND n = k THEN -negative
                                   WHEN rule = 'negative_amount' AND n = 1 THEN a + amounts[k] + negative
                                   -- a sub-cent amount moves from 1 to k
                                   WHEN rule = 'amount_precision' AND n = k THEN a + subcent
                                   WHEN rule = 'amount_precision' AND n = 1 THEN a - subcent
                                   ELSE a END
                         FROM unnest(amounts) WITH ORDINALITY AS u(a, n) ORDER BY n)
       END AS amounts,
       CASE WHEN rule = 'payment_count' AND variant = 0 THEN 0
            WHEN rule = 'length_mismatch' AND variant = 0 THEN total - amounts[payments]
            WHEN rule = 'null_value' AND variant <> 1 THEN total - amounts[k]
            WHEN rule = 'total_mismatch' AND variant = 0 THEN total - 0.01
            WHEN rule = 'total_mismatch' THEN total + 0.01 + round(r_size::numeric * 1000, 2)
            ELSE total
       END AS total,
       CASE WHEN rule = 'backdated_invoices' AND variant = 0
            THEN daterange(dates[k] + 1, upper(term)) ELSE term END AS term,
       CASE WHEN rule = 'backdated_invoices' AND variant = 0 THEN NULL
            WHEN rule = 'backdated_invoices' THEN dates[k] + 1 + floor(r_size * (dates[payments] - dates[k]))::int
            ELSE acceptance END AS acceptance,
       -- the installments the violation must name
       CASE WHEN rule IN ('null_value', 'negative_amount') THEN ARRAY[k]
            WHEN rule = 'amount_precision' THEN ARRAY[1, k]
            WHEN rule = 'duplicate_invoice_date' THEN ARRAY[k + 1]
            WHEN rule = 'after_contract_end' THEN ARRAY[payments]
            ELSE ARRAY[NULL::int]
       END AS expected_installments
  FROM (SELECT *, 0.01 + round(r_size::numeric * 100, 2) AS negative,
               (1 + floor(r_size * 9)::int) * 0.001 AS subcent
          FROM break_base) AS b;

-- what is reported, rule by rule: all plans broken, each exactly as intended
SELECT b.rule, count(*) > 400 AS enough_plans,
       count(*) FILTER (WHERE v.rules IS NULL) AS not_reported,
       count(*) FILTER (WHERE v.rules <> ARRAY[b.rule] AND v.rules IS NOT NULL) AS other_rules_reported,
       count(*) FILTER (WHERE v.installments IS DISTINCT FROM b.expected_installments) AS installments_wrong,
       count(*) FILTER (WHERE NOT v.messages_ok) AS messages_wrong
  FROM break_input AS b
  LEFT JOIN LATERAL (SELECT array_agg(DISTINCT rule) AS rules,
                            array_agg(installment ORDER BY installment) AS installments,
                            bool_and(message LIKE CASE WHEN installment IS NULL THEN '%' ELSE 'installment ' || installment || ' %' END)
                                AS messages_ok
                       FROM iq_installment_plan_violations(b.dates, b.amounts, b.total, b.term, b.acceptance)) AS v
    ON true
 GROUP BY b.rule
 ORDER BY array_position(ARRAY['payment_count', 'length_mismatch', 'null_value', 'negative_amount',
                               'amount_precision', 'duplicate_invoice_date', 'total_mismatch',
                               'after_contract_end', 'backdated_invoices'], b.rule);

-- and iq_installment_plan_check refuses each with 23514, naming that rule
DO $$
DECLARE
    plan record;
    refused integer := 0;
    wrong integer := 0;
BEGIN
    FOR plan IN SELECT * FROM break_input ORDER BY i LOOP
        BEGIN
            PERFORM iq_installment_plan_check(plan.dates, plan.amounts, plan.total,
                                              plan.term, plan.acceptance);
            wrong := wrong + 1;
        EXCEPTION WHEN check_violation THEN
            IF SQLERRM LIKE 'installment plan breaks rule ' || plan.rule || ': %' THEN
                refused := refused + 1;
            ELSE
                wrong := wrong + 1;
            END IF;
        END;
    END LOOP;
    RAISE NOTICE 'broken plans refused: %, accepted or refused for another rule: %', refused, wrong;
END
$$;

-- every variant of every rule was exercised
SELECT count(DISTINCT (rule, variant)) AS rule_variants,
       count(*) FILTER (WHERE payments = 60) > 100 AS sixty_payments,
       count(*) FILTER (WHERE payments = 1) > 10 AS one_payment
  FROM break_input;

DROP TABLE break_random, break_plan, break_rows, break_base, break_input;
