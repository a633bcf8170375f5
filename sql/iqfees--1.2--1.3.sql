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
                                             freeze boolean DEFAULT true)
RETURNS void
AS 'MODULE_PATHNAME', 'iq_enforce_installment_plans'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION iq_enforce_installment_plans(regclass, name, name, name, regclass, name, name, name, name, name, name, boolean) IS
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

-- One schedule on every node: run once on a Citus coordinator.  The
-- schedule becomes a Citus reference table, a copy on every node that
-- every change reaches in the same transaction; pricing on a worker reads
-- its copy, and refuses to price while there is none.
CREATE FUNCTION iq_distribute_fee_schedule()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
-- the trigger that cuts back shipped rows goes to every copy
SET citus.enable_unsafe_triggers = on
AS $$
BEGIN
    IF to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
        RAISE EXCEPTION 'citus is not installed in this database'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Without Citus every query reads iq_fee_schedule itself; there is nothing to distribute.';
    END IF;
    IF EXISTS (SELECT FROM pg_dist_partition
                WHERE logicalrelid OPERATOR(pg_catalog.=) '@extschema@.iq_fee_schedule'::regclass) THEN
        RETURN;
    END IF;
    PERFORM create_reference_table('@extschema@.iq_fee_schedule');
    -- the coordinator's table keeps no copy of its own beside its placement
    PERFORM truncate_local_data_after_distributing_table('@extschema@.iq_fee_schedule');
END
$$;

COMMENT ON FUNCTION iq_distribute_fee_schedule() IS
    'on a Citus coordinator: makes iq_fee_schedule a reference table, so that every node prices with the coordinator''s schedule';
