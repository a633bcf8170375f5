/* iqfees--1.1--1.2.sql: eligibility, proposals, billing dates, AMI instance-hours */

\echo Use "ALTER EXTENSION iqfees UPDATE TO '1.2'" to load this file. \quit

--
-- Expert eligibility
--
CREATE TYPE iq_certification_level AS ENUM
    ('foundational', 'associate', 'professional', 'specialty');

CREATE TYPE iq_certification AS (
    level      iq_certification_level,
    name       text,
    expires_on date                    -- the last day it is valid
);

CREATE TYPE iq_eligibility_violation AS (
    rule          text,
    certification integer,
    message       text
);

-- Not STRICT: a NULL fact is unknown, and reported as an unmet rule; a
-- NULL as_of gives no rows.  IMMUTABLE: the current_date default is
-- evaluated by the caller.
CREATE FUNCTION iq_expert_eligibility_violations(certifications iq_certification[],
                                                 birth_date date,
                                                 lives_in_us boolean,
                                                 works_for_us_company boolean,
                                                 has_us_bank_account boolean,
                                                 has_us_tin boolean,
                                                 is_amazon_employee boolean,
                                                 as_of date DEFAULT current_date)
RETURNS SETOF iq_eligibility_violation
AS 'MODULE_PATHNAME', 'iq_expert_eligibility_violations'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;

-- A NULL as_of gives NULL, which a CHECK constraint accepts.
CREATE FUNCTION iq_expert_eligibility_check(certifications iq_certification[],
                                            birth_date date,
                                            lives_in_us boolean,
                                            works_for_us_company boolean,
                                            has_us_bank_account boolean,
                                            has_us_tin boolean,
                                            is_amazon_employee boolean,
                                            as_of date DEFAULT current_date)
RETURNS boolean
AS 'MODULE_PATHNAME', 'iq_expert_eligibility_check'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION iq_expert_is_eligible(certifications iq_certification[],
                                      birth_date date,
                                      lives_in_us boolean,
                                      works_for_us_company boolean,
                                      has_us_bank_account boolean,
                                      has_us_tin boolean,
                                      is_amazon_employee boolean,
                                      as_of date DEFAULT current_date)
RETURNS boolean
AS 'MODULE_PATHNAME', 'iq_expert_is_eligible'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION iq_expert_eligibility_violations(iq_certification[], date, boolean, boolean, boolean, boolean, boolean, date) IS
    'every AWS IQ expert eligibility rule unmet on the as-of date';
COMMENT ON FUNCTION iq_expert_eligibility_check(iq_certification[], date, boolean, boolean, boolean, boolean, boolean, date) IS
    'true for an eligible AWS IQ expert, else a check_violation error; for CHECK constraints';
COMMENT ON FUNCTION iq_expert_is_eligible(iq_certification[], date, boolean, boolean, boolean, boolean, boolean, date) IS
    'true when an AWS IQ expert meets every eligibility rule on the as-of date';

--
-- Fixed-price proposals and their payment requests
--
CREATE TYPE iq_proposal_violation AS (
    rule    text,
    request integer,
    message text
);

CREATE FUNCTION iq_proposal_requests(proposal_price numeric, request_amounts numeric[])
RETURNS TABLE (request integer, amount numeric, exceeds_price boolean,
               requested_to_date numeric, remaining numeric)
AS 'MODULE_PATHNAME', 'iq_proposal_requests'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;

CREATE FUNCTION iq_proposal_violations(proposal_price numeric, request_amounts numeric[])
RETURNS SETOF iq_proposal_violation
AS 'MODULE_PATHNAME', 'iq_proposal_violations'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1;

CREATE FUNCTION iq_proposal_check(proposal_price numeric, request_amounts numeric[])
RETURNS boolean
AS 'MODULE_PATHNAME', 'iq_proposal_check'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION iq_proposal_requests(numeric, numeric[]) IS
    'each payment request of a fixed-price proposal, whether it exceeds what is left of the price, and the balance after it';
COMMENT ON FUNCTION iq_proposal_violations(numeric, numeric[]) IS
    'every rule the payment requests of a fixed-price proposal break';
COMMENT ON FUNCTION iq_proposal_check(numeric, numeric[]) IS
    'true when payment requests stay within the proposal price, else a check_violation error; for CHECK constraints';

-- The aggregate's state is a 128-bit sum of cents; the support functions
-- are shared by any sum of cents.  STABLE: it reads the fee schedule.
CREATE FUNCTION iq_payout_sum_step(internal, numeric, date)
RETURNS internal
AS 'MODULE_PATHNAME', 'iq_payout_sum_step'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION iq_cents_sum_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'iq_cents_sum_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION iq_cents_sum_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'iq_cents_sum_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION iq_cents_sum_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'iq_cents_sum_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION iq_cents_sum_final(internal)
RETURNS numeric
AS 'MODULE_PATHNAME', 'iq_cents_sum_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE iq_payout_sum(amount numeric, approved_on date) (
    SFUNC = iq_payout_sum_step,
    STYPE = internal,
    FINALFUNC = iq_cents_sum_final,
    COMBINEFUNC = iq_cents_sum_combine,
    SERIALFUNC = iq_cents_sum_serialize,
    DESERIALFUNC = iq_cents_sum_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE iq_payout_sum(numeric, date) IS
    'what the expert is paid for the approved payment requests, each priced on its approval date';

--
-- Billing dates of installment plans.  00:00 UTC on a date does not depend
-- on the TimeZone setting, so these are IMMUTABLE.
--

-- STRICT: before acceptance (NULL) nothing is billed.
CREATE FUNCTION iq_billed_on(invoice_date date, acceptance_date date)
RETURNS date
AS 'MODULE_PATHNAME', 'iq_billed_on'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Not STRICT: a NULL acceptance_date gives rows with NULL billing dates;
-- NULL arrays give no rows.
CREATE FUNCTION iq_billing_schedule(invoice_dates date[], amounts numeric[],
                                    acceptance_date date DEFAULT NULL)
RETURNS TABLE (installment integer, invoice_date date, billed_on date,
               billed_at timestamptz, amount numeric)
AS 'MODULE_PATHNAME', 'iq_billing_schedule'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 12;

COMMENT ON FUNCTION iq_billed_on(date, date) IS
    'the day an installment is billed: its invoice date, or the acceptance date for one dated before it';
COMMENT ON FUNCTION iq_billing_schedule(date[], numeric[], date) IS
    'each installment with its invoice date, the day and instant (00:00 UTC) it is billed, and its amount';

--
-- AMI offers with a custom duration: instances beyond the contracted
-- count, billed at the offer's hourly price
--
CREATE FUNCTION iq_additional_instance_hours_step(bigint, integer, integer)
RETURNS bigint
AS 'MODULE_PATHNAME', 'iq_additional_instance_hours_step'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE iq_additional_instance_hours(running_instances integer,
                                              contracted_instances integer) (
    SFUNC = iq_additional_instance_hours_step,
    STYPE = bigint,
    COMBINEFUNC = pg_catalog.int8pl,
    PARALLEL = SAFE
);

CREATE FUNCTION iq_instance_hours_charge(hours bigint, hourly_price numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'iq_instance_hours_charge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE iq_additional_instance_hours(integer, integer) IS
    'instance-hours beyond the contracted count, over rows of hourly usage';
COMMENT ON FUNCTION iq_instance_hours_charge(bigint, numeric) IS
    'hours * hourly price (at most 6 decimal places), rounded half up to the cent once';
