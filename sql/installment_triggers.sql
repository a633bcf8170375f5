--
-- Installment tables with one row per installment: the deferred per-offer
-- constraint trigger, and the triggers that freeze an accepted offer's
-- schedule in both storage shapes.  The tables live in another schema
-- than the extension.
--
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

CREATE SCHEMA billing;
CREATE TABLE billing.offer (
    id             int PRIMARY KEY,
    contract_total numeric(14,2) NOT NULL,
    contract_term  daterange NOT NULL,
    accepted_on    date
);
CREATE TABLE billing.installment (
    offer_id     int NOT NULL REFERENCES billing.offer ON DELETE CASCADE,
    invoice_date date NOT NULL,
    amount       numeric(14,2) NOT NULL,
    PRIMARY KEY (offer_id, invoice_date)
);
-- the same constraint trigger on both tables: changing installments, or an
-- offer's total, term or acceptance date, is checked at commit
CREATE CONSTRAINT TRIGGER installment_plan
    AFTER INSERT OR UPDATE OR DELETE ON billing.installment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
CREATE CONSTRAINT TRIGGER installment_plan
    AFTER INSERT OR UPDATE ON billing.offer
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
-- once accepted, the schedule is frozen
CREATE TRIGGER installments_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON billing.installment
    FOR EACH ROW EXECUTE FUNCTION
    iq_freeze_installments(offer_id, offer, id, accepted_on);
CREATE TRIGGER offer_frozen
    BEFORE UPDATE OR DELETE ON billing.offer
    FOR EACH ROW EXECUTE FUNCTION
    iq_freeze_offer_schedule(accepted_on, contract_total, contract_term);

-- a generated plan goes in; the check runs at commit
BEGIN;
INSERT INTO billing.offer VALUES (1, 12000, '[2024-01-01,2025-01-01)', NULL);
INSERT INTO billing.installment
SELECT 1, invoice_date, amount FROM iq_installment_plan(12000, 12, '2024-01-15');
COMMIT;
SELECT count(*), sum(amount), min(invoice_date), max(invoice_date)
  FROM billing.installment WHERE offer_id = 1;

-- adjust one line and the contract total with it: accepted
BEGIN;
UPDATE billing.installment SET amount = amount + 500
 WHERE offer_id = 1 AND invoice_date = '2024-01-15';
UPDATE billing.offer SET contract_total = contract_total + 500 WHERE id = 1;
COMMIT;
SELECT contract_total, (SELECT sum(amount) FROM billing.installment WHERE offer_id = 1)
  FROM billing.offer WHERE id = 1;

-- change the total alone: refused at commit
UPDATE billing.offer SET contract_total = 12000 WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE

-- adjust a line alone: the total no longer matches, refused at commit
BEGIN;
UPDATE billing.installment SET amount = amount - 0.01
 WHERE offer_id = 1 AND invoice_date = '2024-02-15';
COMMIT;
\echo :LAST_ERROR_SQLSTATE

-- checked at once with SET CONSTRAINTS ... IMMEDIATE
BEGIN;
SET CONSTRAINTS billing.installment_plan IMMEDIATE;
DELETE FROM billing.installment WHERE offer_id = 1 AND invoice_date = '2024-12-15';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- the last day of the term is fine, the day after is not
BEGIN;
INSERT INTO billing.offer VALUES (2, 100, '[2024-01-01,2024-12-31]', NULL);
INSERT INTO billing.installment VALUES (2, '2024-01-01', 50), (2, '2024-12-31', 50);
COMMIT;
BEGIN;
INSERT INTO billing.offer VALUES (3, 100, '[2024-01-01,2024-12-31]', NULL);
INSERT INTO billing.installment VALUES (3, '2024-01-01', 50), (3, '2025-01-01', 50);
COMMIT;
\echo :LAST_ERROR_SQLSTATE

