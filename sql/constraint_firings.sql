--
-- Which offers iq_installment_constraint checks, and how often.  An offer
-- is checked again only for a change its last check in the transaction
-- did not read: a trigger and its twin on the other table share what they
-- have checked, so each changed offer is checked once however many of its
-- rows changed; a later change is checked again; triggers whose arguments
-- make a different check share nothing.  Each check reads the offer row
-- with one scan of the offer table, so pg_stat_xact_user_tables counts
-- the checks.
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

-- The check reads through the tables' indexes when both have one that
-- serves, and with a query otherwise: the same answers either way, for
-- every kind of change, valid or not.  The "plain" tables keep the same
-- rows unique with indexes the check cannot look offers up in.
CREATE TABLE indexed_offer (id int PRIMARY KEY, total numeric(14,2), term daterange,
                            accepted_on date);
CREATE TABLE indexed_installment (offer_id int, invoice_date date, amount numeric(14,2),
                                  PRIMARY KEY (offer_id, invoice_date));
CREATE TABLE plain_offer (id int, total numeric(14,2), term daterange, accepted_on date,
                          EXCLUDE USING hash (id WITH =));
CREATE TABLE plain_installment (offer_id int, invoice_date date, amount numeric(14,2),
                                UNIQUE (invoice_date, offer_id));
