--
-- Hostile input, function by function: NULL in each argument; negative,
-- NaN, infinite, sub-cent and oversized amounts; infinite dates; empty,
-- unbounded and inverted ranges; empty, NULL-holding, multi-dimensional
-- and non-1-based arrays; mixed and negative intervals; rates at and
-- past their limits.  Each call gives a result or an error with its
-- SQLSTATE, never a crash, and the table below pins which.
--
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';

-- the result of a scalar call as text, or its SQLSTATE and message
CREATE FUNCTION pg_temp.try(call text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE 'SELECT (' || call || ')::text' INTO result;
    RETURN coalesce(result, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;

-- what a statement's RETURNING clause gives, or its SQLSTATE and message
CREATE FUNCTION pg_temp.try_statement(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE statement INTO result;
    RETURN coalesce(result, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;

-- the rows of a set-returning call, or its SQLSTATE and message
CREATE FUNCTION pg_temp.try_rows(call text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE 'SELECT count(*) || '' rows'' || coalesce('': '' || string_agg(r::text, '' '' ), '''')'
            ' FROM ' || call || ' AS r' INTO result;
    RETURN result;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;

--
-- Pricing: the same argument checks for all five schedule functions
--
SELECT f || '(' || a || ')' AS call, pg_temp.try(f || '(' || a || ')') AS outcome
  FROM unnest('{iq_expert_fee,iq_payout,iq_buyer_fee,iq_buyer_total,iq_charge}'::text[]) AS f,
       unnest(ARRAY[
           'NULL, ''2024-01-01''',
           '1000, NULL',
           '-0.01, ''2024-01-01''',
           '''NaN'', ''2024-01-01''',
           '''Infinity'', ''2024-01-01''',
           '''-Infinity'', ''2024-01-01''',
           '0.001, ''2024-01-01''',
           '1e-100, ''2024-01-01''',
           '1000000000000000, ''2024-01-01''',
           '1e100, ''2024-01-01''',
           '''-0'', ''2024-01-01''',
           '999999999999999.99, ''2024-01-01''',
           '1000, ''infinity''',
           '1000, ''-infinity''',
           '1000, ''4713-11-24 BC''',
           '1000, ''5874897-12-31'''
       ]) WITH ORDINALITY AS args(a, n)
 ORDER BY n, f;

-- the default approval date is today, covered by the shipped rows
SELECT iq_payout(1000) = iq_payout(1000, current_date) AS default_date_is_today;

--
-- iq_fee_at: amounts as above, rates at and past their limits
--
SELECT a AS call, pg_temp.try(a) AS outcome
  FROM unnest(ARRAY[
      'iq_fee_at(NULL, 0.15)',
      'iq_fee_at(100, NULL)',
      'iq_fee_at(100, 0)',
      'iq_fee_at(100, ''-0'')',
      'iq_fee_at(100, 0.999999999999999999)',
      'iq_fee_at(999999999999999.99, 0.999999999999999999)',
      'iq_fee_at(999999999999999.99, 0.000000000000000001)',
      'iq_fee_at(100, 0.9999999999999999999)',
      'iq_fee_at(100, 1)',
      'iq_fee_at(100, 1.000000000000000000001)',
      'iq_fee_at(100, -0.000000000000000001)',
      'iq_fee_at(100, ''NaN'')',
      'iq_fee_at(100, ''Infinity'')',
      'iq_fee_at(100, ''-Infinity'')',
      'iq_fee_at(-100, 0.15)',
      'iq_fee_at(''NaN'', 0.15)',
      'iq_fee_at(100.001, 0.15)',
      'iq_fee_at(1e20, 0.15)'
  ]) WITH ORDINALITY AS t(a, n)
 ORDER BY n;

--
-- iq_installment_plan
--
SELECT a AS call, pg_temp.try_rows(a) AS outcome
  FROM unnest(ARRAY[
      -- NULL in each required argument: no rows; a NULL initial payment is none
      'iq_installment_plan(NULL, 3, ''2024-01-31'')',
      'iq_installment_plan(100, NULL, ''2024-01-31'')',
      'iq_installment_plan(100, 3, NULL)',
      'iq_installment_plan(100, 3, ''2024-01-31'', NULL)',
      'iq_installment_plan(100, 3, ''2024-01-31'', ''1 month'', NULL)',
      -- payments
      'iq_installment_plan(100, 0, ''2024-01-31'')',
      'iq_installment_plan(100, -1, ''2024-01-31'')',
      'iq_installment_plan(100, 61, ''2024-01-31'')',
      'iq_installment_plan(100, 2147483647, ''2024-01-31'')',
      -- amounts
      'iq_installment_plan(-100, 2, ''2024-01-31'')',
      'iq_installment_plan(''NaN'', 2, ''2024-01-31'')',
      'iq_installment_plan(''Infinity'', 2, ''2024-01-31'')',
      'iq_installment_plan(100.001, 2, ''2024-01-31'')',
      'iq_installment_plan(1e16, 2, ''2024-01-31'')',
      'iq_installment_plan(0, 2, ''2024-01-31'')',
      'iq_installment_plan(0.01, 3, ''2024-01-31'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''1 month'', -1)',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''1 month'', 100.01)',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''1 month'', 0.005)',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''1 month'', ''NaN'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''1 month'', 100)',
      'iq_installment_plan(100, 1, ''2024-01-31'', ''1 month'', 99)',
      -- dates
      'iq_installment_plan(100, 2, ''infinity'')',
      'iq_installment_plan(100, 2, ''-infinity'')',
      'iq_installment_plan(100, 2, ''4713-11-24 BC'')',
      'iq_installment_plan(100, 2, ''5874897-12-01'')',
      'iq_installment_plan(100, 1, ''5874897-12-31'')',
      -- intervals: mixed, negative, zero, with a time part, huge
      'iq_installment_plan(100, 2, ''2024-01-31'', ''1 month 1 day'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''1 year 2 months 3 days'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''1 month -1 day'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''-1 month 40 days'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''-1 month'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''0'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''36 hours'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''1 day 00:00:01'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''-1 day 24:00:00'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''178000000 years'')',
      'iq_installment_plan(100, 2, ''2024-01-31'', ''2147483647 days'')'
  ]) WITH ORDINALITY AS t(a, n)
 ORDER BY n;

