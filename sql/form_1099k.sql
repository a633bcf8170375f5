--
-- Form 1099-K: the shipped thresholds, every boundary year by year, user
-- edits cutting back shipped rows, changes seen by the next statement and
-- never after their rollback, errors and their SQLSTATEs.
--
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

SELECT * FROM iq_form_1099k_threshold ORDER BY tax_years;
SELECT count(*) AS rows_not_shipped
  FROM (TABLE iq_form_1099k_threshold EXCEPT SELECT * FROM iq_form_1099k_threshold_shipped()) AS t;

--
-- Every year AWS IQ paid experts, at and around each threshold: a gross
-- or a count exactly at its threshold is not over it.
--
SELECT y AS tax_year, g AS gross, n AS transactions,
       iq_form_1099k_required(g, n, y) AS required
  FROM generate_series(2019, 2026) AS y,
       unnest('{5000.00,5000.01,20000.00,20000.01}'::numeric[]) AS g,
       unnest('{0,200,201}'::bigint[]) AS n
 ORDER BY y, g, n;

-- the open-ended row covers every year after 2025; zero is never over
SELECT iq_form_1099k_required(20000.01, 201, 2147483647) AS last_year,
       iq_form_1099k_required(0, 0, 2024) AS nothing_2024,
       iq_form_1099k_required(0.01, 0, 2024) AS one_cent_2024,
       iq_form_1099k_required(999999999999999.99, 9223372036854775807, 2025) AS largest;

-- against the rule written in plain SQL over the table, near the
-- thresholds and far from them
SELECT count(*) AS cases,
       count(*) FILTER (WHERE iq_form_1099k_required(g, n, y) IS DISTINCT FROM
                              (g > t.gross_threshold AND
                               (t.transaction_threshold IS NULL OR n > t.transaction_threshold)))
           AS differ
  FROM generate_series(2019, 2030) AS y,
       generate_series(0, 2000) AS k,
       LATERAL (SELECT (ARRAY[4999.98, 19999.98, 0.00, 100000.00])[k % 4 + 1] + (k / 4 % 5) * 0.01 AS g,
                       (ARRAY[198, 0, 1000])[k % 3 + 1] + k / 12 % 5 AS n) AS c,
       iq_form_1099k_threshold t
 WHERE t.tax_years @> y;

-- NULL in, NULL out
SELECT iq_form_1099k_required(NULL, 300, 2025) IS NULL AS a,
       iq_form_1099k_required(30000, NULL, 2025) IS NULL AS b,
       iq_form_1099k_required(30000, 300, NULL) IS NULL AS c;

--
-- Errors
--
-- a year no row covers names the year: 22023
SELECT iq_form_1099k_required(30000, 300, 2018);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_form_1099k_required(30000, 300, -2147483648);
\echo :LAST_ERROR_SQLSTATE
-- amounts follow the money rules: 22023, or 22003 for one too large
SELECT iq_form_1099k_required(-0.01, 300, 2025);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_form_1099k_required('NaN', 300, 2025);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_form_1099k_required('-Infinity', 300, 2025);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_form_1099k_required(20000.005, 300, 2025);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_form_1099k_required(1000000000000000, 300, 2025);
\echo :LAST_ERROR_SQLSTATE
-- a negative count: 22023
SELECT iq_form_1099k_required(30000, -1, 2025);
\echo :LAST_ERROR_SQLSTATE
-- trailing zeros are not sub-cent digits
SELECT iq_form_1099k_required(20000.0100, 201, 2025) AS trailing_zeros;

-- labels
SELECT p.oid::regprocedure AS function, provolatile, proisstrict, proparallel
  FROM pg_proc p
 WHERE p.proname LIKE 'iq\_form\_1099k\_%'
 ORDER BY 1::text;

--
-- A row of one's own takes its years from the shipped rows it overlaps:
-- 2024 under the law as amended in 2025, rather than the transition rule
-- the forms were filed under
--
INSERT INTO iq_form_1099k_threshold
VALUES ('[2024,2025)', 20000.00, 200, '2024 as the 2025 law reads');
SELECT * FROM iq_form_1099k_threshold ORDER BY tax_years;
SELECT iq_form_1099k_required(5000.01, 0, 2024) AS over_5000,
       iq_form_1099k_required(20000.00, 201, 2024) AS at_20000,
       iq_form_1099k_required(20000.01, 201, 2024) AS over_both;

