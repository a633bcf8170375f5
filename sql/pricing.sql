--
-- Pricing functions: the documented examples, the waiver boundaries, half-up
-- rounding, the largest amount and the functions' labels.
--
SET datestyle = 'ISO, YMD';

-- the documented examples, and AWS's 1,000 USD request
SELECT iq_payout(1000, '2020-08-01') AS payout,
       iq_buyer_total(1000, '2020-08-01') AS buyer_total,
       iq_payout(1000, '2020-06-30') AS waived_payout,
       iq_expert_fee(1000, '2020-08-01') AS fee,
       iq_buyer_fee(1000, '2020-08-01') AS buyer_fee;

-- results always carry exactly two decimals
SELECT iq_payout(1000, '2020-08-01')::text AS payout,
       iq_expert_fee(0, '2020-08-01')::text AS zero_fee,
       iq_fee_at(7, 0.5)::text AS fee_at;

SELECT * FROM iq_charge(1000, '2020-08-01');
SELECT * FROM iq_charge(1000, '2020-06-30');

-- the waiver runs from 2020-04-16 to 2020-06-30 inclusive
SELECT d AS approved_on,
       iq_expert_fee(1000, d) AS fee, iq_payout(1000, d) AS payout,
       iq_buyer_fee(1000, d) AS buyer_fee, iq_buyer_total(1000, d) AS buyer_total
  FROM unnest('{2020-04-15,2020-04-16,2020-06-30,2020-07-01}'::date[]) AS d;

-- half up: 0.045 -> 0.05, 0.015 -> 0.02, 0.0045 -> 0.00
SELECT amount,
       iq_expert_fee(amount, '2024-01-01') AS fee,
       iq_payout(amount, '2024-01-01') AS payout,
       iq_buyer_fee(amount, '2024-01-01') AS buyer_fee,
       iq_buyer_total(amount, '2024-01-01') AS buyer_total
  FROM unnest('{0, 0.01, 0.03, 0.10, 0.30, 0.50, 0.70, 10.500, 333.33, 1234.57}'::numeric[]) AS amount;

-- iq_fee_at: any rate 0 <= rate < 1, half up
SELECT iq_fee_at(0.30, 0.15) AS "0.045",
       iq_fee_at(0.01, 0.5) AS "0.005",
       iq_fee_at(0.01, 0.49999999) AS "0.0049999999",
       iq_fee_at(1000, 0) AS zero_rate,
       iq_fee_at(1000, 0.999999999999999999) AS "just below 1",
       iq_fee_at(1000, 0.150000000000000000000000) AS trailing_zeros,
       iq_fee_at(100, 0.333333333333333333) AS eighteen_places;

-- the largest amount is priced exactly
SELECT * FROM iq_charge(999999999999999.99, '2024-01-01');
SELECT iq_fee_at(999999999999999.99, 0.999999999999999999) AS fee_at_max;

-- infinite approval dates fall in the open-ended shipped rows
SELECT iq_payout(1000, 'infinity') AS at_infinity,
       iq_payout(1000, '-infinity') AS at_minus_infinity;

-- approved_on defaults to the current date
SELECT iq_payout(1000) = iq_payout(1000, current_date) AS payout_default,
       iq_charge(1000) = iq_charge(1000, current_date) AS charge_default;

-- NULL in, NULL out
SELECT iq_payout(NULL, '2024-01-01') IS NULL AS a,
       iq_expert_fee(1000, NULL) IS NULL AS b,
       iq_charge(NULL, '2024-01-01') IS NULL AS c,
       iq_fee_at(NULL, 0.1) IS NULL AS d,
       iq_fee_at(1, NULL) IS NULL AS e;

-- the invariants hold row by row
SELECT count(*) AS requests,
       count(*) FILTER (WHERE (c).expert_fee + (c).expert_payout <> (c).amount) AS payout_broken,
       count(*) FILTER (WHERE (c).amount + (c).buyer_fee <> (c).buyer_total) AS total_broken
  FROM (SELECT iq_charge(a / 100.0, '2020-01-01'::date + (a % 400)) AS c
          FROM generate_series(0, 100000, 7) AS a) AS priced;

-- labels: volatility, strictness and parallel safety
SELECT p.oid::regprocedure AS function, provolatile, proisstrict, proparallel
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'iqfees')
 ORDER BY p.oid::regprocedure::text;
