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
