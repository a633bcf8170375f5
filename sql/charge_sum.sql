--
-- iq_charge_sum: every figure of many payment requests in one pass, each
-- priced on its own approval date, against the per-request functions;
-- iq_amount_problem: the message the pricing functions would raise.
--
SET datestyle = 'ISO, YMD';
\set VERBOSITY default
SELECT setseed(0.4711);

CREATE TABLE charge_request AS
SELECT i AS id,
       CASE WHEN i % 50 = 0 THEN NULL
            ELSE round((random() * 100000)::numeric, 2) END AS amount,
       CASE WHEN i % 70 = 0 THEN NULL
            ELSE date '2019-01-01' + (random() * 2500)::int END AS approved_on
  FROM generate_series(1, 20000) AS i;

-- equal to the sums of the per-request figures, to the cent; rows without
-- an amount or a date are not counted
SELECT (t).requests = count(*) FILTER (WHERE amount IS NOT NULL AND approved_on IS NOT NULL)
           AS requests_match,
       (t).amount = sum(amount) FILTER (WHERE approved_on IS NOT NULL) AS amount_match,
       (t).expert_fee = sum(iq_expert_fee(amount, approved_on)) AS fee_match,
       (t).expert_payout = sum(iq_payout(amount, approved_on)) AS payout_match,
       (t).buyer_fee = sum(iq_buyer_fee(amount, approved_on)) AS buyer_fee_match,
       (t).buyer_total = sum(iq_buyer_total(amount, approved_on)) AS buyer_total_match,
       (t).expert_payout = iq_payout_sum(amount, approved_on) AS payout_sum_match
  FROM charge_request, (SELECT iq_charge_sum(amount, approved_on) AS t FROM charge_request) AS s
 GROUP BY t;

-- a monthly report: the figures and what the 2020 waiver cost
SELECT date_trunc('month', approved_on)::date AS month, (iq_charge_sum(amount, approved_on)).*
  FROM charge_request
 WHERE approved_on >= '2020-03-01' AND approved_on < '2020-09-01'
 GROUP BY 1 ORDER BY 1;

-- a month by month comparison with the per-request figures
SELECT count(*) AS months,
       count(*) FILTER (WHERE (t).expert_fee IS DISTINCT FROM fee
                           OR (t).buyer_total IS DISTINCT FROM total) AS months_differ
  FROM (SELECT date_trunc('month', approved_on) AS m, iq_charge_sum(amount, approved_on) AS t,
               sum(iq_expert_fee(amount, approved_on)) AS fee,
               sum(iq_buyer_total(amount, approved_on)) AS total
          FROM charge_request GROUP BY 1) AS r;

-- nothing to count: NULL, as sum() gives
SELECT iq_charge_sum(amount, approved_on) IS NULL AS empty FROM charge_request WHERE false;
SELECT iq_charge_sum(amount, approved_on) IS NULL AS all_null
  FROM charge_request WHERE amount IS NULL OR approved_on IS NULL;
SELECT (iq_charge_sum(amount, approved_on) FILTER (WHERE id <= 3)).* FROM charge_request;

-- in parallel: partial aggregates in the workers, combined in the leader
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT iq_charge_sum(amount, approved_on) FROM charge_request;
SELECT iq_charge_sum(amount, approved_on) = (SELECT iq_charge_sum(amount, approved_on)
                                               FROM (SELECT * FROM charge_request OFFSET 0) AS s)
           AS parallel_matches
  FROM charge_request;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- past 64 bits of cents: 200 of the largest amount, waived and not
SELECT (iq_charge_sum(999999999999999.99, d)).*
  FROM generate_series(1, 200) AS i,
       LATERAL (SELECT CASE WHEN i % 2 = 0 THEN date '2020-05-01' ELSE date '2024-01-01' END) AS x(d);

-- a bad amount stops the aggregate with the pricing functions' error
SELECT iq_charge_sum(amount, '2024-01-01') FROM (VALUES (10.00), (-25.00)) AS v(amount);
\echo :LAST_ERROR_SQLSTATE
-- a date no schedule row covers, likewise
BEGIN;
DELETE FROM iq_fee_schedule WHERE effective @> date '2024-01-01';
SELECT iq_charge_sum(10, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

--
-- iq_amount_problem: NULL for an amount the pricing functions take, else
-- exactly the message of the error they raise for it
--
CREATE FUNCTION pricing_error(amount numeric) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM iq_payout(amount, '2024-01-01');
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLERRM;
END $$;
SELECT a AS amount, iq_amount_problem(a) AS problem,
       iq_amount_problem(a) IS NOT DISTINCT FROM pricing_error(a) AS same_as_error
  FROM unnest('{0,10.5,10.500,-25.00,-0.001,10.005,999999999999999.99,1000000000000000,NaN,Infinity,-Infinity}'::numeric[]) AS a;
SELECT iq_amount_problem(NULL) IS NULL AS strict;
-- the rows that would stop a report
SELECT id, amount, iq_amount_problem(amount)
  FROM (VALUES (1, 100.00), (2, -25.00), (3, 12.345)) AS r(id, amount)
 WHERE iq_amount_problem(amount) IS NOT NULL;

DROP FUNCTION pricing_error(numeric);
DROP TABLE charge_request;