-- 60 installments are fine, 61 are not
BEGIN;
INSERT INTO billing.offer VALUES (4, 60, '[2024-01-01,2030-01-01)', NULL);
INSERT INTO billing.installment
SELECT 4, invoice_date, amount FROM iq_installment_plan(60, 60, '2024-01-01');
COMMIT;
BEGIN;
UPDATE billing.offer SET contract_total = 61 WHERE id = 4;
INSERT INTO billing.installment VALUES (4, '2029-12-01', 1);
COMMIT;
\echo :LAST_ERROR_SQLSTATE

-- one invoice date before acceptance is fine (it is raised at acceptance);
-- a date on the acceptance day is not backdated; two backdated are refused.
-- The plan is made first and the offer accepted afterwards, as in AWS.
BEGIN;
INSERT INTO billing.offer VALUES (5, 300, '[2024-01-01,2025-01-01)', NULL);
INSERT INTO billing.installment VALUES
    (5, '2024-02-01', 100), (5, '2024-03-01', 100), (5, '2024-04-01', 100);
COMMIT;
UPDATE billing.offer SET accepted_on = '2024-03-01' WHERE id = 5;
BEGIN;
INSERT INTO billing.offer VALUES (6, 300, '[2024-01-01,2025-01-01)', NULL);
INSERT INTO billing.installment VALUES
    (6, '2024-01-01', 100), (6, '2024-02-01', 100), (6, '2024-04-01', 100);
COMMIT;
UPDATE billing.offer SET accepted_on = '2024-03-01' WHERE id = 6;
\echo :LAST_ERROR_SQLSTATE
SELECT id, accepted_on FROM billing.offer WHERE id IN (5, 6) ORDER BY id;

-- without an acceptance date the term's first day is the reference
BEGIN;
INSERT INTO billing.offer VALUES (7, 200, '[2024-03-01,2025-01-01)', NULL);
INSERT INTO billing.installment VALUES (7, '2024-01-01', 100), (7, '2024-02-01', 100);
COMMIT;
\echo :LAST_ERROR_SQLSTATE

-- every violation is listed, the first in the message
BEGIN;
INSERT INTO billing.offer VALUES (8, 1000, '[2024-03-01,2024-06-01)', NULL);
INSERT INTO billing.installment VALUES
    (8, '2024-01-01', 100), (8, '2024-02-01', 100), (8, '2024-07-01', 100);
COMMIT;
\echo :LAST_ERROR_SQLSTATE

-- moving an installment to another offer checks both offers
BEGIN;
UPDATE billing.installment SET offer_id = 2 WHERE offer_id = 6 AND invoice_date = '2024-04-01';
COMMIT;
\echo :LAST_ERROR_SQLSTATE

-- deleting an offer deletes its plan; nothing is left to check
BEGIN;
DELETE FROM billing.offer WHERE id = 2;
COMMIT;
SELECT count(*) AS installments_of_offer_2 FROM billing.installment WHERE offer_id = 2;

-- an offer without installments has no installment plan, and nothing to check
BEGIN;
DELETE FROM billing.installment WHERE offer_id = 1;
SET CONSTRAINTS ALL IMMEDIATE;
SELECT count(*) AS offer_1_installments FROM billing.installment WHERE offer_id = 1;
ROLLBACK;

-- once accepted, the schedule is frozen: no insert, update or delete
UPDATE billing.offer SET accepted_on = '2024-01-10' WHERE id = 1;
UPDATE billing.offer SET contract_total = 1 WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE billing.offer SET accepted_on = NULL WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM billing.offer WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO billing.installment VALUES (1, '2024-12-31', 1);
\echo :LAST_ERROR_SQLSTATE
UPDATE billing.installment SET amount = amount WHERE offer_id = 1 AND invoice_date = '2024-03-15';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM billing.installment WHERE offer_id = 1;
\echo :LAST_ERROR_SQLSTATE
-- nor moved to or from an accepted offer
UPDATE billing.installment SET offer_id = 1 WHERE offer_id = 4 AND invoice_date = '2024-01-01';
\echo :LAST_ERROR_SQLSTATE
UPDATE billing.installment SET offer_id = 4 WHERE offer_id = 1 AND invoice_date = '2024-01-15';
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS offer_1_installments FROM billing.installment WHERE offer_id = 1;

