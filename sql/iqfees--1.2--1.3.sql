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
