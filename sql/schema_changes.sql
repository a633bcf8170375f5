--
-- Schemas change under the triggers and the fee schedule: column types,
-- names, partitions, replaced triggers, savepoints.  Every case here reads
-- or writes through state iqfees keeps between statements (decoded
-- triggers, prepared queries, the fee schedule), so it would crash or give
-- a wrong value if that state were used after it went stale.
--
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

CREATE SCHEMA shop;
CREATE TABLE shop.offer (
    id             int PRIMARY KEY,
    contract_total numeric(14,2),
    contract_term  daterange,
    accepted_on    date
);
CREATE TABLE shop.installment (
    offer_id     int REFERENCES shop.offer ON DELETE CASCADE ON UPDATE CASCADE,
    invoice_date date,
    amount       numeric(14,2)
);
CREATE CONSTRAINT TRIGGER plan AFTER INSERT OR UPDATE OR DELETE ON shop.installment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
CREATE CONSTRAINT TRIGGER plan AFTER INSERT OR UPDATE ON shop.offer
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
CREATE TRIGGER frozen BEFORE INSERT OR UPDATE OR DELETE ON shop.installment
    FOR EACH ROW EXECUTE FUNCTION iq_freeze_installments(offer_id, offer, id, accepted_on);

-- a committed plan: the triggers are decoded and their queries prepared
BEGIN;
INSERT INTO shop.offer VALUES (1, 300, '[2024-01-01,2025-01-01)', NULL);
INSERT INTO shop.installment VALUES (1, '2024-01-01', 100), (1, '2024-02-01', 100),
                                    (1, '2024-03-01', 100);
COMMIT;

--
-- A column's type changes: each column the triggers read, in turn.  The
-- next firing decodes the trigger again and refuses the new type (42804),
-- naming the trigger, its table and the column; changed back, it works.
--
ALTER TABLE shop.installment ALTER COLUMN amount TYPE float8;
INSERT INTO shop.installment VALUES (1, '2024-04-01', 0);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shop.installment ALTER COLUMN amount TYPE numeric(14,2);
INSERT INTO shop.installment VALUES (1, '2024-04-01', 0);

ALTER TABLE shop.offer ALTER COLUMN contract_total TYPE float8;
UPDATE shop.offer SET contract_total = 300 WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shop.offer ALTER COLUMN contract_total TYPE numeric(14,2);

ALTER TABLE shop.offer ALTER COLUMN contract_term TYPE tsrange
    USING tsrange(lower(contract_term), upper(contract_term));
UPDATE shop.offer SET contract_total = 300 WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shop.offer ALTER COLUMN contract_term TYPE daterange
    USING daterange(lower(contract_term)::date, upper(contract_term)::date);

ALTER TABLE shop.offer ALTER COLUMN accepted_on TYPE text;
INSERT INTO shop.installment VALUES (1, '2024-05-01', 0);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shop.offer ALTER COLUMN accepted_on TYPE date USING accepted_on::date;

ALTER TABLE shop.installment ALTER COLUMN invoice_date TYPE text;
UPDATE shop.offer SET contract_total = 300 WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shop.installment ALTER COLUMN invoice_date TYPE date USING invoice_date::date;

-- a key type the other side cannot be compared with
ALTER TABLE shop.installment DROP CONSTRAINT installment_offer_id_fkey;
ALTER TABLE shop.installment ALTER COLUMN offer_id TYPE uuid
    USING ('00000000-0000-0000-0000-00000000000' || offer_id)::uuid;
INSERT INTO shop.installment VALUES ('00000000-0000-0000-0000-000000000001', '2024-06-01', 0);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shop.installment ALTER COLUMN offer_id TYPE int
    USING right(offer_id::text, 1)::int;
ALTER TABLE shop.installment ADD FOREIGN KEY (offer_id) REFERENCES shop.offer
    ON DELETE CASCADE ON UPDATE CASCADE;

-- a key whose type changes on both sides keeps working (bigint = bigint)
ALTER TABLE shop.offer ALTER COLUMN id TYPE bigint;
ALTER TABLE shop.installment ALTER COLUMN offer_id TYPE bigint;
BEGIN;
INSERT INTO shop.installment VALUES (1, '2024-06-01', 0.01);
COMMIT;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO shop.installment VALUES (1, '2024-06-01', 0);
SELECT count(*), sum(amount) FROM shop.installment;