--
-- iq_installment_plan_violations and iq_installment_plan_check
--
SELECT a AS call, pg_temp.try_rows('iq_installment_plan_violations(' || a || ')') AS violations,
       pg_temp.try('iq_installment_plan_check(' || a || ')') AS "check"
  FROM unnest(ARRAY[
      -- NULL in each argument
      'NULL, ''{100}'', 100, ''[2024-01-01,2025-01-01)''',
      '''{2024-01-01}'', NULL, 100, ''[2024-01-01,2025-01-01)''',
      '''{2024-01-01}'', ''{100}'', NULL, ''[2024-01-01,2025-01-01)''',
      '''{2024-01-01}'', ''{100}'', 100, NULL',
      '''{2024-01-01}'', ''{100}'', 100, ''[2024-01-01,2025-01-01)'', NULL',
      -- empty arrays, arrays holding NULLs
      '''{}'', ''{}'', 0, ''[2024-01-01,2025-01-01)''',
      '''{NULL}'', ''{NULL}'', 0, ''[2024-01-01,2025-01-01)''',
      '''{2024-01-01,NULL}'', ''{NULL,100}'', 100, ''[2024-01-01,2025-01-01)''',
      -- multi-dimensional arrays
      '''{{2024-01-01},{2024-02-01}}'', ''{50,50}'', 100, ''[2024-01-01,2025-01-01)''',
      '''{2024-01-01,2024-02-01}'', ''{{50,50}}'', 100, ''[2024-01-01,2025-01-01)''',
      -- lower bounds other than 1: positions still count from 1
      '''[0:1]={2024-01-01,2024-02-01}'', ''{50,50}'', 100, ''[2024-01-01,2025-01-01)''',
      '''[-5:-4]={2024-01-01,2024-01-01}'', ''[7:8]={50,-50}'', 0, ''[2024-01-01,2025-01-01)''',
      -- amounts
      '''{2024-01-01}'', ''{NaN}'', 100, ''[2024-01-01,2025-01-01)''',
      '''{2024-01-01}'', ''{-Infinity}'', 100, ''[2024-01-01,2025-01-01)''',
      '''{2024-01-01}'', ''{1e16}'', 1e16, ''[2024-01-01,2025-01-01)''',
      '''{2024-01-01}'', ''{-1e16}'', 0, ''[2024-01-01,2025-01-01)''',
      '''{2024-01-01}'', ''{-0.005}'', -0.005, ''[2024-01-01,2025-01-01)''',
      '''{2024-01-01}'', ''{100}'', ''NaN'', ''[2024-01-01,2025-01-01)''',
      '''{2024-01-01}'', ''{100}'', 100.001, ''[2024-01-01,2025-01-01)''',
      -- ranges: empty, unbounded, infinite bounds
      '''{2024-01-01}'', ''{100}'', 100, ''empty''',
      '''{2024-01-01}'', ''{100}'', 100, ''(,)''',
      '''{2024-01-01,infinity}'', ''{50,50}'', 100, ''(,)''',
      '''{-infinity,2024-01-01}'', ''{50,50}'', 100, ''[2024-01-01,)''',
      '''{-infinity,-infinity}'', ''{50,50}'', 100, ''[2024-01-01,)'', ''-infinity''',
      '''{2024-01-01,2024-02-01}'', ''{50,50}'', 100, ''[2024-01-01,)'', ''infinity''',
      '''{2024-01-01}'', ''{100}'', 100, ''[infinity,infinity]''',
      '''{infinity}'', ''{100}'', 100, ''[infinity,infinity]'''
  ]) WITH ORDINALITY AS t(a, n)
 ORDER BY n;

