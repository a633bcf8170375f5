--
-- Installment plans in the offer's currency: the currency's minor units
-- decide the split, the precision rule, the exact total, the scale of the
-- amounts returned and the messages.  JPY has no decimals, KWD three.
--
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

-- 1,000,000 yen in 7: whole yen, the odd yen to the first installment
SELECT * FROM iq_installment_plan(1000000, 7, '2025-01-31', currency => 'JPY');
SELECT sum(amount), scale(min(amount)) FROM iq_installment_plan(1000000, 7, '2025-01-31', currency => 'JPY');
-- the same total in dollars: cents, as before
SELECT * FROM iq_installment_plan(1000000, 7, '2025-01-31');
SELECT * FROM iq_installment_plan(1000000, 7, '2025-01-31', '1 month', NULL, 'USD')
EXCEPT ALL SELECT * FROM iq_installment_plan(1000000, 7, '2025-01-31');
-- 1,000 dinars in 3: fils, three decimals
SELECT * FROM iq_installment_plan(1000, 3, '2025-01-01', '3 months', currency => 'KWD');
-- an initial payment in dinars, the rest split
SELECT * FROM iq_installment_plan(1000.500, 3, '2025-01-01', initial_payment => 100.001, currency => 'KWD');
-- 0.0001 of the four-decimal CLF
SELECT * FROM iq_installment_plan(1, 3, '2025-01-01', currency => 'CLF');
-- a total as large as a currency holds, and one past it
SELECT sum(amount) FROM iq_installment_plan(99999999999999999, 60, '2025-01-01', currency => 'JPY');
SELECT * FROM iq_installment_plan(100000000000000000, 60, '2025-01-01', currency => 'JPY');
\echo :LAST_ERROR_SQLSTATE
SELECT sum(amount) FROM iq_installment_plan(99999999999999.999, 60, '2025-01-01', currency => 'KWD');

-- amounts a yen plan cannot have: an error naming the rule, never rounded
SELECT * FROM iq_installment_plan(1000000.50, 7, '2025-01-31', currency => 'JPY');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(1000, 3, '2025-01-01', initial_payment => 0.0005, currency => 'KWD');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(-1000, 3, '2025-01-01', currency => 'JPY');
\echo :LAST_ERROR_SQLSTATE

-- codes: upper-case ISO 4217 only; NULL is a missing argument (no rows)
SELECT * FROM iq_installment_plan(1000, 3, '2025-01-01', currency => 'jpy');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(1000, 3, '2025-01-01', currency => 'XYZ');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(1000, 3, '2025-01-01', currency => 'US');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(1000, 3, '2025-01-01', currency => 'XAU');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(1000, 3, '2025-01-01', currency => 'HRK');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(1000, 3, '2025-01-01', currency => ' JPY');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(1000, 3, '2025-01-01', currency => '');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_installment_plan(1000, 3, '2025-01-01', currency => repeat('JPY', 20));
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM iq_installment_plan(1000, 3, '2025-01-01', currency => NULL);

--
-- Validation in the currency.
--
-- a yen plan of whole yen is valid; the same amounts in dollars too
SELECT count(*) FROM iq_installment_plan_violations(
    '{2025-01-31,2025-02-28}', '{500001,499999}', 1000000, '[2025-01-01,2026-01-01)', NULL, 'JPY');
-- yen with decimals: amount_precision in the currency's words; the total
-- is compared exactly and shown as yen
SELECT * FROM iq_installment_plan_violations(
    '{2025-01-31,2025-02-28,2025-03-31}', '{500000.5,499999.5,1}', 1000000,
    '[2025-01-01,2026-01-01)', NULL, 'JPY');
SELECT * FROM iq_installment_plan_violations(
    '{2025-01-31,2025-02-28}', '{500001,500000}', 1000000, '[2025-01-01,2026-01-01)', NULL, 'JPY');
-- a yen total with cent amounts (the dollar split of the same total)
SELECT rule, installment, message FROM iq_installment_plan_violations(
    (SELECT array_agg(invoice_date ORDER BY installment) FROM iq_installment_plan(1000000, 7, '2025-01-31')),
    (SELECT array_agg(amount ORDER BY installment) FROM iq_installment_plan(1000000, 7, '2025-01-31')),
    1000000, '[2025-01-01,2026-01-01)', NULL, 'JPY');
