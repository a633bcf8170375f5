/* iqfees--1.0--1.1.sql: AWS Marketplace installment plans */

\echo Use "ALTER EXTENSION iqfees UPDATE TO '1.1'" to load this file. \quit

CREATE TYPE iq_installment AS (
    installment  integer,
    invoice_date date,
    amount       numeric
);

CREATE TYPE iq_plan_violation AS (
    rule        text,
    installment integer,
    message     text
);

-- Not STRICT: initial_payment may be NULL; a NULL required argument gives
-- no rows.
CREATE FUNCTION iq_installment_plan(contract_total numeric, payments integer,
                                    first_invoice_date date,
                                    frequency interval DEFAULT '1 month',
                                    initial_payment numeric DEFAULT NULL)
RETURNS SETOF iq_installment
AS 'MODULE_PATHNAME', 'iq_installment_plan'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 12;

-- Not STRICT: acceptance_date may be NULL; a NULL required argument gives
-- no rows.
CREATE FUNCTION iq_installment_plan_violations(invoice_dates date[], amounts numeric[],
                                               contract_total numeric,
                                               contract_term daterange,
                                               acceptance_date date DEFAULT NULL)
RETURNS SETOF iq_plan_violation
AS 'MODULE_PATHNAME', 'iq_installment_plan_violations'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;

-- A NULL required argument gives NULL, which a CHECK constraint accepts.
CREATE FUNCTION iq_installment_plan_check(invoice_dates date[], amounts numeric[],
                                          contract_total numeric,
                                          contract_term daterange,
                                          acceptance_date date DEFAULT NULL)
RETURNS boolean
AS 'MODULE_PATHNAME', 'iq_installment_plan_check'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION iq_installment_plan(numeric, integer, date, interval, numeric) IS
    'an AWS Marketplace installment plan: equal payments, exact to the cent';
COMMENT ON FUNCTION iq_installment_plan_violations(date[], numeric[], numeric, daterange, date) IS
    'every rule an installment plan breaks';
COMMENT ON FUNCTION iq_installment_plan_check(date[], numeric[], numeric, daterange, date) IS
    'true for a valid installment plan, else a check_violation error; for CHECK constraints';

-- Trigger functions run in the leader only, so no parallel label applies.
CREATE FUNCTION iq_installment_constraint()
RETURNS trigger
AS 'MODULE_PATHNAME', 'iq_installment_constraint'
LANGUAGE C;

CREATE FUNCTION iq_freeze_offer_schedule()
RETURNS trigger
AS 'MODULE_PATHNAME', 'iq_freeze_offer_schedule'
LANGUAGE C;

CREATE FUNCTION iq_freeze_installments()
RETURNS trigger
AS 'MODULE_PATHNAME', 'iq_freeze_installments'
LANGUAGE C;

COMMENT ON FUNCTION iq_installment_constraint() IS
    'AFTER row (constraint) trigger on an installment table; arguments: offer, invoice date and amount columns, offer table, key, contract total, contract term and acceptance date columns';
COMMENT ON FUNCTION iq_freeze_offer_schedule() IS
    'BEFORE UPDATE OR DELETE row trigger on an offer table; arguments: acceptance date column, then the schedule columns';
COMMENT ON FUNCTION iq_freeze_installments() IS
    'BEFORE row trigger on an installment table; arguments: offer column, offer table, key and acceptance date columns';