-- an inverted range cannot even be written: the daterange input refuses it
SELECT iq_installment_plan_check('{2024-01-01}', '{100}', 100, '[2025-01-01,2024-01-01)');
\echo :LAST_ERROR_SQLSTATE

-- more elements than can be checked: 54000, not a long computation
SELECT count(*) FROM iq_installment_plan_violations(
    array_fill(date '2024-01-01', ARRAY[10001]), array_fill(0::numeric, ARRAY[10001]),
    0, '[2024-01-01,2025-01-01)');
\echo :LAST_ERROR_SQLSTATE

--
-- The fee schedule helpers
--
SELECT a AS call, pg_temp.try(a) AS outcome
  FROM unnest(ARRAY[
      'iq_fee_schedule_is_shipped(NULL, NULL, NULL, NULL)',
      'iq_fee_schedule_is_shipped(''empty'', 0.15, 0.03, ''AWS IQ standard fees'')',
      'iq_fee_schedule_is_shipped(''[2021-01-01,2021-02-01)'', 0.15, 0.03, ''AWS IQ standard fees'')',
      'iq_fee_schedule_is_shipped(''(,)'', 0.15, 0.03, ''AWS IQ standard fees'')',
      '(SELECT count(*) FROM iq_fee_schedule_shipped())'
  ]) WITH ORDINALITY AS t(a, n)
 ORDER BY n;

--
-- The fee schedule table refuses rows the pricing could not use (each
-- failed statement is rolled back, so the schedule is unchanged)
--
SELECT a AS statement, pg_temp.try_statement('INSERT INTO iq_fee_schedule VALUES (' || a || ') RETURNING ''inserted''') AS outcome
  FROM unnest(ARRAY[
      '''empty'', 0.1, 0.1, ''empty''',
      '''[2040-01-01,)'', 1, 0, ''rate 1''',
      '''[2040-01-01,)'', 0, -0.01, ''negative''',
      '''[2040-01-01,)'', ''NaN'', 0, ''NaN''',
      '''[2040-01-01,)'', 0.1234567890123456789, 0, ''too precise''',
      '''[2040-01-01,)'', NULL, 0, ''no rate''',
      'NULL, 0.1, 0.1, ''no range'''
  ]) WITH ORDINALITY AS t(a, n)
 ORDER BY n;

