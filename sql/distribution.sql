--
-- What a distributed PostgreSQL (Citus) relies on, checked on one server:
-- the aggregates can be computed in parts, the transition functions keep
-- the schedule true to every change, the schedule's trigger works on the
-- table it fires on, and distributing the schedule needs Citus.
-- test/scripts/citus.sh runs the same on a cluster.
--
SET datestyle = 'ISO, YMD';

-- Citus computes an aggregate partially on its workers only with a
-- combine function and a state that is not a pseudo-type (internal):
-- every aggregate of the extension has both
SELECT p.oid::regprocedure AS aggregate, a.aggtranstype::regtype AS state,
       a.aggcombinefn::regprocedure AS combine
  FROM pg_aggregate a
  JOIN pg_proc p ON p.oid = a.aggfnoid
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'iqfees'
  JOIN pg_type t ON t.oid = a.aggtranstype
 WHERE t.typtype = 'p' OR a.aggcombinefn = 0;

-- The transition functions keep the schedule between calls (Citus calls
-- them through a new FmgrInfo per row); they read it again for every
-- statement that can see a change, and never use one rolled back.
CREATE TABLE dist_request (amount numeric, approved_on date);
INSERT INTO dist_request VALUES (1000, '2029-12-31'), (1000, '2030-06-01'), (250, '2031-01-01');
CREATE VIEW dist_sums AS
SELECT iq_payout_sum(amount, approved_on) AS payout, (iq_charge_sum(amount, approved_on)).buyer_fee
  FROM dist_request;
SELECT * FROM dist_sums;
BEGIN;
INSERT INTO iq_fee_schedule VALUES ('[2030-01-01,)', 0.20, 0.05, 'from 2030');
SELECT * FROM dist_sums;
SAVEPOINT s;
UPDATE iq_fee_schedule SET expert_fee_rate = 0.5 WHERE description = 'from 2030';
SELECT * FROM dist_sums;
ROLLBACK TO SAVEPOINT s;
SELECT * FROM dist_sums;
ROLLBACK;
SELECT * FROM dist_sums;

-- the same in one snapshot (REPEATABLE READ), and within one statement
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT * FROM dist_sums;
SAVEPOINT s;
INSERT INTO iq_fee_schedule VALUES ('[2030-01-01,)', 0.20, 0.05, 'from 2030');
SELECT * FROM dist_sums;
ROLLBACK TO SAVEPOINT s;
SELECT * FROM dist_sums;
COMMIT;
DO $$
DECLARE
    sums record;
BEGIN
    BEGIN
        INSERT INTO iq_fee_schedule VALUES ('[2030-01-01,)', 0.20, 0.05, 'from 2030');
        SELECT * INTO sums FROM dist_sums;
        RAISE NOTICE 'inside: %', sums;
        RAISE EXCEPTION 'undo';
    EXCEPTION WHEN raise_exception THEN
        NULL;
    END;
    SELECT * INTO sums FROM dist_sums;
    RAISE NOTICE 'after the rollback: %', sums;
END
$$;

-- On Citus each node's copy of the schedule is a table of its own
-- (iq_fee_schedule_102008); the trigger that cuts back shipped rows acts
-- on the table it fires on.  A copy made here behaves the same.
CREATE TABLE schedule_copy (LIKE iq_fee_schedule INCLUDING ALL);
INSERT INTO schedule_copy SELECT * FROM iq_fee_schedule_shipped();
CREATE TRIGGER make_room BEFORE INSERT OR UPDATE OF effective ON schedule_copy
    FOR EACH ROW EXECUTE FUNCTION iq_fee_schedule_make_room();
INSERT INTO schedule_copy VALUES ('[2030-01-01,)', 0.20, 0.05, 'from 2030');
SELECT * FROM schedule_copy ORDER BY effective;
UPDATE schedule_copy SET effective = '[2029-01-01,)' WHERE description = 'from 2030';
SELECT * FROM schedule_copy ORDER BY effective;
-- iq_fee_schedule itself is untouched
SELECT * FROM iq_fee_schedule ORDER BY effective;

-- The same for the Form 1099-K thresholds, the other table every node reads
CREATE TABLE threshold_copy (LIKE iq_form_1099k_threshold INCLUDING ALL);
INSERT INTO threshold_copy SELECT * FROM iq_form_1099k_threshold_shipped();
CREATE TRIGGER make_room BEFORE INSERT OR UPDATE OF tax_years ON threshold_copy
    FOR EACH ROW EXECUTE FUNCTION iq_form_1099k_threshold_make_room();
INSERT INTO threshold_copy VALUES ('[2024,2025)', 20000, 200, '2024 as amended');
SELECT * FROM threshold_copy ORDER BY tax_years;
UPDATE threshold_copy SET tax_years = '[2023,2025)' WHERE description = '2024 as amended';
SELECT * FROM threshold_copy ORDER BY tax_years;
SELECT count(*) AS untouched FROM iq_form_1099k_threshold
 WHERE iq_form_1099k_threshold_is_shipped(tax_years, gross_threshold, transaction_threshold, description);

-- Citus copies both tables to a new node by logical replication, which
-- needs a replica identity; the exclusion constraints' indexes are no keys
SELECT relname, relreplident FROM pg_class
 WHERE oid IN ('iq_fee_schedule'::regclass, 'iq_form_1099k_threshold'::regclass) ORDER BY 1;

-- without Citus there is nothing to distribute
SELECT iq_distribute_tables();

DROP TABLE schedule_copy, threshold_copy;
DROP VIEW dist_sums;
DROP TABLE dist_request;
