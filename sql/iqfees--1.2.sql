/* iqfees--1.2.sql: AWS IQ fees, AWS Marketplace installment plans, and the rest of the seed rules */

\echo Use "CREATE EXTENSION iqfees" to load this file. \quit

--
-- The fee schedule: rates are data, not code.
--
-- Every operator and function in this script is schema-qualified, and
-- every constant has the exact type of the operator it meets, so that
-- objects planted in the extension's schema beforehand cannot be picked
-- instead.  (Type names are safe: pg_catalog is searched first.)
--
CREATE TABLE iq_fee_schedule (
    effective       daterange NOT NULL,
    expert_fee_rate numeric   NOT NULL,
    buyer_fee_rate  numeric   NOT NULL,
    description     text,
    CONSTRAINT iq_fee_schedule_no_overlap
        EXCLUDE USING gist (effective WITH OPERATOR(pg_catalog.&&)),
    CONSTRAINT iq_fee_schedule_effective_check
        CHECK (NOT pg_catalog.isempty(effective)),
    -- the same limits iq_fee_at enforces: 0 <= rate < 1, at most 18 places
    CONSTRAINT iq_fee_schedule_expert_fee_rate_check
        CHECK (expert_fee_rate OPERATOR(pg_catalog.>=) 0::numeric
               AND expert_fee_rate OPERATOR(pg_catalog.<) 1::numeric
               AND pg_catalog.scale(pg_catalog.trim_scale(expert_fee_rate))
                   OPERATOR(pg_catalog.<=) 18),
    CONSTRAINT iq_fee_schedule_buyer_fee_rate_check
        CHECK (buyer_fee_rate OPERATOR(pg_catalog.>=) 0::numeric
               AND buyer_fee_rate OPERATOR(pg_catalog.<) 1::numeric
               AND pg_catalog.scale(pg_catalog.trim_scale(buyer_fee_rate))
                   OPERATOR(pg_catalog.<=) 18)
);

COMMENT ON TABLE iq_fee_schedule IS
    'AWS IQ fee rates by payment request approval date (UTC)';
COMMENT ON COLUMN iq_fee_schedule.effective IS
    'approval dates the rates apply to; rows never overlap';
COMMENT ON COLUMN iq_fee_schedule.expert_fee_rate IS
    'share of the request kept by AWS IQ, 0 <= rate < 1';
COMMENT ON COLUMN iq_fee_schedule.buyer_fee_rate IS
    'share added to the buyer''s bill, 0 <= rate < 1';

GRANT SELECT ON iq_fee_schedule TO PUBLIC;