--
-- Form 1099-K: the test and its helpers, then the threshold table's
-- refusals (each failed statement is rolled back)
--
SELECT a AS call, pg_temp.try(a) AS outcome
  FROM unnest(ARRAY[
      'iq_form_1099k_required(NULL, 201, 2025)',
      'iq_form_1099k_required(20000.01, NULL, 2025)',
      'iq_form_1099k_required(20000.01, 201, NULL)',
      'iq_form_1099k_required(-0.01, 201, 2025)',
      'iq_form_1099k_required(''NaN'', 201, 2025)',
      'iq_form_1099k_required(''Infinity'', 201, 2025)',
      'iq_form_1099k_required(''-Infinity'', 201, 2025)',
      'iq_form_1099k_required(20000.001, 201, 2025)',
      'iq_form_1099k_required(1e-70, 201, 2025)',
      'iq_form_1099k_required(1e300, 201, 2025)',
      'iq_form_1099k_required(999999999999999.99, 9223372036854775807, 2025)',
      'iq_form_1099k_required(20000.01, -1, 2025)',
      'iq_form_1099k_required(20000.01, -9223372036854775808, 2025)',
      'iq_form_1099k_required(-1, -1, 2018)',
      'iq_form_1099k_required(20000.01, 201, 0)',
      'iq_form_1099k_required(20000.01, 201, -2147483648)',
      'iq_form_1099k_required(20000.01, 201, 2147483647)',
      'iq_form_1099k_threshold_is_shipped(NULL, NULL, NULL, NULL)',
      'iq_form_1099k_threshold_is_shipped(''empty'', 20000, 200, NULL)',
      'iq_form_1099k_threshold_is_shipped(''(,)'', 20000, 200, NULL)',
      '(SELECT count(*) FROM iq_form_1099k_threshold_shipped())'
  ]) WITH ORDINALITY AS t(a, n)
 ORDER BY n;

SELECT a AS statement, pg_temp.try_statement('INSERT INTO iq_form_1099k_threshold VALUES (' || a || ') RETURNING ''inserted''') AS outcome
  FROM unnest(ARRAY[
      '''empty'', 600, NULL, ''empty''',
      'NULL, 600, NULL, ''no years''',
      '''[1990,1991)'', NULL, NULL, ''no threshold''',
      '''[1990,1991)'', -0.01, NULL, ''negative''',
      '''[1990,1991)'', 600.001, NULL, ''sub-cent''',
      '''[1990,1991)'', ''Infinity'', NULL, ''infinite''',
      '''[1990,1991)'', 1e300, NULL, ''too large''',
      '''[1990,1991)'', 600, -1, ''negative count'''
  ]) WITH ORDINALITY AS t(a, n)
 ORDER BY n;
SELECT count(*) AS threshold_rows_kept FROM iq_form_1099k_threshold;

--
-- The pricing trigger: NULLs and bad values in the row
--
CREATE TABLE hostile_request (
    amount numeric, approved_on date,
    fee numeric, payout numeric, buyer_total numeric
);
CREATE TRIGGER price BEFORE INSERT OR UPDATE ON hostile_request FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, buyer_total);
SELECT a AS "values", pg_temp.try_statement('INSERT INTO hostile_request VALUES (' || a || ') RETURNING ROW(fee, payout, buyer_total)::text') AS outcome
  FROM unnest(ARRAY[
      'NULL, ''2024-01-01'', 1, 1, 1',
      '100, NULL, 1, 1, 1',
      '100, ''2024-01-01'', NULL, NULL, NULL',
      '-1, ''2024-01-01'', NULL, NULL, NULL',
      '''NaN'', ''2024-01-01'', NULL, NULL, NULL',
      '0.001, ''2024-01-01'', NULL, NULL, NULL',
      '1e20, ''2024-01-01'', NULL, NULL, NULL',
      '100, ''infinity'', NULL, NULL, NULL',
      '100, ''-infinity'', NULL, NULL, NULL'
  ]) WITH ORDINALITY AS t(a, n)
 ORDER BY n;
SELECT count(*) AS rows_kept FROM hostile_request;
DROP TABLE hostile_request;

-- the backend survived all of the above
SELECT iq_payout(1000, '2020-08-01') AS still_850;
