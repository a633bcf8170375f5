/* iqfees--1.0.sql: AWS IQ fee schedule and pricing */

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
