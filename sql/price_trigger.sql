--
-- iq_price_trigger: pricing rows of a user's own payment-request table.
--
SET datestyle = 'ISO, YMD';
CREATE TABLE payment_request (
    id          int PRIMARY KEY,
    amount      numeric(14,2),
    approved_on date,
    expert_fee  numeric(14,2),
    payout      numeric(14,2),
    buyer_total numeric(14,2)
);
CREATE TRIGGER price BEFORE INSERT OR UPDATE ON payment_request
    FOR EACH ROW EXECUTE FUNCTION
    iq_price_trigger(amount, approved_on, expert_fee, payout, buyer_total);

INSERT INTO payment_request (id, amount, approved_on) VALUES
    (1, 1000, '2020-08-01'),
    (2, 1000, '2020-05-01'),
    (3, 0.30, '2024-01-15'),
    (4, 250, NULL),
    (5, NULL, '2024-01-15');
SELECT * FROM payment_request ORDER BY id;

-- approving a request prices it; values a user writes are overwritten
UPDATE payment_request SET approved_on = '2024-02-01' WHERE id = 4;
UPDATE payment_request SET payout = 0 WHERE id = 1;
UPDATE payment_request SET amount = 2000 WHERE id = 2;
SELECT * FROM payment_request ORDER BY id;

-- COPY goes through the trigger too
COPY payment_request (id, amount, approved_on) FROM stdin;
6	99.99	2021-03-03
\.
SELECT * FROM payment_request WHERE id = 6;

-- bad amounts are refused with the pricing functions' errors
INSERT INTO payment_request (id, amount, approved_on) VALUES (7, -5, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE

-- the columns' own typmods and domains apply to the filled values
CREATE DOMAIN usd AS numeric(8,2) CHECK (VALUE < 1000);
CREATE TABLE small_request (
    amount      numeric,
    approved_on date,
    fee         numeric(5,2),
    payout      usd,
    buyer_total numeric
);
CREATE TRIGGER price BEFORE INSERT ON small_request
    FOR EACH ROW EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, buyer_total);
INSERT INTO small_request (amount, approved_on) VALUES (123.45, '2024-01-01');
SELECT * FROM small_request;
INSERT INTO small_request (amount, approved_on) VALUES (10000, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO small_request (amount, approved_on) VALUES (2000, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO small_request (amount, approved_on) VALUES (0.005, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE

-- a table in another schema, with names that need quoting
CREATE SCHEMA "Billing";
CREATE TABLE "Billing"."Payment Request" (
    "Amount USD"  numeric(14,2),
    "Approved On" date,
    "Fee"         numeric(14,2),
    "Payout"      numeric(14,2),
    "Buyer Total" numeric(14,2)
);
CREATE TRIGGER "Price It" BEFORE INSERT OR UPDATE ON "Billing"."Payment Request"
    FOR EACH ROW EXECUTE FUNCTION
    iq_price_trigger('Amount USD', 'Approved On', 'Fee', 'Payout', 'Buyer Total');
INSERT INTO "Billing"."Payment Request" VALUES (1000, '2020-07-01');
SELECT * FROM "Billing"."Payment Request";

-- misconfigured triggers fail with a clear error on their first row
CREATE TABLE misconfigured (amount numeric, approved_on date, note text,
                            fee numeric, payout numeric, total numeric,
                            approved_at timestamptz);
CREATE TRIGGER t BEFORE INSERT ON misconfigured FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, buyer_total);
INSERT INTO misconfigured (amount, approved_on) VALUES (1, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t BEFORE INSERT ON misconfigured FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(note, approved_on, fee, payout, total);
INSERT INTO misconfigured (amount, approved_on) VALUES (1, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t BEFORE INSERT ON misconfigured FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, note, fee, payout, total);
INSERT INTO misconfigured (amount, approved_on) VALUES (1, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t BEFORE INSERT ON misconfigured FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, fee, total);
INSERT INTO misconfigured (amount, approved_on) VALUES (1, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t BEFORE INSERT ON misconfigured FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee);
INSERT INTO misconfigured (amount, approved_on) VALUES (1, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t AFTER INSERT ON misconfigured FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, total);
INSERT INTO misconfigured (amount, approved_on) VALUES (1, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t BEFORE INSERT ON misconfigured FOR EACH STATEMENT
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, total);
INSERT INTO misconfigured (amount, approved_on) VALUES (1, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t BEFORE DELETE ON misconfigured FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, total);
DELETE FROM misconfigured;
SELECT count(*) AS still_empty FROM misconfigured;
INSERT INTO misconfigured (amount) VALUES (1);
DELETE FROM misconfigured;
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
ALTER TABLE misconfigured ADD COLUMN gen numeric GENERATED ALWAYS AS (amount * 2) STORED;
CREATE TRIGGER t BEFORE INSERT ON misconfigured FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, gen);
INSERT INTO misconfigured (amount, approved_on) VALUES (1, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE

-- called directly, it refuses
SELECT iq_price_trigger();
\echo :LAST_ERROR_SQLSTATE
