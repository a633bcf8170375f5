--
-- Which offers iq_installment_constraint checks, and how often.  Within one
-- firing of the queued events a trigger and its twin on the other table
-- share the offers checked, so each changed offer is checked once; a later
-- firing checks again; triggers whose arguments make a different check
-- share nothing.  Each check reads the offer row with one scan of the
-- offer table (and a second to lock it, unless this transaction wrote
-- it), so pg_stat_xact_user_tables counts the checks of a firing.
--
SET datestyle = 'ISO, YMD';

-- text keys, long enough to be passed by reference
CREATE TABLE firing_offer (
    id          text PRIMARY KEY,
    total       numeric(14,2),
    term        daterange,
    accepted_on date
);
CREATE TABLE firing_installment (
    offer_id     text,
    invoice_date date,
    amount       numeric(14,2)
);
CREATE CONSTRAINT TRIGGER plan AFTER INSERT OR UPDATE OR DELETE ON firing_installment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        firing_installment, offer_id, invoice_date, amount,
        firing_offer, id, total, term, accepted_on);
CREATE CONSTRAINT TRIGGER plan AFTER INSERT OR UPDATE ON firing_offer
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        firing_installment, offer_id, invoice_date, amount,
        firing_offer, id, total, term, accepted_on);

CREATE FUNCTION offer_key(i int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'offer ' || repeat('x', 40) || ' ' || i $$;

CREATE FUNCTION checks() RETURNS bigint
LANGUAGE sql AS $$
    SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0)
      FROM pg_stat_xact_user_tables WHERE relid = 'firing_offer'::regclass
$$;

BEGIN;
-- 300 offers of 3 installments: 300 offer events and 900 installment events
INSERT INTO firing_offer
SELECT offer_key(i), 300, '[2024-01-01,2025-01-01)', '2024-01-01'
  FROM generate_series(1, 300) AS i;
INSERT INTO firing_installment
SELECT offer_key(i), date '2024-01-01' + 31 * k, 100
  FROM generate_series(1, 300) AS i, generate_series(0, 2) AS k;
SELECT checks() AS before \gset
SET CONSTRAINTS ALL IMMEDIATE;
SELECT checks() - :before AS checks_in_firing;

-- a later firing checks the offers changed since, once each
SET CONSTRAINTS ALL DEFERRED;
UPDATE firing_installment SET amount = 100 WHERE offer_id IN (offer_key(1), offer_key(2));
UPDATE firing_offer SET accepted_on = '2024-01-02' WHERE id = offer_key(2);
SELECT checks() AS before \gset
SET CONSTRAINTS ALL IMMEDIATE;
SELECT checks() - :before AS checks_in_second_firing;

-- and finds what a change since the first check broke
SET CONSTRAINTS ALL DEFERRED;
UPDATE firing_installment SET amount = 101
 WHERE offer_id = offer_key(3) AND invoice_date = '2024-01-01';
SET CONSTRAINTS ALL IMMEDIATE;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- A second check on the same tables, without the acceptance date: before
-- the term's first day is "backdated" now.  It shares nothing with the
-- first, and finds what the first passes.
CREATE CONSTRAINT TRIGGER plan_without_acceptance
    AFTER INSERT OR UPDATE OR DELETE ON firing_installment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        firing_installment, offer_id, invoice_date, amount,
        firing_offer, id, total, term);

BEGIN;
INSERT INTO firing_offer VALUES (offer_key(1), 300, '[2024-01-01,2025-01-01)', '2024-01-01');
INSERT INTO firing_installment
SELECT offer_key(1), date '2024-01-01' + 31 * k, 100 FROM generate_series(0, 2) AS k;
SELECT checks() AS before \gset
SET CONSTRAINTS ALL IMMEDIATE;
SELECT checks() - :before AS checks_of_two_kinds;
ROLLBACK;

BEGIN;
INSERT INTO firing_offer VALUES (offer_key(1), 300, '[2024-03-01,2025-01-01)', '2024-01-01');
INSERT INTO firing_installment
SELECT offer_key(1), date '2024-01-01' + 31 * k, 100 FROM generate_series(0, 2) AS k;
COMMIT;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS offers_kept FROM firing_offer;

DROP TABLE firing_offer, firing_installment;
DROP FUNCTION offer_key(int), checks();

-- Installments are numbered by invoice date, then amount, NULLs last,
-- whatever order they were written in.
CREATE TABLE order_offer (id int PRIMARY KEY, total numeric(14,2), term daterange);
CREATE TABLE order_installment (offer_id int, invoice_date date, amount numeric(14,2));
CREATE CONSTRAINT TRIGGER plan AFTER INSERT OR UPDATE OR DELETE ON order_installment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        order_installment, offer_id, invoice_date, amount,
        order_offer, id, total, term);
BEGIN;
INSERT INTO order_offer VALUES (1, 100, '[2024-01-01,2025-01-01)');
INSERT INTO order_installment VALUES
    (1, NULL, 1), (1, '2024-03-01', NULL), (1, '2024-02-01', 60),
    (1, '2024-02-01', -5), (1, '2024-01-01', 44);
COMMIT;
\echo :LAST_ERROR_SQLSTATE
DROP TABLE order_offer, order_installment;