--
-- A column renamed or dropped: 42703, naming the trigger, table and column.
--
ALTER TABLE shop.installment RENAME COLUMN amount TO amount_usd;
INSERT INTO shop.installment VALUES (1, '2024-07-01', 0);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shop.installment RENAME COLUMN amount_usd TO amount;

ALTER TABLE shop.offer RENAME COLUMN accepted_on TO accepted;
INSERT INTO shop.installment VALUES (1, '2024-07-01', 0);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shop.offer RENAME COLUMN accepted TO accepted_on;

ALTER TABLE shop.offer ADD COLUMN spare int;
ALTER TABLE shop.offer DROP COLUMN spare;
ALTER TABLE shop.offer RENAME COLUMN contract_term TO term;
ALTER TABLE shop.offer ADD COLUMN contract_term text;
UPDATE shop.offer SET contract_total = 300 WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shop.offer DROP COLUMN contract_term;
ALTER TABLE shop.offer RENAME COLUMN term TO contract_term;

-- the offer table renamed: 42P01; renamed back, it works again
ALTER TABLE shop.offer RENAME TO offers;
INSERT INTO shop.installment VALUES (1, '2024-07-01', 0);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shop.offers RENAME TO offer;
INSERT INTO shop.installment VALUES (1, '2024-07-01', 0);

-- a renamed schema: the queries' qualified names are made again
ALTER SCHEMA shop RENAME TO store;
BEGIN;
UPDATE store.installment SET amount = 100.01 WHERE invoice_date = '2024-01-01';
COMMIT;
\echo :LAST_ERROR_SQLSTATE
ALTER SCHEMA store RENAME TO shop;

-- a trigger replaced with other arguments uses the new ones at once
CREATE TABLE shop.offer_b (LIKE shop.offer INCLUDING ALL);
INSERT INTO shop.offer_b VALUES (1, 999, '[2024-01-01,2025-01-01)', NULL);
CREATE OR REPLACE TRIGGER frozen BEFORE INSERT OR UPDATE OR DELETE ON shop.installment
    FOR EACH ROW EXECUTE FUNCTION iq_freeze_installments(offer_id, offer_b, id, accepted_on);
UPDATE shop.offer_b SET accepted_on = '2024-01-01';
INSERT INTO shop.installment VALUES (1, '2024-08-01', 0);
\echo :LAST_ERROR_SQLSTATE
CREATE OR REPLACE TRIGGER frozen BEFORE INSERT OR UPDATE OR DELETE ON shop.installment
    FOR EACH ROW EXECUTE FUNCTION iq_freeze_installments(offer_id, offer, id, accepted_on);
INSERT INTO shop.installment VALUES (1, '2024-08-01', 0);
SELECT count(*), sum(amount) FROM shop.installment WHERE offer_id = 1;