-- dinars: three decimals are fine, four are not
SELECT * FROM iq_installment_plan_violations(
    '{2025-01-01,2025-04-01}', '{500.250,500.2505}', 1000.5005, '[2025-01-01,2026-01-01)', NULL, 'KWD');
-- the total itself must fit the currency
SELECT * FROM iq_installment_plan_violations(
    '{2025-01-01}', '{1000}', 1000.5, '[2025-01-01,2026-01-01)', NULL, 'JPY');
\echo :LAST_ERROR_SQLSTATE
-- the same plan is valid in dollars and broken in yen
SELECT iq_installment_plan_check('{2025-01-01,2025-02-01}', '{0.50,0.50}', 1, '[2025-01-01,2026-01-01)');
SELECT iq_installment_plan_check('{2025-01-01,2025-02-01}', '{0.50,0.50}', 1, '[2025-01-01,2026-01-01)', NULL, 'JPY');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_installment_plan_check('{2025-01-01}', '{1}', 1, '[2025-01-01,2026-01-01)', NULL, NULL) IS NULL AS null_currency;
SELECT count(*) FROM iq_installment_plan_violations('{2025-01-01}', '{1}', 1, '[2025-01-01,2026-01-01)', NULL, NULL);
SELECT iq_installment_plan_check('{2025-01-01}', '{1}', 1, '[2025-01-01,2026-01-01)', NULL, 'eur');
\echo :LAST_ERROR_SQLSTATE

-- a CHECK constraint with the offer's currency column
CREATE TABLE array_offer (
    id             int PRIMARY KEY,
    currency       char(3) NOT NULL,
    contract_total numeric NOT NULL,
    contract_term  daterange NOT NULL,
    invoice_dates  date[] NOT NULL,
    amounts        numeric[] NOT NULL,
    CHECK (iq_installment_plan_check(invoice_dates, amounts, contract_total,
                                     contract_term, NULL, currency))
);
INSERT INTO array_offer VALUES
    (1, 'JPY', 1000000, '[2025-01-01,2026-01-01)', '{2025-01-31,2025-02-28}', '{500000,500000}'),
    (2, 'KWD', 1000.001, '[2025-01-01,2026-01-01)', '{2025-01-31,2025-02-28}', '{500.001,500}'),
    (3, 'USD', 1000.01, '[2025-01-01,2026-01-01)', '{2025-01-31,2025-02-28}', '{500.01,500}');
INSERT INTO array_offer VALUES
    (4, 'JPY', 1000, '[2025-01-01,2026-01-01)', '{2025-01-31,2025-02-28}', '{500.50,499.50}');
\echo :LAST_ERROR_SQLSTATE

--
-- Billing in the currency: amounts keep its scale.
--
SET TimeZone = 'UTC';
SELECT * FROM iq_billing_schedule('{2025-02-01,2025-05-01}', '{500.25,500}', '2025-03-05', 'KWD');
SELECT * FROM iq_billing_schedule('{2025-02-01,2025-05-01}', '{500000,500000}', NULL, 'JPY');
SELECT * FROM iq_billing_schedule('{2025-02-01}', '{500000.5}', NULL, 'JPY');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM iq_billing_schedule('{2025-02-01}', '{1}', NULL, NULL);
RESET TimeZone;

--
-- iq_amount_problem in a currency; the one-argument form is dollars.
--
SELECT a, c, iq_amount_problem(a, c)
  FROM (VALUES (10.5, 'JPY'), (10, 'JPY'), (10.00, 'JPY'), (1.2345, 'KWD'), (1.234, 'KWD'),
               (0.005, 'EUR'), (0.005, 'USD'), (-1, 'GBP'), ('NaN', 'AUD'),
               (100000000000000000, 'JPY'), (99999999999999.999, 'BHD')) AS v(a, c);
SELECT iq_amount_problem(0.005) = iq_amount_problem(0.005, 'USD') AS same_as_dollars;
SELECT iq_amount_problem(1, 'yen');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_amount_problem(1, NULL) IS NULL AS strict;