CREATE FUNCTION make_plan_triggers(kind text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE CONSTRAINT TRIGGER plan AFTER INSERT OR UPDATE OR DELETE ON %1$s_installment
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                    EXECUTE FUNCTION iq_installment_constraint(%1$s_installment, offer_id,
                        invoice_date, amount, %1$s_offer, id, total, term, accepted_on)', kind);
    EXECUTE format('CREATE CONSTRAINT TRIGGER plan AFTER INSERT OR UPDATE ON %1$s_offer
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                    EXECUTE FUNCTION iq_installment_constraint(%1$s_installment, offer_id,
                        invoice_date, amount, %1$s_offer, id, total, term, accepted_on)', kind);
    EXECUTE format('CREATE TRIGGER frozen BEFORE INSERT OR UPDATE OR DELETE ON %1$s_installment
                    FOR EACH ROW EXECUTE FUNCTION
                    iq_freeze_installments(offer_id, %1$s_offer, id, accepted_on)', kind);
    -- offers 1 to 6 with twelve installments of 100.00, offer 7 with none
    EXECUTE format('INSERT INTO %1$s_offer SELECT o, 1200, ''[2024-01-01,2025-01-01)'', NULL
                      FROM generate_series(1, 7) AS o', kind);
    EXECUTE format('INSERT INTO %1$s_installment SELECT o, invoice_date, amount
                      FROM generate_series(1, 6) AS o,
                           iq_installment_plan(1200, 12, ''2024-01-01'')', kind);
END $$;
SELECT make_plan_triggers('indexed'), make_plan_triggers('plain');

-- one change, checked at once: 'ok' or its error
CREATE FUNCTION change(kind text, step int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    offer int := 1 + (step * 7919) % 7;
    month date := date '2024-01-01' + make_interval(months => (step * 104729) % 14);
    amount numeric := ((step * 31) % 5) * 0.5;
    sql text;
BEGIN
    sql := CASE (step * 6151) % 8
        WHEN 0 THEN 'INSERT INTO %1$s_installment VALUES (%2$s, %3$L, %4$s)'
        WHEN 1 THEN 'UPDATE %1$s_installment SET amount = amount + %4$s
                      WHERE offer_id = %2$s AND invoice_date = %3$L'
        WHEN 2 THEN 'UPDATE %1$s_installment SET amount = amount - %4$s
                      WHERE offer_id = %2$s AND invoice_date = %3$L'
        WHEN 3 THEN 'DELETE FROM %1$s_installment WHERE offer_id = %2$s AND invoice_date = %3$L'
        WHEN 4 THEN 'UPDATE %1$s_offer SET total = total + %4$s WHERE id = %2$s'
        WHEN 5 THEN 'UPDATE %1$s_offer SET term = daterange(lower(term), %3$L) WHERE id = %2$s'
        WHEN 6 THEN 'UPDATE %1$s_offer SET accepted_on = %3$L WHERE id = %2$s'
        ELSE 'UPDATE %1$s_installment SET offer_id = 7 WHERE offer_id = %2$s AND invoice_date = %3$L'
    END;
    EXECUTE format(sql, kind, offer, month, amount);
    SET CONSTRAINTS ALL IMMEDIATE;
    SET CONSTRAINTS ALL DEFERRED;
    RETURN 'ok';
EXCEPTION
    WHEN unique_violation THEN
        RETURN SQLSTATE;		-- the two tables' unique indexes have other names
    WHEN OTHERS THEN
        RETURN SQLSTATE || ' ' || replace(SQLERRM, kind || '_', '');
END $$;

SELECT count(*) AS changes,
       count(*) FILTER (WHERE indexed = 'ok') AS made,
       string_agg(DISTINCT split_part(indexed, ' ', 1), ',') AS outcomes,
       count(*) FILTER (WHERE indexed IS DISTINCT FROM plain) AS differ
  FROM (SELECT change('indexed', step) AS indexed, change('plain', step) AS plain
          FROM generate_series(1, 800) AS step) AS c;
SELECT count(*) AS rows_differ
  FROM ((SELECT * FROM indexed_installment EXCEPT SELECT * FROM plain_installment)
        UNION ALL
        (SELECT * FROM plain_installment EXCEPT SELECT * FROM indexed_installment)) AS d;
DROP TABLE indexed_offer, indexed_installment, plain_offer, plain_installment;
DROP FUNCTION make_plan_triggers(text), change(text, int);

-- A check fired by an offer row's event takes the offer from that row
-- when it is the latest version and this transaction's own.  Here the
-- offer row changes after its insert in the same transaction: the
-- insert's event reports a version that is no longer the latest, and the
-- check reads the latest (total 400.00, not 300.00).
CREATE TABLE own_offer (id int PRIMARY KEY, total numeric(14,2), term daterange);
CREATE TABLE own_installment (offer_id int, invoice_date date, amount numeric(14,2),
                              PRIMARY KEY (offer_id, invoice_date));
SELECT iq_enforce_installment_plans('own_installment', 'offer_id', 'invoice_date', 'amount',
    'own_offer', 'id', 'total', 'term');
BEGIN;
INSERT INTO own_offer VALUES (7, 300, '[2024-01-01,2025-01-01)');
INSERT INTO own_installment VALUES (7, '2024-01-01', 100), (7, '2024-02-01', 100), (7, '2024-03-01', 100);
INSERT INTO own_installment VALUES (7, '2024-04-01', 100);
UPDATE own_offer SET total = 400 WHERE id = 7;
COMMIT;
SELECT total, (SELECT sum(amount) FROM own_installment) FROM own_offer;
DROP TABLE own_offer, own_installment;

-- ... and only when the key is unique by itself: with one unique across
-- (id, rev), offer 7 has two rows, the check reads the first an index
-- lookup finds (rev 1, total 300.00) whichever row's event fired
CREATE TABLE rev_offer (id int, rev int, total numeric(14,2), term daterange,
                        UNIQUE (id, rev));
CREATE TABLE rev_installment (offer_id int, invoice_date date, amount numeric(14,2),
                              PRIMARY KEY (offer_id, invoice_date));
SELECT iq_enforce_installment_plans('rev_installment', 'offer_id', 'invoice_date', 'amount',
    'rev_offer', 'id', 'total', 'term');
BEGIN;
INSERT INTO rev_offer VALUES (7, 2, 400, '[2024-01-01,2025-01-01)'), (7, 1, 300, '[2024-01-01,2025-01-01)');
INSERT INTO rev_installment VALUES (7, '2024-01-01', 100), (7, '2024-02-01', 100), (7, '2024-03-01', 100);
COMMIT;
SELECT count(*) FROM rev_offer;
DROP TABLE rev_offer, rev_installment;
