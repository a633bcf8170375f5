--
-- The fee schedule: shipped rows, edits seen at once, constraints,
-- privileges.
--
SET datestyle = 'ISO, YMD';
SELECT * FROM iq_fee_schedule ORDER BY effective;
SELECT * FROM iq_fee_schedule_shipped();

-- a new rate from 2030 on is one INSERT: it takes its dates from the
-- shipped open-ended row, and the very next query prices with it
INSERT INTO iq_fee_schedule VALUES ('[2030-01-01,)', 0.20, 0.05, 'new rates from 2030');
SELECT * FROM iq_fee_schedule ORDER BY effective;
SELECT iq_payout(1000, '2029-12-31') AS before_2030, iq_payout(1000, '2030-01-01') AS from_2030,
       iq_buyer_total(1000, '2030-01-01') AS buyer_total_2030;

-- a change inside a transaction is seen by the next statement
BEGIN;
UPDATE iq_fee_schedule SET expert_fee_rate = 0.25 WHERE effective = '[2030-01-01,)';
SELECT iq_payout(1000, '2030-06-01') AS payout_at_25_percent;
ROLLBACK;
SELECT iq_payout(1000, '2030-06-01') AS payout_after_rollback;

-- and by a loop that reuses one expression
DO $$
BEGIN
    FOR i IN 1..3 LOOP
        UPDATE iq_fee_schedule SET expert_fee_rate = i / 10.0
         WHERE effective = '[2030-01-01,)';
        RAISE NOTICE 'rate % -> payout %', i / 10.0, iq_payout(1000, '2030-06-01');
    END LOOP;
END
$$;

-- a rolled-back subtransaction's change is not seen
DO $$
BEGIN
    FOR i IN 1..2 LOOP
        BEGIN
            IF i = 1 THEN
                UPDATE iq_fee_schedule SET expert_fee_rate = 0.5
                 WHERE effective = '[2030-01-01,)';
            END IF;
            RAISE NOTICE 'pass %: payout %', i, iq_payout(1000, '2030-06-01');
            IF i = 1 THEN
                RAISE EXCEPTION 'undo';
            END IF;
        EXCEPTION WHEN raise_exception THEN
            NULL;
        END;
    END LOOP;
END
$$;
UPDATE iq_fee_schedule SET expert_fee_rate = 0.20 WHERE effective = '[2030-01-01,)';

-- a row inside a shipped row splits it
INSERT INTO iq_fee_schedule VALUES ('[2010-01-01,2011-01-01)', 0.10, 0.01, 'promotion');
SELECT * FROM iq_fee_schedule ORDER BY effective;
SELECT iq_expert_fee(1000, '2009-12-31') AS a, iq_expert_fee(1000, '2010-06-01') AS b,
       iq_expert_fee(1000, '2011-01-01') AS c;

-- rows of one's own may not overlap: 23P01
INSERT INTO iq_fee_schedule VALUES ('[2035-01-01,2036-01-01)', 0.1, 0.1, 'overlaps 2030 row');
\echo :LAST_ERROR_SQLSTATE

-- rates are checked as iq_fee_at checks them: 23514
INSERT INTO iq_fee_schedule VALUES ('[1990-01-01,1991-01-01)', 1, 0.03, 'rate 1');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_fee_schedule VALUES ('[1990-01-01,1991-01-01)', 0.15, -0.03, 'negative');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_fee_schedule VALUES ('[1990-01-01,1991-01-01)', 0.1234567890123456789, 0, 'too precise');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_fee_schedule VALUES ('empty', 0.15, 0.03, 'covers nothing');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_fee_schedule VALUES ('[1990-01-01,1991-01-01)', NULL, 0.03, 'no rate');
\echo :LAST_ERROR_SQLSTATE

-- a date no row covers
DELETE FROM iq_fee_schedule WHERE description = 'promotion';
SELECT iq_payout(1000, '2010-06-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_fee_schedule VALUES ('[2010-01-01,2011-01-01)', 0.15, 0.03, 'AWS IQ standard fees');

-- with the exclusion constraint gone, overlapping rows are refused, not
-- resolved by row order
BEGIN;
ALTER TABLE iq_fee_schedule DROP CONSTRAINT iq_fee_schedule_no_overlap;
ALTER TABLE iq_fee_schedule DISABLE TRIGGER iq_fee_schedule_make_room;
INSERT INTO iq_fee_schedule VALUES ('[2040-01-01,2041-01-01)', 0.1, 0.1, 'overlap');
SELECT iq_payout(1000, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- everyone may read the rates; only the table's owner may change them
CREATE ROLE regress_iqfees_analyst;
SET ROLE regress_iqfees_analyst;
SELECT iq_payout(1000, '2030-06-01') AS analyst_payout, count(*) AS rows FROM iq_fee_schedule;
UPDATE iq_fee_schedule SET expert_fee_rate = 0;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_fee_schedule VALUES ('[1990-01-01,1991-01-01)', 0, 0, 'free');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
DROP ROLE regress_iqfees_analyst;

-- put the shipped schedule back for the tests that follow
DELETE FROM iq_fee_schedule;
INSERT INTO iq_fee_schedule SELECT * FROM iq_fee_schedule_shipped();
SELECT count(*) AS rows FROM iq_fee_schedule;
