--
-- Privileges and search_path: who may change rates, as whom the triggers'
-- queries run, and that neither hostile objects on the caller's
-- search_path nor objects planted in the extension's schema before
-- CREATE EXTENSION are ever called.
--
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

CREATE ROLE regress_iq_owner;
CREATE ROLE regress_iq_clerk;
CREATE ROLE regress_iq_intruder;

--
-- Everyone reads the fee schedule and prices; only its owner changes it
--
SET ROLE regress_iq_clerk;
SELECT iq_payout(1000, '2020-08-01') AS payout, count(*) AS schedule_rows FROM iq_fee_schedule;
INSERT INTO iq_fee_schedule VALUES ('[2040-01-01,)', 0, 0, 'free from 2040');
\echo :LAST_ERROR_SQLSTATE
UPDATE iq_fee_schedule SET expert_fee_rate = 0;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM iq_fee_schedule;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE iq_fee_schedule;
\echo :LAST_ERROR_SQLSTATE
-- the same for the Form 1099-K thresholds
SELECT iq_form_1099k_required(20000.01, 201, 2025) AS form_1099k,
       count(*) AS threshold_rows FROM iq_form_1099k_threshold;
INSERT INTO iq_form_1099k_threshold VALUES ('[2040,)', 0, NULL, 'everyone from 2040');
\echo :LAST_ERROR_SQLSTATE
UPDATE iq_form_1099k_threshold SET gross_threshold = 0;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM iq_form_1099k_threshold;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE iq_form_1099k_threshold;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

--
-- The installment triggers query the offer table as the owner of the table
-- they fire on: a clerk who may change installments needs no rights on
-- offers, and a trigger reads no more than its table's owner may.
--
CREATE SCHEMA sec;
GRANT USAGE, CREATE ON SCHEMA sec TO regress_iq_owner, regress_iq_intruder;
GRANT USAGE ON SCHEMA sec TO regress_iq_clerk;
SET ROLE regress_iq_owner;
CREATE TABLE sec.offer (
    id             int PRIMARY KEY,
    contract_total numeric(14,2) NOT NULL,
    contract_term  daterange NOT NULL,
    accepted_on    date
);
CREATE TABLE sec.installment (
    offer_id     int NOT NULL REFERENCES sec.offer,
    invoice_date date NOT NULL,
    amount       numeric(14,2) NOT NULL
);
CREATE CONSTRAINT TRIGGER installment_plan
    AFTER INSERT OR UPDATE OR DELETE ON sec.installment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
CREATE TRIGGER installments_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON sec.installment
    FOR EACH ROW EXECUTE FUNCTION
    iq_freeze_installments(offer_id, offer, id, accepted_on);
INSERT INTO sec.offer VALUES (1, 100, '[2024-01-01,2025-01-01)', NULL),
                             (2, 100, '[2024-01-01,2025-01-01)', '2024-01-01');
GRANT SELECT, INSERT, UPDATE, DELETE ON sec.installment TO regress_iq_clerk;
RESET ROLE;