--
-- The rows the extension ships.  This one definition serves the install
-- below, the pg_dump filter, and the trigger that lets rows a user adds
-- take their dates from the shipped ones.  The body is parsed with the
-- caller's search_path, hence the qualified type.
--
CREATE FUNCTION iq_fee_schedule_shipped()
RETURNS TABLE (effective daterange, expert_fee_rate numeric,
               buyer_fee_rate numeric, description text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    VALUES ('[,2020-04-16)'::pg_catalog.daterange, 0.15, 0.03,
            'AWS IQ standard fees'),
           ('[2020-04-16,2020-07-01)'::pg_catalog.daterange, 0, 0,
            'AWS IQ 2020 fee waiver: expert and buyer fees waived'),
           ('[2020-07-01,)'::pg_catalog.daterange, 0.15, 0.03,
            'AWS IQ standard fees')
$$;

COMMENT ON FUNCTION iq_fee_schedule_shipped() IS
    'the fee schedule rows iqfees ships';

-- A shipped row, or the part of one left after rows were added over it.
CREATE FUNCTION iq_fee_schedule_is_shipped(row_effective daterange,
                                           row_expert_fee_rate numeric,
                                           row_buyer_fee_rate numeric,
                                           row_description text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (
        SELECT FROM @extschema@.iq_fee_schedule_shipped() s
         WHERE s.effective @> row_effective
           AND s.expert_fee_rate = row_expert_fee_rate
           AND s.buyer_fee_rate = row_buyer_fee_rate
           AND s.description IS NOT DISTINCT FROM row_description)
$$;

COMMENT ON FUNCTION iq_fee_schedule_is_shipped(daterange, numeric, numeric, text) IS
    'true for a shipped fee schedule row or what is left of one';

--
-- A row added or changed over shipped rows takes those dates from them, so
-- a new rate from some date on is a single INSERT.  Rows of the user's
-- own still may not overlap.  A restore loads the user's rows over freshly
-- shipped ones and, through this, ends with the schedule that was dumped.
--
CREATE FUNCTION iq_fee_schedule_make_room()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shipped record;
BEGIN
    FOR shipped IN
        SELECT s.ctid AS id, s.*
          FROM @extschema@.iq_fee_schedule s
         WHERE s.effective && NEW.effective
           AND @extschema@.iq_fee_schedule_is_shipped(s.effective,
                   s.expert_fee_rate, s.buyer_fee_rate, s.description)
           AND (TG_OP = 'INSERT' OR s.ctid <> OLD.ctid)
    LOOP
        DELETE FROM @extschema@.iq_fee_schedule WHERE ctid = shipped.id;
        INSERT INTO @extschema@.iq_fee_schedule
        SELECT piece, shipped.expert_fee_rate, shipped.buyer_fee_rate,
               shipped.description
          FROM unnest(multirange(shipped.effective) - multirange(NEW.effective)) AS piece;
    END LOOP;
    RETURN NEW;
END
$$;

CREATE TRIGGER iq_fee_schedule_make_room
    BEFORE INSERT OR UPDATE OF effective ON iq_fee_schedule
    FOR EACH ROW EXECUTE FUNCTION iq_fee_schedule_make_room();

INSERT INTO @extschema@.iq_fee_schedule SELECT * FROM @extschema@.iq_fee_schedule_shipped();

-- pg_dump keeps the rows a user added or changed; the shipped ones come
-- back with CREATE EXTENSION.  pg_dump runs with an empty search_path.
SELECT pg_catalog.pg_extension_config_dump('iq_fee_schedule',
    'WHERE NOT @extschema@.iq_fee_schedule_is_shipped(effective, expert_fee_rate, buyer_fee_rate, description)');

--
-- Pricing.  Amounts are numeric US dollars with at most two decimals;
-- results always have exactly two.
--
CREATE TYPE iq_charge AS (
    amount          numeric,
    expert_fee_rate numeric,
    expert_fee      numeric,
    expert_payout   numeric,
    buyer_fee_rate  numeric,
    buyer_fee       numeric,
    buyer_total     numeric
);

CREATE FUNCTION iq_expert_fee(amount numeric, approved_on date DEFAULT current_date)
RETURNS numeric
AS 'MODULE_PATHNAME', 'iq_expert_fee'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION iq_payout(amount numeric, approved_on date DEFAULT current_date)
RETURNS numeric
AS 'MODULE_PATHNAME', 'iq_payout'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION iq_buyer_fee(amount numeric, approved_on date DEFAULT current_date)
RETURNS numeric
AS 'MODULE_PATHNAME', 'iq_buyer_fee'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION iq_buyer_total(amount numeric, approved_on date DEFAULT current_date)
RETURNS numeric
AS 'MODULE_PATHNAME', 'iq_buyer_total'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION iq_charge(amount numeric, approved_on date DEFAULT current_date)
RETURNS iq_charge
AS 'MODULE_PATHNAME', 'iq_charge'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION iq_fee_at(amount numeric, rate numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'iq_fee_at'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION iq_expert_fee(numeric, date) IS
    'AWS IQ fee kept from a payment request approved on the date';
COMMENT ON FUNCTION iq_payout(numeric, date) IS
    'what the expert is paid: amount minus the AWS IQ fee';
COMMENT ON FUNCTION iq_buyer_fee(numeric, date) IS
    'the fee added to the buyer''s bill';
COMMENT ON FUNCTION iq_buyer_total(numeric, date) IS
    'what the buyer is billed: amount plus the buyer fee';
COMMENT ON FUNCTION iq_charge(numeric, date) IS
    'amount, rates, fees, payout and buyer total in one row';
COMMENT ON FUNCTION iq_fee_at(numeric, numeric) IS
    'amount * rate rounded half up to the cent';

-- Trigger functions run in the leader only, so no parallel label applies.
CREATE FUNCTION iq_price_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'iq_price_trigger'
LANGUAGE C;

COMMENT ON FUNCTION iq_price_trigger() IS
    'BEFORE INSERT OR UPDATE row trigger; arguments: amount, approval date, fee, payout and buyer total columns';

--
-- AWS Marketplace installment plans.
--
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
