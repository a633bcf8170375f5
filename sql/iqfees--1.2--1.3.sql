/* iqfees--1.2--1.3.sql: set-up functions, currencies, Form 1099-K thresholds, Citus */

\echo Use "ALTER EXTENSION iqfees UPDATE TO '1.3'" to load this file. \quit

--
-- Set-up functions: the triggers for a billing schema, every table,
-- column and type checked at once.  They create ordinary triggers whose
-- arguments name each column's role (role=column); run again, they replace
-- them.  Not STRICT: a NULL where a name is needed is an error naming the
-- parameter.
--
CREATE FUNCTION iq_price_requests(request_table regclass,
                                  amount_column name,
                                  approved_on_column name,
                                  expert_fee_column name DEFAULT NULL,
                                  payout_column name DEFAULT NULL,
                                  buyer_fee_column name DEFAULT NULL,
                                  buyer_total_column name DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'iq_price_requests'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION iq_price_requests(regclass, name, name, name, name, name, name) IS
    'creates (or replaces) the trigger iq_price_requests that fills the named fee, payout and buyer columns of a payment request table';

-- For the WHEN clauses of the installment triggers: false while the rows a
-- statement changes belong to the offer of the row before.
CREATE FUNCTION iq_offer_event_needed(offer anyelement)
RETURNS boolean
AS 'MODULE_PATHNAME', 'iq_offer_event_needed'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION iq_offer_event_needed(anyelement) IS
    'in the WHEN clause of an installment table''s constraint trigger: false when the statement''s previous row belongs to the same offer';

CREATE FUNCTION iq_enforce_installment_plans(installment_table regclass,
                                             offer_column name,
                                             invoice_date_column name,
                                             amount_column name,
                                             offer_table regclass,
                                             offer_key_column name,
                                             contract_total_column name,
                                             contract_term_column name DEFAULT NULL,
                                             term_start_column name DEFAULT NULL,
                                             term_end_column name DEFAULT NULL,
                                             acceptance_column name DEFAULT NULL,
                                             freeze boolean DEFAULT true,
                                             currency_column name DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'iq_enforce_installment_plans'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION iq_enforce_installment_plans(regclass, name, name, name, regclass, name, name, name, name, name, name, boolean, name) IS
    'creates (or replaces) the deferred constraint triggers that enforce the installment plan rules per offer, and with an acceptance column and freeze the triggers that freeze accepted schedules';

COMMENT ON FUNCTION iq_price_trigger() IS
    'BEFORE INSERT OR UPDATE row trigger; arguments: amount, approval date, fee, payout and buyer total columns, or role=column (see iq_price_requests)';
COMMENT ON FUNCTION iq_installment_constraint() IS
    'AFTER row (constraint) trigger on an installment or offer table; arguments: offer, invoice date and amount columns, offer table, key, contract total, contract term and acceptance date columns, or role=column (see iq_enforce_installment_plans)';

--
-- Every figure of many payment requests in one pass, and which amounts
-- would stop a report.
--
CREATE TYPE iq_charge_totals AS (
    requests      bigint,
    amount        numeric,
    expert_fee    numeric,
    expert_payout numeric,
    buyer_fee     numeric,
    buyer_total   numeric
);

-- The state is a bytea rather than internal, so that Citus can compute
-- the aggregate partially on its workers.  STABLE: it reads the schedule.
CREATE FUNCTION iq_charge_sum_step(bytea, numeric, date)
RETURNS bytea
AS 'MODULE_PATHNAME', 'iq_charge_sum_step'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION iq_charge_sum_combine(bytea, bytea)
RETURNS bytea
AS 'MODULE_PATHNAME', 'iq_charge_sum_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION iq_charge_sum_final(bytea)
RETURNS iq_charge_totals
AS 'MODULE_PATHNAME', 'iq_charge_sum_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE iq_charge_sum(amount numeric, approved_on date) (
    SFUNC = iq_charge_sum_step,
    STYPE = bytea,
    FINALFUNC = iq_charge_sum_final,
    COMBINEFUNC = iq_charge_sum_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE iq_charge_sum(numeric, date) IS
    'count, amount, expert fee, payout, buyer fee and buyer total of the approved payment requests, each priced on its approval date';

CREATE FUNCTION iq_amount_problem(amount numeric)
RETURNS text
AS 'MODULE_PATHNAME', 'iq_amount_problem'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION iq_amount_problem(numeric) IS
    'NULL for an amount the pricing functions accept, else the message of the error they raise for it';

CREATE FUNCTION iq_amount_problem(amount numeric, currency text)
RETURNS text
AS 'MODULE_PATHNAME', 'iq_amount_problem'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION iq_amount_problem(numeric, text) IS
    'NULL for a valid amount in the currency (an ISO 4217 code), else the message of the error the plan functions raise for it';

--
-- Installment plans in the offer's currency: currency text DEFAULT 'USD'
-- as the last argument of the plan functions.  The functions keep their
-- OIDs, so that CHECK constraints, views and triggers that call them keep
-- working: each one's pg_proc row takes the argument list of a function
-- declared with the new signature, which is then dropped.  (CREATE OR
-- REPLACE cannot add an argument; a new overload next to the old one
-- would make every call that omits the currency ambiguous.)  The C
-- functions take calls without the currency, from expressions stored
-- before, as US dollars.
--
CREATE FUNCTION iq_installment_plan_signature(contract_total numeric, payments integer,
                                              first_invoice_date date,
                                              frequency interval DEFAULT '1 month',
                                              initial_payment numeric DEFAULT NULL,
                                              currency text DEFAULT 'USD')
RETURNS SETOF iq_installment
AS 'MODULE_PATHNAME', 'iq_installment_plan'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 12;

CREATE FUNCTION iq_installment_plan_violations_signature(invoice_dates date[], amounts numeric[],
                                                         contract_total numeric,
                                                         contract_term daterange,
                                                         acceptance_date date DEFAULT NULL,
                                                         currency text DEFAULT 'USD')
RETURNS SETOF iq_plan_violation
AS 'MODULE_PATHNAME', 'iq_installment_plan_violations'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;

CREATE FUNCTION iq_installment_plan_check_signature(invoice_dates date[], amounts numeric[],
                                                    contract_total numeric,
                                                    contract_term daterange,
                                                    acceptance_date date DEFAULT NULL,
                                                    currency text DEFAULT 'USD')
RETURNS boolean
AS 'MODULE_PATHNAME', 'iq_installment_plan_check'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION iq_billing_schedule_signature(invoice_dates date[], amounts numeric[],
                                              acceptance_date date DEFAULT NULL,
                                              currency text DEFAULT 'USD')
RETURNS TABLE (installment integer, invoice_date date, billed_on date,
               billed_at timestamptz, amount numeric)
AS 'MODULE_PATHNAME', 'iq_billing_schedule'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 12;

UPDATE pg_catalog.pg_proc AS p
   SET pronargs = n.pronargs, pronargdefaults = n.pronargdefaults,
       proargtypes = n.proargtypes, proallargtypes = n.proallargtypes,
       proargmodes = n.proargmodes, proargnames = n.proargnames,
       proargdefaults = n.proargdefaults
  FROM (VALUES
          ('@extschema@.iq_installment_plan(numeric, integer, date, interval, numeric)',
           '@extschema@.iq_installment_plan_signature(numeric, integer, date, interval, numeric, text)'),
          ('@extschema@.iq_installment_plan_violations(date[], numeric[], numeric, daterange, date)',
           '@extschema@.iq_installment_plan_violations_signature(date[], numeric[], numeric, daterange, date, text)'),
          ('@extschema@.iq_installment_plan_check(date[], numeric[], numeric, daterange, date)',
           '@extschema@.iq_installment_plan_check_signature(date[], numeric[], numeric, daterange, date, text)'),
          ('@extschema@.iq_billing_schedule(date[], numeric[], date)',
           '@extschema@.iq_billing_schedule_signature(date[], numeric[], date, text)')
       ) AS f(old, new),
       pg_catalog.pg_proc AS n
 WHERE p.oid = f.old::pg_catalog.regprocedure
   AND n.oid = f.new::pg_catalog.regprocedure;

DROP FUNCTION iq_installment_plan_signature(numeric, integer, date, interval, numeric, text);
DROP FUNCTION iq_installment_plan_violations_signature(date[], numeric[], numeric, daterange, date, text);
DROP FUNCTION iq_installment_plan_check_signature(date[], numeric[], numeric, daterange, date, text);
DROP FUNCTION iq_billing_schedule_signature(date[], numeric[], date, text);

COMMENT ON FUNCTION iq_installment_plan(numeric, integer, date, interval, numeric, text) IS
    'an AWS Marketplace installment plan: equal payments, exact to the minor unit of the currency';
COMMENT ON FUNCTION iq_installment_plan_violations(date[], numeric[], numeric, daterange, date, text) IS
    'every rule an installment plan breaks, its amounts in the currency';
COMMENT ON FUNCTION iq_installment_plan_check(date[], numeric[], numeric, daterange, date, text) IS
    'true for a valid installment plan, else a check_violation error; for CHECK constraints';
COMMENT ON FUNCTION iq_billing_schedule(date[], numeric[], date, text) IS
    'each installment with its invoice date, the day and instant (00:00 UTC) it is billed, and its amount in the currency';
--
-- Form 1099-K: which payees a year's payments are reported for.  The IRS
-- thresholds are data, like the fee schedule: they changed by law and by
-- notice, and sources disagree about some years.
--
CREATE TABLE iq_form_1099k_threshold (
    tax_years             int4range NOT NULL,
    gross_threshold       numeric   NOT NULL,
    transaction_threshold integer,
    description           text,
    CONSTRAINT iq_form_1099k_threshold_no_overlap
        EXCLUDE USING gist (tax_years WITH OPERATOR(pg_catalog.&&)),
    CONSTRAINT iq_form_1099k_threshold_tax_years_check
        CHECK (NOT pg_catalog.isempty(tax_years)),
    -- an amount as the pricing functions take one
    CONSTRAINT iq_form_1099k_threshold_gross_threshold_check
        CHECK (@extschema@.iq_amount_problem(gross_threshold) IS NULL),
    CONSTRAINT iq_form_1099k_threshold_transaction_threshold_check
        CHECK (transaction_threshold OPERATOR(pg_catalog.>=) 0)
);

COMMENT ON TABLE iq_form_1099k_threshold IS
    'Form 1099-K reporting thresholds by calendar (tax) year';
COMMENT ON COLUMN iq_form_1099k_threshold.tax_years IS
    'calendar years the thresholds apply to; rows never overlap';
COMMENT ON COLUMN iq_form_1099k_threshold.gross_threshold IS
    'a payee is reported only when the year''s gross payments exceed this';
COMMENT ON COLUMN iq_form_1099k_threshold.transaction_threshold IS
    'and only when the year''s transactions exceed this many; NULL: no count test';

GRANT SELECT ON iq_form_1099k_threshold TO PUBLIC;

--
-- The rows the extension ships: the thresholds payment platforms applied
-- to each year AWS IQ paid experts, the last one open-ended (README,
-- "Form 1099-K", gives the sources).  As iq_fee_schedule_shipped(), it
-- serves the install, the pg_dump filter and the make-room trigger.
--
CREATE FUNCTION iq_form_1099k_threshold_shipped()
RETURNS TABLE (tax_years int4range, gross_threshold numeric,
               transaction_threshold integer, description text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    VALUES ('[2019,2022)'::pg_catalog.int4range, 20000.00, 200,
            'before the American Rescue Plan Act of 2021: more than $20,000 and more than 200 transactions'),
           ('[2022,2024)'::pg_catalog.int4range, 20000.00, 200,
            'the American Rescue Plan Act''s $600 threshold delayed by IRS Notices 2023-10 and 2023-74: more than $20,000 and more than 200 transactions'),
           ('[2024,2025)'::pg_catalog.int4range, 5000.00, NULL,
            'IRS transition threshold for 2024 (Notices 2023-74 and 2024-85): more than $5,000, any number of transactions'),
           ('[2025,)'::pg_catalog.int4range, 20000.00, 200,
            'restored by the One Big Beautiful Bill Act of 2025 (IRS FS-2025-08): more than $20,000 and more than 200 transactions')
$$;

COMMENT ON FUNCTION iq_form_1099k_threshold_shipped() IS
    'the Form 1099-K threshold rows iqfees ships';

-- A shipped row, or the part of one left after rows were added over it.
CREATE FUNCTION iq_form_1099k_threshold_is_shipped(row_tax_years int4range,
                                                   row_gross_threshold numeric,
                                                   row_transaction_threshold integer,
                                                   row_description text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (
        SELECT FROM @extschema@.iq_form_1099k_threshold_shipped() s
         WHERE s.tax_years @> row_tax_years
           AND s.gross_threshold = row_gross_threshold
           AND s.transaction_threshold IS NOT DISTINCT FROM row_transaction_threshold
           AND s.description IS NOT DISTINCT FROM row_description)
$$;

COMMENT ON FUNCTION iq_form_1099k_threshold_is_shipped(int4range, numeric, integer, text) IS
    'true for a shipped Form 1099-K threshold row or what is left of one';

-- As iq_fee_schedule_make_room: a row added or changed over shipped rows
-- takes those years from them, and a restore ends with the dumped rows.
-- It acts on the table it fires on, which on a Citus node is that node's
-- copy (iq_form_1099k_threshold_102009).
CREATE FUNCTION iq_form_1099k_threshold_make_room()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    fired_on text := format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
    shipped record;
BEGIN
    FOR shipped IN EXECUTE format(
        'SELECT s.ctid AS id, s.* FROM %s s
          WHERE s.tax_years OPERATOR(pg_catalog.&&) $1
            AND @extschema@.iq_form_1099k_threshold_is_shipped(s.tax_years,
                    s.gross_threshold, s.transaction_threshold, s.description)
            AND ($2 OR s.ctid OPERATOR(pg_catalog.<>) $3)', fired_on)
        USING NEW.tax_years, TG_OP = 'INSERT', OLD.ctid
    LOOP
        EXECUTE format('DELETE FROM %s WHERE ctid OPERATOR(pg_catalog.=) $1', fired_on)
            USING shipped.id;
        EXECUTE format(
            'INSERT INTO %s
             SELECT piece, $1, $2, $3
               FROM pg_catalog.unnest(pg_catalog.multirange($4)
                                      OPERATOR(pg_catalog.-) pg_catalog.multirange($5)) AS piece',
            fired_on)
            USING shipped.gross_threshold, shipped.transaction_threshold, shipped.description,
                  shipped.tax_years, NEW.tax_years;
    END LOOP;
    RETURN NEW;
END
$$;

CREATE TRIGGER iq_form_1099k_threshold_make_room
    BEFORE INSERT OR UPDATE OF tax_years ON iq_form_1099k_threshold
    FOR EACH ROW EXECUTE FUNCTION iq_form_1099k_threshold_make_room();

INSERT INTO @extschema@.iq_form_1099k_threshold
SELECT * FROM @extschema@.iq_form_1099k_threshold_shipped();

-- pg_dump keeps the rows a user added or changed, as for the fee schedule.
SELECT pg_catalog.pg_extension_config_dump('iq_form_1099k_threshold',
    'WHERE NOT @extschema@.iq_form_1099k_threshold_is_shipped(tax_years, gross_threshold, transaction_threshold, description)');

-- STABLE: it reads the threshold table.
CREATE FUNCTION iq_form_1099k_required(gross_payments numeric, transactions bigint,
                                       tax_year integer)
RETURNS boolean
AS 'MODULE_PATHNAME', 'iq_form_1099k_required'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION iq_form_1099k_required(numeric, bigint, integer) IS
    'true when a payee''s gross payments and transactions in the tax year exceed the year''s Form 1099-K thresholds';

--
-- Citus: the same answers on a distributed PostgreSQL.
--

-- iq_payout_sum keeps its sum in a bytea, as iq_charge_sum does: Citus
-- computes an aggregate partially on its workers only when its state is
-- not internal.  CREATE OR REPLACE keeps the aggregate, and with it the
-- views and functions that use it.
CREATE FUNCTION iq_payout_sum_step(bytea, numeric, date)
RETURNS bytea
AS 'MODULE_PATHNAME', 'iq_payout_sum_step'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION iq_cents_sum_combine(bytea, bytea)
RETURNS bytea
AS 'MODULE_PATHNAME', 'iq_cents_sum_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION iq_cents_sum_final(bytea)
RETURNS numeric
AS 'MODULE_PATHNAME', 'iq_cents_sum_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE AGGREGATE iq_payout_sum(amount numeric, approved_on date) (
    SFUNC = iq_payout_sum_step,
    STYPE = bytea,
    FINALFUNC = iq_cents_sum_final,
    COMBINEFUNC = iq_cents_sum_combine,
    PARALLEL = SAFE
);

DROP FUNCTION iq_payout_sum_step(internal, numeric, date);
DROP FUNCTION iq_cents_sum_combine(internal, internal);
DROP FUNCTION iq_cents_sum_serialize(internal);
DROP FUNCTION iq_cents_sum_deserialize(bytea, internal);
DROP FUNCTION iq_cents_sum_final(internal);

-- A row added over shipped rows cuts them back in the table the trigger
-- fires on: iq_fee_schedule, or on a Citus node its placement there
-- (iq_fee_schedule_102008), which holds that node's copy of the rows.
CREATE OR REPLACE FUNCTION iq_fee_schedule_make_room()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    fired_on text := format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
    shipped record;
BEGIN
    FOR shipped IN EXECUTE format(
        'SELECT s.ctid AS id, s.* FROM %s s
          WHERE s.effective OPERATOR(pg_catalog.&&) $1
            AND @extschema@.iq_fee_schedule_is_shipped(s.effective,
                    s.expert_fee_rate, s.buyer_fee_rate, s.description)
            AND ($2 OR s.ctid OPERATOR(pg_catalog.<>) $3)', fired_on)
        USING NEW.effective, TG_OP = 'INSERT', OLD.ctid
    LOOP
        EXECUTE format('DELETE FROM %s WHERE ctid OPERATOR(pg_catalog.=) $1', fired_on)
            USING shipped.id;
        EXECUTE format(
            'INSERT INTO %s
             SELECT piece, $1, $2, $3
               FROM pg_catalog.unnest(pg_catalog.multirange($4)
                                      OPERATOR(pg_catalog.-) pg_catalog.multirange($5)) AS piece',
            fired_on)
            USING shipped.expert_fee_rate, shipped.buyer_fee_rate, shipped.description,
                  shipped.effective, NEW.effective;
    END LOOP;
    RETURN NEW;
END
$$;

-- Logical replication identifies a changed row by its replica identity,
-- and the exclusion constraint's index cannot be one: without this, a
-- publication of the table refuses its updates and deletes, and Citus
-- cannot copy the table to a new node by logical replication.
ALTER TABLE iq_fee_schedule REPLICA IDENTITY FULL;
ALTER TABLE iq_form_1099k_threshold REPLICA IDENTITY FULL;

-- One fee schedule and one set of Form 1099-K thresholds on every node:
-- run once on a Citus coordinator.  Both tables become Citus reference
-- tables, a copy on every node that every change reaches in the same
-- transaction; a worker reads its copy, and refuses to while it has none.
CREATE FUNCTION iq_distribute_tables()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
-- the triggers that cut back shipped rows go to every copy
SET citus.enable_unsafe_triggers = on
AS $$
DECLARE
    data_table regclass;
BEGIN
    IF to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
        RAISE EXCEPTION 'citus is not installed in this database'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Without Citus every query reads iqfees'' tables themselves; there is nothing to distribute.';
    END IF;
    FOREACH data_table IN ARRAY ARRAY['@extschema@.iq_fee_schedule'::regclass,
                                      '@extschema@.iq_form_1099k_threshold'::regclass]
    LOOP
        CONTINUE WHEN EXISTS (SELECT FROM pg_dist_partition
                               WHERE logicalrelid OPERATOR(pg_catalog.=) data_table);
        PERFORM create_reference_table(data_table);
        -- the coordinator's table keeps no copy of its own beside its placement
        PERFORM truncate_local_data_after_distributing_table(data_table);
    END LOOP;
END
$$;

COMMENT ON FUNCTION iq_distribute_tables() IS
    'on a Citus coordinator: makes iq_fee_schedule and iq_form_1099k_threshold reference tables, so that every node reads the coordinator''s rows';