--
-- Schedules kept as arrays on the offer row: a CHECK constraint validates,
-- iq_freeze_offer_schedule freezes.
--
CREATE TABLE billing.array_offer (
    id             int PRIMARY KEY,
    contract_total numeric(14,2) NOT NULL,
    contract_term  daterange NOT NULL,
    accepted_on    date,
    invoice_dates  date[] NOT NULL,
    amounts        numeric(14,2)[] NOT NULL,
    note           text,
    CONSTRAINT valid_plan CHECK (iq_installment_plan_check(
        invoice_dates, amounts, contract_total, contract_term, accepted_on))
);
CREATE TRIGGER schedule_frozen BEFORE UPDATE OR DELETE ON billing.array_offer
    FOR EACH ROW EXECUTE FUNCTION iq_freeze_offer_schedule(
        accepted_on, invoice_dates, amounts, contract_total, contract_term);

INSERT INTO billing.array_offer
SELECT 1, 900, '[2024-01-01,2025-01-01)', NULL,
       array_agg(invoice_date ORDER BY installment), array_agg(amount ORDER BY installment), NULL
  FROM iq_installment_plan(900, 3, '2024-01-01', '3 months');
SELECT * FROM billing.array_offer;

-- a backdated plan is refused by the CHECK constraint, with the rule shown
INSERT INTO billing.array_offer VALUES
    (2, 300, '[2024-01-01,2025-01-01)', '2024-06-01',
     '{2024-01-01,2024-02-01,2024-07-01}', '{100,100,100}', NULL);
\echo :LAST_ERROR_SQLSTATE

-- before acceptance the schedule may change, and the total with it
UPDATE billing.array_offer
   SET amounts = '{400,250,250}', contract_total = 900 WHERE id = 1;
UPDATE billing.array_offer SET amounts = '{400,250,251}' WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE

-- after acceptance it may not; other columns still may
UPDATE billing.array_offer SET accepted_on = '2024-01-01' WHERE id = 1;
UPDATE billing.array_offer SET amounts = '{300,300,300}' WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE billing.array_offer SET invoice_dates[3] = '2024-08-01' WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE billing.array_offer SET accepted_on = NULL WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM billing.array_offer WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE billing.array_offer SET note = 'renewal due 2025' WHERE id = 1;
SELECT id, accepted_on, amounts, note FROM billing.array_offer;

--
-- Column arguments are exact names; table arguments are read like regclass
-- text.  An unqualified table is found in the schema of the trigger's own
-- table, whatever search_path is.
--
CREATE SCHEMA "Sales Ops";
CREATE TABLE "Sales Ops"."Offer ""A""" (
    "Offer No"  int PRIMARY KEY,
    "Total"     numeric NOT NULL,
    "Term"      daterange NOT NULL
);
CREATE TABLE "Sales Ops"."Line" (
    "Offer No" int REFERENCES "Sales Ops"."Offer ""A""",
    "Due"      date,
    "USD"      numeric
);
CREATE CONSTRAINT TRIGGER "Plan" AFTER INSERT OR UPDATE OR DELETE ON "Sales Ops"."Line"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        '"Line"', 'Offer No', 'Due', 'USD', '"Offer ""A"""', 'Offer No', 'Total', 'Term');
-- a decoy with the same name on the search_path is not used
CREATE TABLE public."Offer ""A""" ("Offer No" int, "Total" numeric, "Term" daterange);
INSERT INTO public."Offer ""A""" VALUES (1, 1, '[2000-01-01,2000-01-02)');
BEGIN;
INSERT INTO "Sales Ops"."Offer ""A""" VALUES (1, 200, '[2024-01-01,2025-01-01)');
INSERT INTO "Sales Ops"."Line" VALUES (1, '2024-01-01', 100), (1, '2024-07-01', 100);
COMMIT;
BEGIN;
INSERT INTO "Sales Ops"."Line" VALUES (1, '2024-08-01', 100);
COMMIT;
\echo :LAST_ERROR_SQLSTATE

