--
-- Expert eligibility: every rule alone and all at once, the boundaries of
-- certification expiry and of the 18th birthday, unknown facts, hostile
-- input, and the check as a CHECK constraint.
--
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

-- an eligible expert: no rows, the check is true, and so is the boolean
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'AWS Certified Solutions Architect - Associate', '2026-05-01')::iq_certification],
    '1990-07-14', true, false, false, true, false, '2024-06-01');
SELECT iq_expert_eligibility_check(
           ARRAY[('associate', 'Solutions Architect', '2026-05-01')::iq_certification],
           '1990-07-14', true, false, false, true, false, '2024-06-01') AS check,
       iq_expert_is_eligible(
           ARRAY[('associate', 'Solutions Architect', '2026-05-01')::iq_certification],
           '1990-07-14', true, false, false, true, false, '2024-06-01') AS eligible;

-- each level: foundational does not count, the three others do
SELECT level,
       iq_expert_is_eligible(ARRAY[(level, 'some certification', '2026-05-01')::iq_certification],
                             '1990-07-14', true, false, false, true, false, '2024-06-01') AS eligible
  FROM unnest(enum_range(NULL::iq_certification_level)) AS level;

-- any one US tie is enough; the others may be false or unknown
SELECT lives, company, bank,
       iq_expert_is_eligible(ARRAY[('professional', 'DevOps Engineer', '2026-05-01')::iq_certification],
                             '1990-07-14', lives, company, bank, true, false, '2024-06-01') AS eligible
  FROM (VALUES (true, NULL::boolean, NULL::boolean), (NULL, true, NULL), (NULL, NULL, true),
               (false, false, true), (false, false, false), (NULL, false, NULL)) AS t(lives, company, bank);

--
-- Every rule alone
--

-- active_certification: none at all, an unknown list, and one expired the
-- day before the as-of date (valid through its expiry day)
SELECT * FROM iq_expert_eligibility_violations('{}', '1990-07-14', true, false, false, true, false, '2024-06-01');
SELECT * FROM iq_expert_eligibility_violations(NULL, '1990-07-14', true, false, false, true, false, '2024-06-01');
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('specialty', 'Security - Specialty', '2024-05-31')::iq_certification],
    '1990-07-14', true, false, false, true, false, '2024-06-01');
SELECT iq_expert_is_eligible(ARRAY[('specialty', 'Security - Specialty', '2024-06-01')::iq_certification],
                             '1990-07-14', true, false, false, true, false, '2024-06-01') AS on_expiry_day,
       iq_expert_is_eligible(ARRAY[('specialty', 'Security - Specialty', '2024-06-01')::iq_certification],
                             '1990-07-14', true, false, false, true, false, '2024-06-02') AS day_after;

-- when none counts, each certification says why: foundational, expired,
-- unknown level, unknown expiry, unknown altogether, no name
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('foundational', 'Cloud Practitioner', '2027-01-01')::iq_certification,
          ('associate', 'Developer - Associate', '2024-05-31')::iq_certification,
          (NULL, 'Data Engineer - Associate', '2027-01-01')::iq_certification,
          ('professional', 'DevOps Engineer - Professional', NULL)::iq_certification,
          NULL,
          ('associate', NULL, '2023-01-01')::iq_certification],
    '1990-07-14', true, false, false, true, false, '2024-06-01');
-- one that counts anywhere in the list is enough, and the others are not
-- mentioned
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('foundational', 'Cloud Practitioner', '2027-01-01')::iq_certification,
          NULL,
          ('professional', 'DevOps Engineer - Professional', '2024-06-01')::iq_certification],
    '1990-07-14', true, false, false, true, false, '2024-06-01');
-- an element whose fields are all NULL is a certification with nothing known
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[(NULL, NULL, NULL)::iq_certification],
    '1990-07-14', true, false, false, true, false, '2024-06-01');
-- an unbounded expiry never runs out
SELECT iq_expert_is_eligible(ARRAY[('associate', 'SysOps Administrator', 'infinity')::iq_certification],
                             '1990-07-14', true, false, false, true, false, '2100-01-01') AS never_expires;

-- minimum_age: 18 on the 18th birthday, not the day before; unknown
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    '2006-06-02', true, false, false, true, false, '2024-06-01');
SELECT iq_expert_is_eligible(ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
                             '2006-06-02', true, false, false, true, false, '2024-06-02') AS on_birthday;
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    NULL, true, false, false, true, false, '2024-06-01');
-- born on 29 February: 18 on 28 February, as birth_date + interval '18 years'
SELECT date '2004-02-29' + interval '18 years' AS postgres_says,
       iq_expert_is_eligible(ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
                             '2004-02-29', true, false, false, true, false, '2022-02-27') AS feb_27,
       iq_expert_is_eligible(ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
                             '2004-02-29', true, false, false, true, false, '2022-02-28') AS feb_28;
-- born after the as-of date
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2030-05-01')::iq_certification],
    '2025-01-01', true, false, false, true, false, '2024-06-01');

-- us_presence: all three false, and none true with some unknown
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    '1990-07-14', false, false, false, true, false, '2024-06-01');
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    '1990-07-14', false, NULL, NULL, true, false, '2024-06-01');

-- us_tin: false, unknown
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    '1990-07-14', true, false, false, false, false, '2024-06-01');
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    '1990-07-14', true, false, false, NULL, false, '2024-06-01');

-- amazon_employee: true, unknown
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    '1990-07-14', true, false, false, true, true, '2024-06-01');
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    '1990-07-14', true, false, false, true, NULL, '2024-06-01');

-- every rule at once, in the documented order
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('foundational', 'Cloud Practitioner', '2027-01-01')::iq_certification],
    '2010-01-01', false, false, false, false, true, '2024-06-01');