--
-- The fee schedule's columns belong to its owner, who may change their
-- types (after dropping the constraints that stand in the way): pricing
-- then refuses to read them (42804) instead of misreading them, and reads
-- them again once the change is rolled back.
--
SELECT iq_payout(1000, '2024-01-01');
BEGIN;
ALTER TABLE iq_fee_schedule DROP CONSTRAINT iq_fee_schedule_expert_fee_rate_check;
ALTER TABLE iq_fee_schedule ALTER COLUMN expert_fee_rate TYPE float8;
SELECT iq_payout(1000, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT iq_payout(1000, '2024-01-01');
BEGIN;
ALTER TABLE iq_fee_schedule DROP CONSTRAINT iq_fee_schedule_buyer_fee_rate_check;
ALTER TABLE iq_fee_schedule ALTER COLUMN buyer_fee_rate TYPE text;
SELECT iq_buyer_total(1000, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT iq_buyer_total(1000, '2024-01-01');

--
-- Rates rolled back are never used, at any isolation level: the schedule
-- read before a rollback is read again after it, even where the snapshot
-- stays the same (REPEATABLE READ, SERIALIZABLE).
--
CREATE FUNCTION payout_now(d date) RETURNS numeric
LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN iq_payout(1000, d); END $$;

BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT payout_now('2031-06-01') AS before_rate;
SAVEPOINT s;
INSERT INTO iq_fee_schedule VALUES ('[2031-01-01,2032-01-01)', 0.5, 0.05, 'rolled back');
SELECT payout_now('2031-06-01') AS with_rate;
ROLLBACK TO SAVEPOINT s;
SELECT payout_now('2031-06-01') AS after_rollback;
COMMIT;

BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT payout_now('2031-06-01') AS before_rate;
DO $$
BEGIN
    INSERT INTO iq_fee_schedule VALUES ('[2031-01-01,2032-01-01)', 0.5, 0.05, 'rolled back');
    RAISE NOTICE 'inside the block: %', payout_now('2031-06-01');
    RAISE EXCEPTION 'undo';
EXCEPTION WHEN raise_exception THEN
    RAISE NOTICE 'after the block: %', payout_now('2031-06-01');
END $$;
SELECT payout_now('2031-06-01') AS after_block;
COMMIT;

-- a stored price too: a trigger priced after the rollback uses the old rate
CREATE TABLE shop.request (id int, amount numeric(14,2), approved_on date,
                           fee numeric(14,2), payout numeric(14,2), total numeric(14,2));
CREATE TRIGGER price BEFORE INSERT ON shop.request FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, total);
CREATE FUNCTION add_request(i int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN INSERT INTO shop.request (id, amount, approved_on) VALUES (i, 1000, '2031-06-01'); END $$;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT add_request(1);
SAVEPOINT s;
INSERT INTO iq_fee_schedule VALUES ('[2031-01-01,2032-01-01)', 0.5, 0.05, 'rolled back');
SELECT add_request(2);
ROLLBACK TO SAVEPOINT s;
SELECT add_request(3);
COMMIT;
SELECT id, fee, payout, total FROM shop.request ORDER BY id;

--
-- The constraint trigger checks every offer whose rows changed, however it
-- fires and whatever made the change.  Renumbering an offer moves its
-- installments by a foreign key's cascade, whose events queue behind the
-- offer's own in the same firing: the offer is checked again after them.
--
BEGIN;
INSERT INTO shop.offer VALUES (2, 200, '[2024-01-01,2025-01-01)', NULL);
INSERT INTO shop.installment VALUES (2, '2024-01-01', 100), (2, '2024-02-01', 100);
COMMIT;
BEGIN;
SET CONSTRAINTS shop.plan IMMEDIATE;
UPDATE shop.offer SET id = 20, contract_total = 150 WHERE id = 2;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
UPDATE shop.offer SET id = 20, contract_total = 150 WHERE id = 2;
COMMIT;
\echo :LAST_ERROR_SQLSTATE

-- the same with triggers that cannot be deferred
CREATE TABLE shop.now_offer (LIKE shop.offer INCLUDING ALL);
CREATE TABLE shop.now_installment (
    offer_id     int REFERENCES shop.now_offer ON UPDATE CASCADE,
    invoice_date date,
    amount       numeric(14,2)
);
CREATE TRIGGER plan AFTER INSERT OR UPDATE OR DELETE ON shop.now_installment FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        now_installment, offer_id, invoice_date, amount,
        now_offer, id, contract_total, contract_term, accepted_on);
CREATE TRIGGER plan AFTER INSERT OR UPDATE ON shop.now_offer FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        now_installment, offer_id, invoice_date, amount,
        now_offer, id, contract_total, contract_term, accepted_on);
INSERT INTO shop.now_offer VALUES (1, 200, '[2024-01-01,2025-01-01)', NULL);
INSERT INTO shop.now_installment VALUES (1, '2024-01-01', 100), (1, '2024-02-01', 100);
UPDATE shop.now_offer SET id = 2, contract_total = 150 WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
-- a change another trigger makes after the offer's check is checked too
CREATE FUNCTION shop.halve_installments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shop.now_installment SET amount = amount / 2 WHERE offer_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER zz_halve AFTER UPDATE ON shop.now_offer FOR EACH ROW
    EXECUTE FUNCTION shop.halve_installments();
UPDATE shop.now_offer SET contract_total = 200 WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
SELECT o.id, o.contract_total, sum(i.amount)
  FROM shop.now_offer o JOIN shop.now_installment i ON i.offer_id = o.id GROUP BY 1, 2;

-- an offer checked inside a savepoint that is rolled back is checked again
BEGIN;
DELETE FROM shop.installment WHERE offer_id = 2 AND invoice_date = '2024-02-01';
SAVEPOINT s;
INSERT INTO shop.installment VALUES (2, '2024-03-01', 100);
SET CONSTRAINTS shop.plan IMMEDIATE;
ROLLBACK TO SAVEPOINT s;
COMMIT;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS offer_2_installments FROM shop.installment WHERE offer_id = 2;