-- an argument is a name, never SQL
CREATE TABLE billing.line (offer_id int, due date, usd numeric);
CREATE CONSTRAINT TRIGGER bad AFTER INSERT ON billing.line
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        line, offer_id, due, usd, 'offer WHERE false; DROP TABLE billing.offer; --', id,
        contract_total, contract_term);
INSERT INTO billing.line VALUES (1, '2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS offers_still_there FROM billing.offer;
DROP TRIGGER bad ON billing.line;

-- misconfigured triggers fail with a clear error
CREATE CONSTRAINT TRIGGER bad AFTER INSERT ON billing.line
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(line, offer_id, due, usd, offer, id, contract_total);
INSERT INTO billing.line VALUES (1, '2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad ON billing.line;
CREATE CONSTRAINT TRIGGER bad AFTER INSERT ON billing.line
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(line, offer_id, due, usd, offer, id, contract_total, accepted_on);
INSERT INTO billing.line VALUES (1, '2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad ON billing.line;
CREATE CONSTRAINT TRIGGER bad AFTER INSERT ON billing.line
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(line, offer_id, due, usd, no_such_offer, id, contract_total, contract_term);
INSERT INTO billing.line VALUES (1, '2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad ON billing.line;
CREATE CONSTRAINT TRIGGER bad AFTER INSERT ON billing.line
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(line, offer_id, usd, due, offer, id, contract_total, contract_term);
INSERT INTO billing.line VALUES (1, '2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad ON billing.line;
CREATE TRIGGER bad BEFORE INSERT ON billing.line FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(line, offer_id, due, usd, offer, id, contract_total, contract_term);
INSERT INTO billing.line VALUES (1, '2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad ON billing.line;
CREATE CONSTRAINT TRIGGER bad AFTER INSERT ON billing.array_offer
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(line, offer_id, due, usd, offer, id, contract_total, contract_term);
INSERT INTO billing.array_offer VALUES (9, 1, '[2024-01-01,2025-01-01)', NULL, '{2024-01-01}', '{1}', NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad ON billing.array_offer;
CREATE TRIGGER bad AFTER INSERT ON billing.line FOR EACH ROW
    EXECUTE FUNCTION iq_freeze_installments(offer_id, offer, id, accepted_on);
INSERT INTO billing.line VALUES (1, '2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad ON billing.line;
CREATE TRIGGER bad BEFORE INSERT ON billing.line FOR EACH ROW
    EXECUTE FUNCTION iq_freeze_installments(offer_id, offer, id, contract_total);
INSERT INTO billing.line VALUES (1, '2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad ON billing.line;
CREATE TRIGGER bad BEFORE INSERT ON billing.array_offer FOR EACH ROW
    EXECUTE FUNCTION iq_freeze_offer_schedule(accepted_on, amounts);
INSERT INTO billing.array_offer VALUES (9, 1, '[2024-01-01,2025-01-01)', NULL, '{2024-01-01}', '{1}', NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad ON billing.array_offer;
CREATE TRIGGER bad BEFORE UPDATE ON billing.array_offer FOR EACH ROW
    EXECUTE FUNCTION iq_freeze_offer_schedule(accepted_on);
UPDATE billing.array_offer SET note = 'x';
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad ON billing.array_offer;
CREATE TRIGGER bad BEFORE UPDATE ON billing.array_offer FOR EACH ROW
    EXECUTE FUNCTION iq_freeze_offer_schedule(accepted_on, schedule);
UPDATE billing.array_offer SET note = 'x';
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad ON billing.array_offer;

DROP SCHEMA billing CASCADE;
