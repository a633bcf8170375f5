--
-- Bad input: every error names the value and has its SQLSTATE.
--
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

-- negative, NaN and infinite amounts: 22023
SELECT iq_payout(-0.01, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_expert_fee(-1000, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_buyer_fee('NaN', '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_buyer_total('Infinity', '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_charge('-Infinity', '2024-01-01');
\echo :LAST_ERROR_SQLSTATE

-- a non-zero digit past the cent: 22023 (trailing zeros are fine)
SELECT iq_payout(10.005, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_payout(0.001, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_payout(10.50000000000000000001, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_payout(10.500000, '2024-01-01') AS trailing_zeros_are_fine;

-- too large to price exactly: 22003
SELECT iq_payout(1000000000000000, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_buyer_total(1e100, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE

-- rates out of range or too precise: 22023
SELECT iq_fee_at(100, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_fee_at(100, 1.5);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_fee_at(100, -0.01);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_fee_at(100, 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_fee_at(100, 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_fee_at(100, 0.1234567890123456789);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_fee_at(100, 1/3::numeric);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_fee_at(100.001, 0.15);
\echo :LAST_ERROR_SQLSTATE

-- an approval date no schedule row covers: 22023
BEGIN;
DELETE FROM iq_fee_schedule WHERE effective @> date '2020-05-01';
SELECT iq_payout(1000, '2020-05-01');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- a bad row of a multi-row query stops the query
SELECT iq_payout(a, '2024-01-01') FROM unnest('{1, 2, 3.333}'::numeric[]) AS a;
\echo :LAST_ERROR_SQLSTATE