-- a row inside the open-ended shipped row splits it
INSERT INTO iq_form_1099k_threshold VALUES ('[2030,2031)', 600, NULL, 'a lower threshold in 2030 and 2031');
SELECT * FROM iq_form_1099k_threshold ORDER BY tax_years;
-- and moving a row's years cuts back the shipped rows it moves over
UPDATE iq_form_1099k_threshold SET tax_years = '[2030,2032)' WHERE tax_years = '[2030,2031)';
SELECT * FROM iq_form_1099k_threshold WHERE tax_years && '[2025,)' ORDER BY tax_years;
SELECT iq_form_1099k_required(600.01, 1, 2029) AS in_2029,
       iq_form_1099k_required(600.00, 1, 2030) AS at_600,
       iq_form_1099k_required(600.01, 1, 2031) AS over_600,
       iq_form_1099k_required(600.01, 1, 2032) AS in_2032;
-- the user's rows are the ones pg_dump keeps
SELECT tax_years,
       iq_form_1099k_threshold_is_shipped(tax_years, gross_threshold, transaction_threshold,
                                          description) AS shipped
  FROM iq_form_1099k_threshold ORDER BY tax_years;
SELECT c.relname, e.extcondition[i] AS dump_filter
  FROM pg_extension e, generate_subscripts(e.extconfig, 1) AS i, pg_class c
 WHERE e.extname = 'iqfees' AND c.oid = e.extconfig[i]
   AND c.relname = 'iq_form_1099k_threshold';

-- an edit of a shipped row makes it the user's
UPDATE iq_form_1099k_threshold SET description = 'checked' WHERE tax_years = '[2019,2022)';
SELECT iq_form_1099k_threshold_is_shipped(tax_years, gross_threshold, transaction_threshold,
                                          description) AS still_shipped
  FROM iq_form_1099k_threshold WHERE tax_years = '[2019,2022)';

-- rows of one's own may not overlap: 23P01
INSERT INTO iq_form_1099k_threshold VALUES ('[2031,2035)', 600, NULL, 'overlaps 2030-2031');
\echo :LAST_ERROR_SQLSTATE
-- rows the function could not use: 23514, 23502
INSERT INTO iq_form_1099k_threshold VALUES ('[1990,1991)', -1, NULL, 'negative');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_form_1099k_threshold VALUES ('[1990,1991)', 600.001, NULL, 'sub-cent');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_form_1099k_threshold VALUES ('[1990,1991)', 'NaN', NULL, 'NaN');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_form_1099k_threshold VALUES ('[1990,1991)', 1e15, NULL, 'too large');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_form_1099k_threshold VALUES ('[1990,1991)', 600, -1, 'negative count');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_form_1099k_threshold VALUES ('empty', 600, NULL, 'no year');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_form_1099k_threshold VALUES ('[1990,1991)', NULL, NULL, 'no threshold');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_form_1099k_threshold VALUES (NULL, 600, NULL, 'no years');
\echo :LAST_ERROR_SQLSTATE
-- a zero count threshold is a count test: more than none
INSERT INTO iq_form_1099k_threshold VALUES ('[1990,1991)', 0, 0, 'any payment');
SELECT iq_form_1099k_required(0.01, 0, 1990) AS no_transactions,
       iq_form_1099k_required(0.01, 1, 1990) AS one_transaction;

--
-- A change is seen by the next statement, in the same transaction, and a
-- rolled-back one is gone from the next statement on
--
BEGIN;
UPDATE iq_form_1099k_threshold SET transaction_threshold = NULL WHERE tax_years = '[2025,2030)';
SELECT iq_form_1099k_required(20000.01, 5, 2025) AS no_count_test;
ROLLBACK;
SELECT iq_form_1099k_required(20000.01, 5, 2025) AS count_test_back;

