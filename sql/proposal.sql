--
-- Fixed-price proposals: payment requests against the proposal price, their
-- violations and check, and the aggregate iq_payout_sum.
--
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

--
-- iq_proposal_requests
--

-- milestones within the price, then one that would exceed what is left:
-- it is refused, so the balance stays for the last one
SELECT * FROM iq_proposal_requests(1000, '{400,350,300,250}');
-- exactly the price, and a request of zero after it
SELECT * FROM iq_proposal_requests(1000.00, '{1000.000,0}');
-- a request with no amount yet changes nothing
SELECT * FROM iq_proposal_requests(1000, '{400,NULL,600.5}');
-- no requests yet
SELECT count(*) AS requests FROM iq_proposal_requests(1000, '{}');
-- a price of zero takes only requests of zero
SELECT * FROM iq_proposal_requests(0, '{0,0.01}');
-- the largest amounts
SELECT * FROM iq_proposal_requests(999999999999999.99, '{999999999999999.98,0.01,0.01}');
-- a lower bound other than 1: requests are counted from 1
SELECT * FROM iq_proposal_requests(100, '[0:2]={50,60,50}'::numeric[]);
-- NULL arguments: no rows
SELECT (SELECT count(*) FROM iq_proposal_requests(NULL, '{1}')) AS null_price,
       (SELECT count(*) FROM iq_proposal_requests(100, NULL)) AS null_requests;