SET ROLE regress_iq_clerk;
SELECT count(*) FROM sec.offer;
\echo :LAST_ERROR_SQLSTATE
BEGIN;
INSERT INTO sec.installment VALUES (1, '2024-01-01', 60), (1, '2024-07-01', 40);
COMMIT;
SELECT count(*) AS clerk_inserted FROM sec.installment;
-- the rules still hold for the clerk, whose errors show no values read
-- from the offer row, which the clerk may not read (as a foreign key's
-- errors do)
INSERT INTO sec.installment VALUES (1, '2024-08-01', 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO sec.installment VALUES (2, '2024-08-01', 1);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
-- with SELECT on those columns, the values are shown
GRANT SELECT (contract_total, contract_term, accepted_on) ON sec.offer TO regress_iq_clerk;
SET ROLE regress_iq_clerk;
INSERT INTO sec.installment VALUES (1, '2024-08-01', 1);
INSERT INTO sec.installment VALUES (2, '2024-08-01', 1);
RESET ROLE;
-- row-level security on the offer table hides them again
ALTER TABLE sec.offer ENABLE ROW LEVEL SECURITY;
CREATE POLICY everything ON sec.offer USING (true);
SET ROLE regress_iq_clerk;
INSERT INTO sec.installment VALUES (1, '2024-08-01', 1);
RESET ROLE;
ALTER TABLE sec.offer DISABLE ROW LEVEL SECURITY;
DROP POLICY everything ON sec.offer;
REVOKE SELECT (contract_total, contract_term, accepted_on) ON sec.offer FROM regress_iq_clerk;

-- an intruder's trigger naming the owner's offer table reads nothing
SET ROLE regress_iq_intruder;
CREATE TABLE sec.spy (offer_id int, invoice_date date, amount numeric);
CREATE CONSTRAINT TRIGGER spy AFTER INSERT ON sec.spy FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        spy, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
CREATE TRIGGER spy_frozen BEFORE INSERT ON sec.spy FOR EACH ROW
    EXECUTE FUNCTION iq_freeze_installments(offer_id, offer, id, accepted_on);
INSERT INTO sec.spy VALUES (2, '2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER spy_frozen ON sec.spy;
INSERT INTO sec.spy VALUES (1, '2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- a right to read the offer table that is granted and then revoked: the
-- trigger, decoded and cached in between, reads nothing after the REVOKE
SET ROLE regress_iq_owner;
CREATE TABLE sec.shared_offer (id int PRIMARY KEY, contract_total numeric, contract_term daterange);
INSERT INTO sec.shared_offer VALUES (1, 100, '[2024-01-01,2025-01-01)');
GRANT SELECT ON sec.shared_offer TO regress_iq_intruder;
SET ROLE regress_iq_intruder;
CREATE TABLE sec.lines (offer_id int, invoice_date date, amount numeric,
                        PRIMARY KEY (offer_id, invoice_date));
CREATE CONSTRAINT TRIGGER lines_plan AFTER INSERT ON sec.lines FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        lines, offer_id, invoice_date, amount, shared_offer, id, contract_total, contract_term);
INSERT INTO sec.lines VALUES (1, '2024-01-01', 100);
INSERT INTO sec.lines VALUES (1, '2024-02-01', 1);
\echo :LAST_ERROR_SQLSTATE
SET ROLE regress_iq_owner;
REVOKE SELECT ON sec.shared_offer FROM regress_iq_intruder;
SET ROLE regress_iq_intruder;
INSERT INTO sec.lines VALUES (1, '2024-02-01', 0);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

--
-- The fee schedule read for one user is not used for another: after
-- the superuser priced in this transaction, a role that may not read the
-- schedule is refused, by the aggregate too (whose schedule outlives its
-- statement)
REVOKE SELECT ON iq_fee_schedule FROM PUBLIC;
BEGIN;
SELECT iq_payout_sum(100, '2024-06-01'), iq_payout(100, '2024-06-01');
SET LOCAL ROLE regress_iq_intruder;
SELECT iq_payout_sum(100, '2024-06-01');
ROLLBACK;
GRANT SELECT ON iq_fee_schedule TO PUBLIC;

-- Hostile functions and operators ahead of pg_catalog on the search_path
-- are never called: every query the extension runs is schema-qualified.
--
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.trap() RETURNS boolean
LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hostile object called'; END $$;
CREATE FUNCTION hostile.lower(daterange) RETURNS date
LANGUAGE sql AS $$ SELECT CASE WHEN hostile.trap() THEN NULL::date END $$;
CREATE FUNCTION hostile.upper(daterange) RETURNS date
LANGUAGE sql AS $$ SELECT CASE WHEN hostile.trap() THEN NULL::date END $$;
CREATE FUNCTION hostile.lower_inf(daterange) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE FUNCTION hostile.upper_inf(daterange) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE FUNCTION hostile.lower_inc(daterange) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE FUNCTION hostile.upper_inc(daterange) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE FUNCTION hostile.isempty(daterange) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE FUNCTION hostile.text(daterange) RETURNS text
LANGUAGE sql AS $$ SELECT CASE WHEN hostile.trap() THEN 'x' END $$;
CREATE FUNCTION hostile.multirange(daterange) RETURNS datemultirange
LANGUAGE sql AS $$ SELECT CASE WHEN hostile.trap() THEN NULL::datemultirange END $$;
CREATE FUNCTION hostile.int_eq(int, int) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE OPERATOR hostile.= (LEFTARG = int, RIGHTARG = int, FUNCTION = hostile.int_eq);
CREATE FUNCTION hostile.date_eq(date, date) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE OPERATOR hostile.= (LEFTARG = date, RIGHTARG = date, FUNCTION = hostile.date_eq);
CREATE OPERATOR hostile.< (LEFTARG = date, RIGHTARG = date, FUNCTION = hostile.date_eq);
CREATE FUNCTION hostile.numeric_eq(numeric, numeric) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE OPERATOR hostile.= (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = hostile.numeric_eq);
CREATE OPERATOR hostile.>= (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = hostile.numeric_eq);
CREATE FUNCTION hostile.range_op(daterange, daterange) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE OPERATOR hostile.&& (LEFTARG = daterange, RIGHTARG = daterange, FUNCTION = hostile.range_op);
CREATE OPERATOR hostile.@> (LEFTARG = daterange, RIGHTARG = daterange, FUNCTION = hostile.range_op);
CREATE TYPE hostile.daterange AS (trap int);
CREATE FUNCTION hostile.int4range_op(int4range, int4range) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE OPERATOR hostile.&& (LEFTARG = int4range, RIGHTARG = int4range, FUNCTION = hostile.int4range_op);
CREATE OPERATOR hostile.@> (LEFTARG = int4range, RIGHTARG = int4range, FUNCTION = hostile.int4range_op);
CREATE FUNCTION hostile.int4range_int(int4range, int) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE OPERATOR hostile.@> (LEFTARG = int4range, RIGHTARG = int, FUNCTION = hostile.int4range_int);
CREATE OPERATOR hostile.>= (LEFTARG = int, RIGHTARG = int, FUNCTION = hostile.int_eq);
CREATE FUNCTION hostile.isempty(int4range) RETURNS boolean
LANGUAGE sql AS $$ SELECT hostile.trap() $$;
CREATE FUNCTION hostile.text(int4range) RETURNS text
LANGUAGE sql AS $$ SELECT CASE WHEN hostile.trap() THEN 'x' END $$;
CREATE FUNCTION hostile.multirange(int4range) RETURNS int4multirange
LANGUAGE sql AS $$ SELECT CASE WHEN hostile.trap() THEN NULL::int4multirange END $$;

CREATE TABLE sec.request (
    amount numeric(14,2), approved_on date,
    fee numeric(14,2), payout numeric(14,2), buyer_total numeric(14,2)
);
CREATE TRIGGER price BEFORE INSERT OR UPDATE ON sec.request FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, buyer_total);
CREATE TABLE sec.array_offer (
    contract_total numeric(14,2), contract_term pg_catalog.daterange, accepted_on date,
    invoice_dates date[], amounts numeric(14,2)[],
    CHECK (iq_installment_plan_check(invoice_dates, amounts, contract_total,
                                     contract_term, accepted_on))
);

SET search_path = hostile, pg_catalog, public;
-- the extension's own functions and the triggers, in a new session too
SELECT public.iq_payout(1000, '2020-08-01') AS payout,
       public.iq_buyer_total(1000, '2020-05-01') AS waived,
       (public.iq_charge(1000, '2020-08-01')).expert_fee AS fee,
       public.iq_fee_at(0.30, 0.15) AS half_up;
SELECT count(*) AS installments, sum(amount) AS total
  FROM public.iq_installment_plan(1000, 12, '2024-01-31');
SELECT rule, installment FROM public.iq_installment_plan_violations(
    '{2024-01-01,2024-01-01}', '{50,40}', 100, '[2024-01-01,2025-01-01)');
INSERT INTO sec.request (amount, approved_on) VALUES (1000, '2020-08-01'), (1000, '2020-06-01');
SELECT amount, fee, payout, buyer_total FROM sec.request ORDER BY approved_on;
INSERT INTO sec.array_offer VALUES (100, '[2024-01-01,2025-01-01)', NULL, '{2024-01-01}', '{100}');
INSERT INTO sec.array_offer VALUES (100, '[2024-01-01,2025-01-01)', NULL, '{2024-01-01}', '{99}');
\echo :LAST_ERROR_SQLSTATE
-- (this test's own statements must name pg_catalog's = too)
BEGIN;
UPDATE sec.installment SET amount = 50 WHERE invoice_date OPERATOR(pg_catalog.=) '2024-01-01';
UPDATE sec.installment SET amount = 50 WHERE invoice_date OPERATOR(pg_catalog.=) '2024-07-01';
COMMIT;
SELECT string_agg(amount::text, ', ' ORDER BY invoice_date) AS amounts FROM sec.installment;
BEGIN;
DELETE FROM sec.installment WHERE invoice_date OPERATOR(pg_catalog.=) '2024-07-01';
COMMIT;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO sec.installment VALUES (2, '2024-09-01', 0);
\echo :LAST_ERROR_SQLSTATE
-- the fee schedule's own trigger, checks and dump filter
BEGIN;
INSERT INTO public.iq_fee_schedule VALUES ('[2040-01-01,)', 0.2, 0.05, 'from 2040');
SELECT public.iq_payout(1000, '2040-01-01') AS payout_2040;
INSERT INTO public.iq_fee_schedule VALUES ('[2050-01-01,)', 1, 0, 'rate 1');
ROLLBACK;
SELECT count(*) FILTER (WHERE public.iq_fee_schedule_is_shipped(effective, expert_fee_rate,
                                                                 buyer_fee_rate, description))
       AS shipped_rows
  FROM public.iq_fee_schedule;
SELECT count(*) AS shipped FROM public.iq_fee_schedule_shipped();
-- the Form 1099-K test, and its table's trigger, checks and dump filter
SELECT public.iq_form_1099k_required(20000.01, 201, 2025) AS form_1099k_2025,
       public.iq_form_1099k_required(5000.01, 1, 2024) AS form_1099k_2024;
BEGIN;
INSERT INTO public.iq_form_1099k_threshold VALUES ('[2040,2041)', 600, NULL, 'in 2040');
SELECT public.iq_form_1099k_required(600.01, 1, 2040) AS form_1099k_2040;
INSERT INTO public.iq_form_1099k_threshold VALUES ('[2050,)', 600, -1, 'negative count');
ROLLBACK;
SELECT count(*) FILTER (WHERE public.iq_form_1099k_threshold_is_shipped(tax_years,
           gross_threshold, transaction_threshold, description)) AS shipped_thresholds
  FROM public.iq_form_1099k_threshold;
RESET search_path;

SET client_min_messages = warning;
DROP SCHEMA sec CASCADE;
DROP SCHEMA hostile CASCADE;
RESET client_min_messages;

--
-- Objects planted in the extension's schema before CREATE EXTENSION, with
-- argument types that match better than pg_catalog's (as contrib/seg's
-- security test does), are not picked by the install or upgrade scripts.
--
SET client_min_messages = warning;
DROP EXTENSION iqfees CASCADE;	-- and the triggers of the earlier tests' tables
RESET client_min_messages;
CREATE SCHEMA trap;
CREATE FUNCTION trap.trap() RETURNS boolean
LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'planted object called'; END $$;
CREATE FUNCTION trap.numeric_int(numeric, integer) RETURNS boolean
LANGUAGE sql AS $$ SELECT trap.trap() $$;
CREATE OPERATOR trap.>= (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = trap.numeric_int);
CREATE OPERATOR trap.< (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = trap.numeric_int);
CREATE FUNCTION trap.range_op(daterange, daterange) RETURNS boolean
LANGUAGE sql AS $$ SELECT trap.trap() $$;
CREATE OPERATOR trap.&& (LEFTARG = daterange, RIGHTARG = daterange, FUNCTION = trap.range_op);
CREATE FUNCTION trap.isempty(daterange) RETURNS boolean
LANGUAGE sql AS $$ SELECT trap.trap() $$;
CREATE FUNCTION trap.int4range_op(int4range, int4range) RETURNS boolean
LANGUAGE sql AS $$ SELECT trap.trap() $$;
CREATE OPERATOR trap.&& (LEFTARG = int4range, RIGHTARG = int4range, FUNCTION = trap.int4range_op);
CREATE FUNCTION trap.isempty(int4range) RETURNS boolean
LANGUAGE sql AS $$ SELECT trap.trap() $$;
CREATE FUNCTION trap.int_int(integer, integer) RETURNS boolean
LANGUAGE sql AS $$ SELECT trap.trap() $$;
CREATE OPERATOR trap.>= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = trap.int_int);