CREATE FUNCTION required_now(y int) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN iq_form_1099k_required(6000, 10, y); END $$;

BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT required_now(2026) AS before_row;
SAVEPOINT s;
INSERT INTO iq_form_1099k_threshold VALUES ('[2026,2027)', 5000, NULL, 'rolled back');
SELECT required_now(2026) AS with_row;
ROLLBACK TO SAVEPOINT s;
SELECT required_now(2026) AS after_rollback;
COMMIT;

-- one expression evaluated again and again, in a loop and across an
-- exception block that undoes a change
DO $$
BEGIN
    FOR i IN 1..3 LOOP
        UPDATE iq_form_1099k_threshold SET gross_threshold = 5999 + i
         WHERE tax_years = '[2030,2032)';
        RAISE NOTICE 'threshold % -> %', 5999 + i, iq_form_1099k_required(6001, 1, 2030);
    END LOOP;
END
$$;
DO $$
BEGIN
    FOR i IN 1..2 LOOP
        BEGIN
            IF i = 1 THEN
                UPDATE iq_form_1099k_threshold SET gross_threshold = 0
                 WHERE tax_years = '[2030,2032)';
            END IF;
            RAISE NOTICE 'pass %: %', i, iq_form_1099k_required(6001, 1, 2030);
            IF i = 1 THEN
                RAISE EXCEPTION 'undo';
            END IF;
        EXCEPTION WHEN raise_exception THEN
            NULL;
        END;
    END LOOP;
END
$$;

--
-- The table belongs to its owner, who may break it: what the function
-- reads is checked, never misread
--
-- a column of another type: 42804, and read again after the rollback
BEGIN;
ALTER TABLE iq_form_1099k_threshold ALTER COLUMN transaction_threshold TYPE bigint;
SELECT iq_form_1099k_required(30000, 300, 2025);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT iq_form_1099k_required(30000, 300, 2025) AS readable_again;
-- overlapping rows, with the exclusion constraint gone: 22000
BEGIN;
ALTER TABLE iq_form_1099k_threshold DROP CONSTRAINT iq_form_1099k_threshold_no_overlap;
ALTER TABLE iq_form_1099k_threshold DISABLE TRIGGER iq_form_1099k_threshold_make_room;
INSERT INTO iq_form_1099k_threshold VALUES ('[2025,2026)', 1, 1, 'overlap');
SELECT iq_form_1099k_required(30000, 300, 2025);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- a bad threshold, with its constraints gone: the money rules' error, in
-- the context of the row
BEGIN;
ALTER TABLE iq_form_1099k_threshold DROP CONSTRAINT iq_form_1099k_threshold_gross_threshold_check;
UPDATE iq_form_1099k_threshold SET gross_threshold = -1 WHERE tax_years = '[2025,2030)';
SELECT iq_form_1099k_required(30000, 300, 2025);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
ALTER TABLE iq_form_1099k_threshold ALTER COLUMN gross_threshold DROP NOT NULL;
UPDATE iq_form_1099k_threshold SET gross_threshold = NULL WHERE tax_years = '[2025,2030)';
SELECT iq_form_1099k_required(30000, 300, 2025);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- everyone may read the thresholds; only the table's owner may change them
CREATE ROLE regress_iqfees_payee;
SET ROLE regress_iqfees_payee;
SELECT iq_form_1099k_required(30000, 300, 2025) AS payee_reads, count(*) AS rows
  FROM iq_form_1099k_threshold;
UPDATE iq_form_1099k_threshold SET gross_threshold = 0;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_form_1099k_threshold VALUES ('[1980,1981)', 0, NULL, 'mine');
\echo :LAST_ERROR_SQLSTATE
DELETE FROM iq_form_1099k_threshold;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
DROP ROLE regress_iqfees_payee;

-- put the shipped thresholds back
DROP FUNCTION required_now(int);
DELETE FROM iq_form_1099k_threshold;
INSERT INTO iq_form_1099k_threshold SELECT * FROM iq_form_1099k_threshold_shipped();
SELECT count(*) AS rows FROM iq_form_1099k_threshold;