--
-- The constraint trigger checks each offer in its own currency.
--
CREATE TABLE offer (
    id             int PRIMARY KEY,
    currency       varchar(3),
    contract_total numeric NOT NULL,
    term_start     date NOT NULL,
    term_end       date NOT NULL,
    accepted_on    date
);
CREATE TABLE installment (
    offer_id     int NOT NULL REFERENCES offer,
    invoice_date date NOT NULL,
    amount       numeric NOT NULL,
    PRIMARY KEY (offer_id, invoice_date)
);
-- a currency column of a type that cannot hold a code: 42804
SELECT iq_enforce_installment_plans('installment', 'offer_id', 'invoice_date', 'amount',
    'offer', 'id', 'contract_total', term_start_column => 'term_start',
    term_end_column => 'term_end', currency_column => 'term_start');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_enforce_installment_plans('installment', 'offer_id', 'invoice_date', 'amount',
    'offer', 'id', 'contract_total', term_start_column => 'term_start',
    term_end_column => 'term_end', acceptance_column => 'accepted_on',
    currency_column => 'currency');
-- the currency is frozen with the total and the term
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'iq_offer_frozen';

BEGIN;
INSERT INTO offer VALUES (1, 'JPY', 1000000, '2025-01-01', '2025-12-31', NULL),
                         (2, 'KWD', 1000, '2025-01-01', '2025-12-31', NULL),
                         (3, 'USD', 1000, '2025-01-01', '2025-12-31', NULL);
INSERT INTO installment SELECT 1, invoice_date, amount FROM iq_installment_plan(1000000, 7, '2025-01-31', currency => 'JPY');
INSERT INTO installment SELECT 2, invoice_date, amount FROM iq_installment_plan(1000, 3, '2025-01-31', currency => 'KWD');
INSERT INTO installment SELECT 3, invoice_date, amount FROM iq_installment_plan(1000, 3, '2025-01-31');
COMMIT;
SELECT offer_id, count(*), sum(amount) FROM installment GROUP BY 1 ORDER BY 1;

-- half a yen: refused at commit in the yen's words
BEGIN;
UPDATE installment SET amount = amount - 0.5 WHERE offer_id = 1 AND invoice_date = '2025-01-31';
UPDATE installment SET amount = amount + 0.5 WHERE offer_id = 1 AND invoice_date = '2025-02-28';
COMMIT;
\echo :LAST_ERROR_SQLSTATE
-- a dollar plan moved to yen breaks the yen rule
BEGIN;
UPDATE offer SET currency = 'JPY' WHERE id = 3;
COMMIT;
\echo :LAST_ERROR_SQLSTATE
-- an offer without a currency: an error naming the offer
BEGIN;
UPDATE offer SET currency = NULL WHERE id = 2;
COMMIT;
\echo :LAST_ERROR_SQLSTATE
-- a code that is not ISO 4217 (lower case included): an error naming the offer
BEGIN;
UPDATE offer SET currency = 'kwd' WHERE id = 2;
COMMIT;
\echo :LAST_ERROR_SQLSTATE
-- an offer without installments needs no currency
INSERT INTO offer VALUES (4, NULL, 500, '2025-01-01', '2025-12-31', NULL);
-- accepted: its currency is part of the schedule
UPDATE offer SET accepted_on = '2025-01-10' WHERE id = 1;
UPDATE offer SET currency = 'USD' WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE

-- char(3) and text columns, by hand with the named form
CREATE TABLE offer_c (id int PRIMARY KEY, currency char(5), total numeric, term daterange);
CREATE TABLE line_c (offer_id int, due date, amount numeric);
CREATE CONSTRAINT TRIGGER plan AFTER INSERT OR UPDATE OR DELETE ON line_c
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint('installment_table=line_c', 'offer_column=offer_id',
        'invoice_date_column=due', 'amount_column=amount', 'offer_table=offer_c',
        'offer_key_column=id', 'contract_total_column=total', 'contract_term_column=term',
        'currency_column=currency');
INSERT INTO offer_c VALUES (1, 'JPY', 1000, '[2025-01-01,2026-01-01)');
INSERT INTO line_c VALUES (1, '2025-01-01', 1000);
INSERT INTO line_c VALUES (1, '2025-02-01', 0.5);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE offer_c ALTER COLUMN currency TYPE text;
INSERT INTO line_c VALUES (1, '2025-02-01', 0.5);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE offer_c ALTER COLUMN currency TYPE integer USING 0;
INSERT INTO line_c VALUES (1, '2025-02-01', 0);
\echo :LAST_ERROR_SQLSTATE

DROP TABLE line_c, offer_c, installment, offer, array_offer;