-- bad amounts are errors naming the request: 22023, too large 22003
SELECT * FROM iq_proposal_requests(1000, '{400,-5}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_proposal_requests(1000, '{400,10.005}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_proposal_requests(1000, '{NaN}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_proposal_requests(1000, '{Infinity}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_proposal_requests(1000, '{1000000000000000}');
\echo :LAST_ERROR_SQLSTATE
-- a bad price: 22023, too large 22003
SELECT * FROM iq_proposal_requests(-1, '{1}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_proposal_requests(0.001, '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_proposal_requests('-Infinity', '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_proposal_requests(1e20, '{}');
\echo :LAST_ERROR_SQLSTATE
-- a two-dimensional array: 22023
SELECT * FROM iq_proposal_requests(1000, '{{1},{2}}');
\echo :LAST_ERROR_SQLSTATE

--
-- iq_proposal_violations and iq_proposal_check
--

-- none when the requests fit; each request that would exceed the balance
SELECT count(*) AS none FROM iq_proposal_violations(1000, '{400,350,250}');
SELECT * FROM iq_proposal_violations(1000, '{400,350,300,250,0.01}');
-- null_value, negative_amount, amount_precision in request order; they
-- leave the balance alone
SELECT * FROM iq_proposal_violations(1000, '{NULL,-0.005,999.999,1000,1}');
-- lower bound other than 1, arrays of NULLs, empty
SELECT * FROM iq_proposal_violations(100, '[5:6]={100,1}'::numeric[]);
SELECT * FROM iq_proposal_violations(100, '{NULL,NULL}');
SELECT count(*) AS none FROM iq_proposal_violations(100, '{}');
-- NULL arguments: no rows, and the check is NULL
SELECT (SELECT count(*) FROM iq_proposal_violations(NULL, '{1}')) AS null_price,
       (SELECT count(*) FROM iq_proposal_violations(100, NULL)) AS null_requests,
       iq_proposal_check(NULL, '{1}') IS NULL AS check_null_price,
       iq_proposal_check(100, NULL) IS NULL AS check_null_requests;
-- not finite, too large, a bad price: errors, not violations
SELECT * FROM iq_proposal_violations(100, '{1,NaN}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_proposal_violations(100, '{1,1e16}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_proposal_violations(100.001, '{1}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_proposal_violations(100, '{{1},{2}}');
\echo :LAST_ERROR_SQLSTATE

-- the check: true, or 23514 with the first violation as the message
SELECT iq_proposal_check(1000, '{400,600}') AS fits;
SELECT iq_proposal_check(1000, '{400,600,0.01}');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_proposal_check(1000, '{-1,2000}');
\echo :LAST_ERROR_SQLSTATE

-- as a CHECK constraint on a proposal that keeps its requests as an array
CREATE TEMP TABLE proposal (
    id       int PRIMARY KEY,
    price    numeric(12,2) NOT NULL,
    requests numeric(12,2)[] NOT NULL DEFAULT '{}',
    CHECK (iq_proposal_check(price, requests))
);
INSERT INTO proposal VALUES (1, 1000);
UPDATE proposal SET requests = requests || 400.00 WHERE id = 1;
UPDATE proposal SET requests = requests || 600.00 WHERE id = 1;
UPDATE proposal SET requests = requests || 0.01 WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM proposal;
DROP TABLE proposal;

--
-- iq_payout_sum
--
CREATE TEMP TABLE request (
    project     int,
    amount      numeric,
    approved_on date
);
INSERT INTO request VALUES
    (1, 1000, '2020-08-01'),   -- 850.00
    (1, 1000, '2020-06-30'),   -- waived: 1000.00
    (1, 0.30, '2024-01-01'),   -- fee 0.05 (0.045 rounds up): 0.25
    (1, 500, NULL),            -- not approved yet: skipped
    (2, 333.33, '2019-12-31'), -- fee 50.00: 283.33
    (2, NULL, '2024-01-01'),   -- no amount: skipped
    (3, 250, NULL);            -- nothing approved: NULL

-- each request's payout on its own approval date, compared with iq_payout
SELECT project, iq_payout_sum(amount, approved_on) AS payout_sum,
       sum(iq_payout(amount, approved_on)) AS sum_of_payouts,
       pg_typeof(iq_payout_sum(amount, approved_on)) AS type
  FROM request GROUP BY project ORDER BY project;
-- no rows at all: NULL, as sum() gives
SELECT iq_payout_sum(amount, approved_on) IS NULL AS empty FROM request WHERE false;
-- with FILTER and ORDER BY, as any aggregate
SELECT iq_payout_sum(amount, approved_on) FILTER (WHERE project = 1) AS project_1,
       iq_payout_sum(amount, approved_on ORDER BY approved_on) AS all_projects
  FROM request;

-- past the range of a 64-bit number of cents the sum stays exact:
-- 100 waived requests of the largest amount
SELECT iq_payout_sum(999999999999999.99, '2020-05-01') AS sum_100,
       100 * 999999999999999.99 AS expected
  FROM generate_series(1, 100);

-- a bad amount, or an approval date no schedule row covers, stops the query
SELECT iq_payout_sum(a, '2024-01-01') FROM unnest('{1, 2, 3.333}'::numeric[]) AS a;
\echo :LAST_ERROR_SQLSTATE
SELECT iq_payout_sum(a, '2024-01-01') FROM unnest('{1, -2}'::numeric[]) AS a;
\echo :LAST_ERROR_SQLSTATE
BEGIN;
DELETE FROM iq_fee_schedule WHERE effective @> date '2020-05-01';
SELECT iq_payout_sum(1000, '2020-05-01');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- a schedule change is seen by the next statement
BEGIN;
INSERT INTO iq_fee_schedule VALUES ('[2030-01-01,)', 0.20, 0.05, 'new rates from 2030');
SELECT iq_payout_sum(1000, d) AS payout_sum
  FROM unnest('{2029-12-31,2030-01-01}'::date[]) AS d;
ROLLBACK;

-- in parallel: partial aggregates in the workers, combined in the leader,
-- equal to the plain sum of iq_payout over 200,000 requests
CREATE TABLE parallel_request AS
SELECT (a % 100000) / 100.0 + 0.01 AS amount, date '2020-01-01' + a % 400 AS approved_on
  FROM generate_series(1, 200000) AS a;
ANALYZE parallel_request;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT iq_payout_sum(amount, approved_on) FROM parallel_request;
SELECT iq_payout_sum(amount, approved_on) AS payout_sum FROM parallel_request;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT sum(iq_payout(amount, approved_on)) AS sum_of_payouts FROM parallel_request;
DROP TABLE parallel_request;
DROP TABLE request;