CREATE EXTENSION iqfees SCHEMA trap VERSION '1.0';
ALTER EXTENSION iqfees UPDATE;
SET search_path = trap, public;
INSERT INTO iq_fee_schedule VALUES ('[2040-01-01,)', 0.2, 0.05, 'from 2040');
INSERT INTO iq_fee_schedule VALUES ('[2050-01-01,)', 1, 0, 'rate 1');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_fee_schedule VALUES ('empty', 0.2, 0.05, 'empty');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_fee_schedule VALUES ('[2041-01-01,2042-01-01)', 0.1, 0.05, 'overlaps');
SELECT effective, expert_fee_rate FROM iq_fee_schedule ORDER BY effective;
SELECT iq_payout(1000, '2041-06-01') AS payout_2041, iq_payout(1000, '2045-01-01') AS payout_2045;
INSERT INTO iq_form_1099k_threshold VALUES ('[2040,2041)', 600, 0, 'in 2040');
INSERT INTO iq_form_1099k_threshold VALUES ('[2050,)', 600, -1, 'negative count');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO iq_form_1099k_threshold VALUES ('empty', 600, NULL, 'empty');
\echo :LAST_ERROR_SQLSTATE
SELECT tax_years, gross_threshold, transaction_threshold FROM iq_form_1099k_threshold
 ORDER BY tax_years;
SELECT iq_form_1099k_required(600.01, 1, 2040) AS form_1099k_2040,
       iq_form_1099k_required(20000.01, 201, 2045) AS form_1099k_2045;
RESET search_path;

DROP EXTENSION iqfees;
SET client_min_messages = warning;
DROP SCHEMA trap CASCADE;
RESET client_min_messages;
CREATE EXTENSION iqfees;

DROP OWNED BY regress_iq_owner, regress_iq_clerk, regress_iq_intruder;
DROP ROLE regress_iq_owner, regress_iq_clerk, regress_iq_intruder;
