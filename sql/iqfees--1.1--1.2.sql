/* iqfees--1.1--1.2.sql: the rest of the seed rules */

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