--
-- Generated columns: BEFORE triggers run before PostgreSQL computes them,
-- so a BEFORE trigger that reads one is refused (22023) with a hint.
--
CREATE TABLE shop.timed_request (
    id          int,
    hours       numeric(8,2),
    rate        numeric(8,2),
    amount      numeric(14,2) GENERATED ALWAYS AS (hours * rate) STORED,
    approved_at timestamptz,
    approved_on date GENERATED ALWAYS AS ((approved_at AT TIME ZONE 'UTC')::date) STORED,
    fee         numeric(14,2),
    payout      numeric(14,2),
    total       numeric(14,2)
);
CREATE TRIGGER price BEFORE INSERT ON shop.timed_request FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_at, fee, payout, total);
INSERT INTO shop.timed_request (id, hours, rate, approved_at) VALUES (1, 10, 100, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER price ON shop.timed_request;
CREATE TRIGGER price BEFORE INSERT ON shop.timed_request FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(hours, approved_on, fee, payout, total);
INSERT INTO shop.timed_request (id, hours, rate, approved_at) VALUES (1, 10, 100, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
-- the timestamptz column it is computed from can be named instead
DROP TRIGGER price ON shop.timed_request;
CREATE TRIGGER price BEFORE INSERT ON shop.timed_request FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(hours, approved_at, fee, payout, total);
INSERT INTO shop.timed_request (id, hours, rate, approved_at) VALUES (1, 10, 100, '2024-01-01');
SELECT id, hours, fee, payout, total FROM shop.timed_request;

CREATE TABLE shop.array_offer (
    id            int PRIMARY KEY,
    accepted_at   timestamptz,
    accepted_on   date GENERATED ALWAYS AS ((accepted_at AT TIME ZONE 'UTC')::date) STORED,
    amounts       numeric(14,2)[]
);
CREATE TRIGGER frozen BEFORE UPDATE OR DELETE ON shop.array_offer FOR EACH ROW
    EXECUTE FUNCTION iq_freeze_offer_schedule(accepted_on, amounts);
INSERT INTO shop.array_offer VALUES (1, '2024-01-01', DEFAULT, '{100}');
UPDATE shop.array_offer SET accepted_at = NULL;
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER frozen ON shop.array_offer;
CREATE TRIGGER frozen BEFORE UPDATE OR DELETE ON shop.array_offer FOR EACH ROW
    EXECUTE FUNCTION iq_freeze_offer_schedule(accepted_at, amounts);
UPDATE shop.array_offer SET accepted_at = NULL;
\echo :LAST_ERROR_SQLSTATE
UPDATE shop.array_offer SET amounts = '{99}';
\echo :LAST_ERROR_SQLSTATE
SELECT id, accepted_on, amounts FROM shop.array_offer;

--
-- The filled columns' constraints hold for NULL too, and a column that
-- cannot hold cents is refused rather than rounded.
--
CREATE DOMAIN shop.required_usd AS numeric(14,2) NOT NULL;
CREATE DOMAIN shop.priced_usd AS numeric(14,2) CHECK (VALUE IS NOT NULL AND VALUE >= 0);
CREATE TABLE shop.strict_request (amount numeric(14,2), approved_on date,
                                  fee shop.required_usd, payout shop.priced_usd,
                                  total numeric(14,2));
CREATE TRIGGER price BEFORE INSERT ON shop.strict_request FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, total);
-- not approved yet: the trigger's NULL fee breaks the NOT NULL domain
INSERT INTO shop.strict_request VALUES (1000, NULL, 0, 0, 0);
\echo :LAST_ERROR_SQLSTATE
-- and a NULL payout the CHECK domain
ALTER TABLE shop.strict_request ALTER COLUMN fee TYPE numeric(14,2);
INSERT INTO shop.strict_request VALUES (1000, NULL, 0, 0, 0);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO shop.strict_request VALUES (1000, '2024-01-01', 0, 0, 0);
SELECT * FROM shop.strict_request;

CREATE TABLE shop.whole_dollars (amount numeric(14,2), approved_on date,
                                 fee numeric(10,0), payout numeric(14,2), total numeric(14,2));
CREATE TRIGGER price BEFORE INSERT ON shop.whole_dollars FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, total);
INSERT INTO shop.whole_dollars (amount, approved_on) VALUES (0.30, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
CREATE DOMAIN shop.dimes AS numeric(12,1);
ALTER TABLE shop.whole_dollars ALTER COLUMN fee TYPE shop.dimes;
INSERT INTO shop.whole_dollars (amount, approved_on) VALUES (0.30, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS rounded_rows FROM shop.whole_dollars;

--
-- Partitioned installment tables, a partition in another schema: an
-- unqualified table argument is looked up in the schema of the table the
-- trigger was created on, never the partition's; all three installment
-- triggers work on the partitions.
--
CREATE SCHEMA archive;
CREATE TABLE archive.offer (id int PRIMARY KEY, contract_total numeric(14,2),
                            contract_term daterange, accepted_on date);
INSERT INTO archive.offer VALUES (1, 100, '[2024-01-01,2025-01-01)', NULL);
CREATE TABLE shop.split_installment (
    offer_id     int,
    invoice_date date,
    amount       numeric(14,2)
) PARTITION BY RANGE (invoice_date);
CREATE TABLE shop.split_2024 PARTITION OF shop.split_installment
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE archive.split_2023 PARTITION OF shop.split_installment
    FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE CONSTRAINT TRIGGER plan AFTER INSERT OR UPDATE OR DELETE ON shop.split_installment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        split_installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
CREATE CONSTRAINT TRIGGER split_plan AFTER INSERT OR UPDATE ON shop.offer
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        split_installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
CREATE TRIGGER frozen BEFORE INSERT OR UPDATE OR DELETE ON shop.split_installment
    FOR EACH ROW EXECUTE FUNCTION iq_freeze_installments(offer_id, offer, id, accepted_on);
BEGIN;
INSERT INTO shop.offer VALUES (3, 200, '[2023-06-01,2024-06-01)', NULL);
INSERT INTO shop.split_installment VALUES (3, '2023-07-01', 100), (3, '2024-01-01', 100);
COMMIT;
SELECT tableoid::regclass, * FROM shop.split_installment ORDER BY invoice_date;
-- both partitions' rows count towards shop.offer 3's total
BEGIN;
UPDATE shop.split_installment SET amount = 99 WHERE invoice_date = '2023-07-01';
COMMIT;
\echo :LAST_ERROR_SQLSTATE
-- shop.offer 3 accepted: no change through either partition (archive.offer
-- 1 and shop.offer 3 are different offers)
UPDATE shop.offer SET accepted_on = '2023-07-01' WHERE id = 3;
INSERT INTO shop.split_installment VALUES (3, '2023-08-01', 0);
\echo :LAST_ERROR_SQLSTATE
UPDATE shop.split_installment SET amount = amount WHERE invoice_date = '2024-01-01';
\echo :LAST_ERROR_SQLSTATE
-- moving an installment across partitions is a change too
UPDATE shop.split_installment SET invoice_date = '2024-02-01' WHERE invoice_date = '2023-07-01';
\echo :LAST_ERROR_SQLSTATE
-- an accepted offer's schedule kept in partitioned offer rows is frozen too
CREATE TABLE shop.split_offer (id int, region text, accepted_on date, amounts numeric[])
    PARTITION BY LIST (region);
CREATE TABLE archive.split_offer_eu PARTITION OF shop.split_offer FOR VALUES IN ('eu');
CREATE TRIGGER frozen BEFORE UPDATE OR DELETE ON shop.split_offer FOR EACH ROW
    EXECUTE FUNCTION iq_freeze_offer_schedule(accepted_on, amounts);
INSERT INTO shop.split_offer VALUES (1, 'eu', '2024-01-01', '{100}');
UPDATE shop.split_offer SET amounts = '{1}';
\echo :LAST_ERROR_SQLSTATE

--
-- Firings a trigger function was not written for are refused (39P01).
--
CREATE VIEW shop.installment_view AS SELECT * FROM shop.installment;
CREATE TRIGGER instead INSTEAD OF INSERT ON shop.installment_view FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
INSERT INTO shop.installment_view VALUES (1, '2024-09-01', 0);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER instead ON shop.installment_view;
CREATE TRIGGER instead INSTEAD OF INSERT ON shop.installment_view FOR EACH ROW
    EXECUTE FUNCTION iq_freeze_installments(offer_id, offer, id, accepted_on);
INSERT INTO shop.installment_view VALUES (1, '2024-09-01', 0);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER instead ON shop.installment_view;
CREATE TRIGGER every_statement AFTER INSERT ON shop.installment FOR EACH STATEMENT
    EXECUTE FUNCTION iq_installment_constraint(
        installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
INSERT INTO shop.installment VALUES (1, '2024-09-01', 0);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER every_statement ON shop.installment;
CREATE TRIGGER truncated AFTER TRUNCATE ON shop.installment
    EXECUTE FUNCTION iq_installment_constraint(
        installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
TRUNCATE shop.installment;
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER truncated ON shop.installment;
SELECT count(*) AS installments_left FROM shop.installment;