-- nothing known at all
SELECT * FROM iq_expert_eligibility_violations(NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-06-01');

--
-- The as-of date
--

-- it defaults to the current date
SELECT iq_expert_is_eligible(ARRAY[('associate', 'Developer', 'infinity')::iq_certification],
                             '1990-07-14', true, false, false, true, false)
       AND NOT iq_expert_is_eligible(ARRAY[('associate', 'Developer', current_date - 1)::iq_certification],
                                     '1990-07-14', true, false, false, true, false) AS defaults_to_today;

-- NULL: no rows, and NULL from the check and the boolean
SELECT (SELECT count(*) FROM iq_expert_eligibility_violations(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)) AS violations,
       iq_expert_eligibility_check(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL) IS NULL AS check_is_null,
       iq_expert_is_eligible('{}', NULL, NULL, NULL, NULL, NULL, NULL, NULL) IS NULL AS eligible_is_null;

-- infinite as-of dates: at infinity every dated certification has expired
-- and everyone born is 18; at -infinity nothing has expired and no one is
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    '1990-07-14', true, false, false, true, false, 'infinity');
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    '1990-07-14', true, false, false, true, false, '-infinity');

--
-- Hostile input
--

-- an infinite birth date is no birth date: 22023
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    'infinity', true, false, false, true, false, '2024-06-01');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_expert_is_eligible(ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
                             '-infinity', true, false, false, true, false, '2024-06-01');
\echo :LAST_ERROR_SQLSTATE

-- a two-dimensional list: 22023
SELECT * FROM iq_expert_eligibility_violations(
    ARRAY[[('associate', 'Developer', '2026-05-01')::iq_certification],
          [('associate', 'Developer', '2026-05-01')::iq_certification]],
    '1990-07-14', true, false, false, true, false, '2024-06-01');
\echo :LAST_ERROR_SQLSTATE

-- a list whose lower bound is not 1: positions are counted from 1
SELECT * FROM iq_expert_eligibility_violations(
    '[0:1]={"(foundational,Cloud Practitioner,2027-01-01)","(associate,Developer,2020-01-01)"}'::iq_certification[],
    '1990-07-14', true, false, false, true, false, '2024-06-01');
SELECT iq_expert_is_eligible(
    '[-3:-2]={"(foundational,Cloud Practitioner,2027-01-01)","(associate,Developer,2027-01-01)"}'::iq_certification[],
    '1990-07-14', true, false, false, true, false, '2024-06-01') AS any_lower_bound;

-- a list of NULLs only
SELECT * FROM iq_expert_eligibility_violations('{NULL,NULL}', '1990-07-14', true, false, false, true, false, '2024-06-01');

-- a level that is not one of the enum's labels cannot even be written: 22P02
SELECT ('expert', 'Developer', '2026-05-01')::iq_certification;
\echo :LAST_ERROR_SQLSTATE

-- a very long name is cut to fit the message
SELECT rule, certification, length(message) AS length, left(message, 40) AS message_start
  FROM iq_expert_eligibility_violations(
    ARRAY[('foundational', repeat('x', 1000), '2027-01-01')::iq_certification],
    '1990-07-14', true, false, false, true, false, '2024-06-01');

--
-- iq_expert_eligibility_check: the first violation as the message, all of
-- them in the detail, SQLSTATE 23514
--
SELECT iq_expert_eligibility_check(
    ARRAY[('foundational', 'Cloud Practitioner', '2027-01-01')::iq_certification],
    '2010-01-01', false, false, false, false, true, '2024-06-01');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_expert_eligibility_check(
    ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification],
    '1990-07-14', true, false, false, true, NULL, '2024-06-01');
\echo :LAST_ERROR_SQLSTATE

-- as a CHECK constraint, with the facts as of the date they were checked
CREATE TEMP TABLE expert (
    id               int PRIMARY KEY,
    certifications   iq_certification[] NOT NULL,
    birth_date       date,
    lives_in_us      boolean,
    us_company       boolean,
    us_bank_account  boolean,
    us_tin           boolean NOT NULL,
    amazon_employee  boolean NOT NULL,
    checked_on       date NOT NULL,
    CHECK (iq_expert_eligibility_check(certifications, birth_date, lives_in_us, us_company,
                                       us_bank_account, us_tin, amazon_employee, checked_on))
);
INSERT INTO expert VALUES
    (1, ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification], '1990-07-14',
     true, NULL, NULL, true, false, '2024-06-01'),
    (2, ARRAY[('foundational', 'Cloud Practitioner', '2027-01-01')::iq_certification,
              ('specialty', 'Machine Learning', '2025-01-31')::iq_certification], '1985-03-03',
     NULL, true, NULL, true, false, '2024-06-01');
-- a birth date that makes the expert too young at the check is refused
INSERT INTO expert VALUES
    (3, ARRAY[('associate', 'Developer', '2026-05-01')::iq_certification], '2007-01-01',
     true, NULL, NULL, true, false, '2024-06-01');
\echo :LAST_ERROR_SQLSTATE
-- rechecking later: the specialty certification has expired by 2025-02-01
UPDATE expert SET checked_on = '2025-02-01' WHERE id = 2;
\echo :LAST_ERROR_SQLSTATE
UPDATE expert SET checked_on = '2025-01-31' WHERE id = 2;
SELECT id, checked_on FROM expert ORDER BY id;

-- a report over the table: who is eligible on a later date, and why not
SELECT e.id, v.rule, v.certification, v.message
  FROM expert e,
       iq_expert_eligibility_violations(e.certifications, e.birth_date, e.lives_in_us, e.us_company,
                                        e.us_bank_account, e.us_tin, e.amazon_employee, '2026-06-01') v
 ORDER BY e.id;
DROP TABLE expert;
