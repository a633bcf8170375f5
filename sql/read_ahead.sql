--
-- Offers read ahead of their checks.  When the checks of a transaction
-- come in ascending order of an integer offer key, a check reads the next
-- offers and their installments in the same two index scans, and the
-- following checks use what it read while reading again would return the
-- same.  Every result here must be the one a check reading its offer
-- alone gives; the scans of the installment index
-- (pg_stat_xact_user_tables) show when offers were read ahead.
--
SET datestyle = 'ISO, YMD';

CREATE TABLE ahead_offer (
    id             int PRIMARY KEY,
    contract_total numeric(14,2) NOT NULL,
    contract_term  daterange NOT NULL,
    accepted_on    date,
    currency       text
);
CREATE TABLE ahead_installment (
    offer_id     int NOT NULL,
    invoice_date date NOT NULL,
    amount       numeric(14,2) NOT NULL,
    PRIMARY KEY (offer_id, invoice_date)
);
SELECT iq_enforce_installment_plans('ahead_installment', 'offer_id', 'invoice_date', 'amount',
    'ahead_offer', 'id', 'contract_total', 'contract_term',
    acceptance_column => 'accepted_on', currency_column => 'currency', freeze => false);

-- the offers ids, each of payments monthly installments of 100.00 from
-- January 2024, its term the four years from then
CREATE FUNCTION add_offers(ids int[], payments int DEFAULT 3) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO ahead_offer
    SELECT id, 100 * payments, '[2024-01-01,2028-01-01)', '2024-01-01', 'USD'
      FROM unnest(ids) AS id;
    INSERT INTO ahead_installment
    SELECT id, (date '2024-01-01' + make_interval(months => k))::date, 100
      FROM unnest(ids) AS id, generate_series(0, payments - 1) AS k;
$$;

CREATE FUNCTION installment_scans() RETURNS bigint
LANGUAGE sql AS $$
    SELECT coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables
     WHERE relid = 'ahead_installment'::regclass
$$;

CREATE FUNCTION reset() RETURNS void
LANGUAGE sql AS $$
    SET session_replication_role = replica;
    TRUNCATE ahead_offer, ahead_installment;
    RESET session_replication_role;
$$;

-- 200 offers in key order: once checks ascend, each reading ahead reads
-- twice as many offers as the one before, up to 64: after two checks
-- that read alone, 7 scans read the other 198
BEGIN;
SELECT installment_scans() AS scans_before \gset
SELECT add_offers(array(SELECT generate_series(1, 200)));
SET CONSTRAINTS ALL IMMEDIATE;
SELECT installment_scans() - :scans_before AS scans;
COMMIT;
SELECT count(*), sum(amount) FROM ahead_installment;

-- the same offers in descending order: one scan per offer
SELECT reset();
BEGIN;
SELECT installment_scans() AS scans_before \gset
SELECT add_offers(array(SELECT generate_series(200, 1, -1)));
SET CONSTRAINTS ALL IMMEDIATE;
SELECT installment_scans() - :scans_before AS scans;
COMMIT;

-- indexes sorted downwards are not read ahead through: offer 5's plan is
-- wrong, whichever of the two indexes sorts downwards
CREATE FUNCTION down_tables(offer_order text, installment_order text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    CREATE TABLE down_offer (id int NOT NULL, contract_total numeric(14,2),
                             contract_term daterange);
    CREATE TABLE down_installment (offer_id int, invoice_date date, amount numeric(14,2));
    EXECUTE format('CREATE UNIQUE INDEX ON down_offer (id %s)', offer_order);
    EXECUTE format('CREATE INDEX ON down_installment (offer_id %s, invoice_date)',
                   installment_order);
    PERFORM iq_enforce_installment_plans('down_installment', 'offer_id', 'invoice_date',
        'amount', 'down_offer', 'id', 'contract_total', 'contract_term');
    INSERT INTO down_offer
    SELECT g, CASE g WHEN 5 THEN 999 ELSE 300 END, '[2024-01-01,2025-01-01)'
      FROM generate_series(1, 10) AS g;
    INSERT INTO down_installment
    SELECT g, (date '2024-01-01' + make_interval(months => k))::date, 100
      FROM generate_series(1, 10) AS g, generate_series(0, 2) AS k;
    SET CONSTRAINTS ALL IMMEDIATE;
    RETURN 'committed';
EXCEPTION WHEN check_violation THEN
    RETURN SQLERRM;
END $$;
BEGIN;
SELECT down_tables('DESC', 'ASC');
ROLLBACK;
BEGIN;
SELECT down_tables('ASC', 'DESC');
ROLLBACK;
DROP FUNCTION down_tables(text, text);

-- an offer whose plan misses its total, among offers read ahead
SELECT reset();
BEGIN;
SELECT add_offers(array(SELECT generate_series(1, 200)));
UPDATE ahead_offer SET contract_total = 299.99 WHERE id = 150;
COMMIT;
SELECT count(*) FROM ahead_offer;

-- gaps between keys, offers without installments and installments of
-- offers that do not exist, all inside the offers read ahead: only offer
-- 101's plan is wrong
CREATE FUNCTION add_gapped_offers() RETURNS void
LANGUAGE sql AS $$
    SELECT add_offers(array(SELECT generate_series(1, 120, 2)));
    INSERT INTO ahead_offer
    SELECT g, 500, '[2024-01-01,2028-01-01)', '2024-01-01', 'USD'
      FROM generate_series(2, 120, 6) AS g;
    INSERT INTO ahead_installment
    SELECT g, '2024-03-01', 50 FROM generate_series(4, 120, 6) AS g;
$$;
SELECT reset();
BEGIN;
SELECT add_gapped_offers();
UPDATE ahead_installment SET amount = 101 WHERE offer_id = 101 AND invoice_date = '2024-01-01';
SET CONSTRAINTS ALL IMMEDIATE;
ROLLBACK;
BEGIN;
SELECT installment_scans() AS scans_before \gset
SELECT add_gapped_offers();
SET CONSTRAINTS ALL IMMEDIATE;
SELECT installment_scans() - :scans_before AS scans;
COMMIT;
SELECT count(*) AS offers, (SELECT count(*) FROM ahead_installment) AS installments
  FROM ahead_offer;

-- 2000 installments of an offer that does not exist, between offers read
-- ahead: the reading ahead stops after 1024 of them, and the offers after
-- are read by checks of their own
CREATE FUNCTION add_offers_around_missing() RETURNS void
LANGUAGE sql AS $$
    SELECT add_offers(array(SELECT generate_series(1, 8) UNION ALL SELECT generate_series(10, 30)));
    INSERT INTO ahead_installment
    SELECT 9, date '2024-01-01' + g, 1 FROM generate_series(1, 2000) AS g;
$$;
SELECT reset();
BEGIN;
SELECT add_offers_around_missing();
UPDATE ahead_offer SET contract_total = 299.99 WHERE id = 12;
COMMIT;
BEGIN;
SELECT add_offers_around_missing();
COMMIT;
SELECT count(*) FILTER (WHERE offer_id = 9) AS without_offer, count(*) FROM ahead_installment;

-- an offer written without triggers (as if before they existed) with an
-- unknown currency is read ahead of its neighbours' checks, but it is not
-- checked, and its neighbours commit
SELECT reset();
SET session_replication_role = replica;
SELECT add_offers('{20}');
UPDATE ahead_offer SET currency = 'XXZ' WHERE id = 20;
RESET session_replication_role;
BEGIN;
SELECT add_offers(array(SELECT generate_series(1, 19) UNION ALL SELECT generate_series(21, 40)));
COMMIT;
SELECT count(*) FROM ahead_offer WHERE currency = 'USD';
-- and its own check says what is wrong with it
UPDATE ahead_offer SET accepted_on = accepted_on WHERE id = 20;

-- 40 installments an offer: a reading ahead stops at 1024 installments,
-- and leaves the offers whose installments it did not read to be read
-- again (here the one from offer 34 reads offers 34 to 66 and the
-- installments of 34 to 59; offer 63's plan is wrong)
SELECT reset();
BEGIN;
SELECT add_offers(array(SELECT generate_series(1, 100)), 40);
UPDATE ahead_offer SET contract_total = 3999.99 WHERE id = 63;
COMMIT;
BEGIN;
SELECT add_offers(array(SELECT generate_series(1, 100)), 40);
COMMIT;
SELECT count(*), sum(amount) FROM ahead_installment;

-- an offer with more installments than can be checked is left to its own
-- check, which says so
SELECT reset();
BEGIN;
SELECT add_offers(array(SELECT generate_series(1, 20)));
INSERT INTO ahead_installment
SELECT 11, date '2030-01-01' + g, 0 FROM generate_series(1, 10000) AS g;
COMMIT;

--
-- What was read ahead is not used once reading again could differ.
--

-- A change by this transaction between two checks: the deferred trigger
-- on poke fires between the checks of offers 29 and 30, after offer 30
-- was read ahead, and adds an installment to offer 30 that breaks its
-- plan.  The check of offer 30 must read it.
SELECT reset();
CREATE TABLE poke (offer_id int);
CREATE FUNCTION poke_offer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ahead_installment VALUES (NEW.offer_id, '2024-12-01', 100);
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER poke AFTER INSERT ON poke
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION poke_offer();
BEGIN;
SELECT add_offers(array(SELECT generate_series(1, 29)));
INSERT INTO poke VALUES (30);
SELECT add_offers(array(SELECT generate_series(30, 40)));
COMMIT;
SELECT count(*) FROM ahead_offer;

-- A subtransaction rolled back after its checks read offers ahead.  In it,
-- offer 35 has one installment too many, and its check, served by a
-- reading ahead, refuses it; after the rollback the checks fire again at
-- commit and read offer 35 as it is.
SELECT reset();
BEGIN;
SELECT add_offers(array(SELECT generate_series(1, 40)));
DO $$
BEGIN
    SET LOCAL session_replication_role = replica;
    INSERT INTO ahead_installment VALUES (35, '2024-12-01', 100);
    SET LOCAL session_replication_role = origin;
    SET CONSTRAINTS ALL IMMEDIATE;
EXCEPTION WHEN check_violation THEN
    RAISE NOTICE 'refused: %', SQLERRM;
END $$;
COMMIT;
SELECT count(*), sum(amount) FROM ahead_installment WHERE offer_id = 35;

-- A subtransaction rolled back after a check in it read offers ahead,
-- with no change since.  The events of offers 35 to 40 are queued before
-- the subtransaction, and fired in it while offer 35 is as it was.  Then
-- an installment too many is added to offer 35 without an event, and the
-- checks of offers 1 to 34 read offers 34 to 40 ahead.  The rollback
-- undoes the installment and queues the events of offers 35 to 40 again;
-- at commit offer 35's check must read it as it is now.
SELECT reset();
BEGIN;
SELECT add_offers(array(SELECT generate_series(35, 40)));
DO $$
BEGIN
    SET CONSTRAINTS ALL IMMEDIATE;
    SET CONSTRAINTS ALL DEFERRED;
    SET LOCAL session_replication_role = replica;
    INSERT INTO ahead_installment VALUES (35, '2024-12-01', 100);
    SET LOCAL session_replication_role = origin;
    PERFORM add_offers(array(SELECT generate_series(1, 34)));
    SET CONSTRAINTS ALL IMMEDIATE;
    RAISE EXCEPTION 'undo';
EXCEPTION WHEN raise_exception THEN
    RAISE NOTICE 'rolled back';
END $$;
COMMIT;
SELECT count(*), sum(amount) FROM ahead_installment WHERE offer_id = 35;

DROP TABLE poke;
DROP FUNCTION poke_offer(), add_offers(int[], int), add_gapped_offers(),
    add_offers_around_missing(), reset();
DROP TABLE ahead_installment, ahead_offer;

-- The same random batches of changes, each to eight offers in ascending
-- order and then checked at once, on two pairs of tables: one whose
-- checks read through the indexes and ahead, one with no index to read
-- by, whose checks run a query per offer.  Every batch must end the same
-- way on both (committed, or the same error about the same offer), and
-- the tables must end up the same.
CREATE FUNCTION make_tables(kind text, indexed boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TABLE %1$s_offer (id int %2$s, total numeric(14,2),
                                             term daterange, accepted_on date)',
                   kind, CASE WHEN indexed THEN 'PRIMARY KEY' ELSE '' END);
    -- the same uniqueness, but not by the offer column first when not indexed
    EXECUTE format('CREATE TABLE %1$s_installment (offer_id int, invoice_date date,
                                                   amount numeric(14,2), %2$s)',
                   kind, CASE WHEN indexed THEN 'PRIMARY KEY (offer_id, invoice_date)'
                              ELSE 'UNIQUE (invoice_date, offer_id)' END);
    PERFORM iq_enforce_installment_plans(format('%s_installment', kind), 'offer_id',
        'invoice_date', 'amount', format('%s_offer', kind), 'id', 'total', 'term',
        acceptance_column => 'accepted_on', freeze => false);
    -- offers 1 to 60 of twelve installments of 100.00 but every fifth
    -- without installments; installments of offers 61 to 70, which do
    -- not exist
    EXECUTE format('INSERT INTO %1$s_offer SELECT o, 1200, ''[2024-01-01,2025-01-01)'', NULL
                      FROM generate_series(1, 60) AS o', kind);
    EXECUTE format('INSERT INTO %1$s_installment SELECT o, invoice_date, amount
                      FROM generate_series(1, 70) AS o,
                           iq_installment_plan(1200, 12, ''2024-01-01'')
                     WHERE o %% 5 <> 0', kind);
END $$;
SELECT make_tables('ahead', true), make_tables('plain', false);

-- what the checks of kind read: index scans of the installments where
-- they read through the indexes, one query (one scan of the offers) per
-- check where they do not
CREATE FUNCTION reads(kind text) RETURNS bigint
LANGUAGE sql AS $$
    SELECT CASE kind WHEN 'ahead' THEN idx_scan ELSE seq_scan END
      FROM pg_stat_xact_user_tables
     WHERE relid = format('%s_%s', kind, CASE kind WHEN 'ahead' THEN 'installment'
                                                   ELSE 'offer' END)::regclass
$$;

CREATE FUNCTION batch(kind text, step int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    first int := 1 + (step * 7919) % 58;
    offer int;
    pick int;
    month date;
    other date;
    amount numeric;
    before bigint;
BEGIN
    FOR i IN 0 .. 11 LOOP
        offer := first + i;
        pick := (step * 6151 + i * 104729) % 40;
        month := date '2024-01-01' + make_interval(months => (step * 31 + i * 7) % 13);
        other := date '2024-01-01' + make_interval(months => (step * 17 + i * 11) % 12);
        amount := ((step + i) % 4) * 25;
        IF pick < 30 THEN
            -- move an amount between two installments: the plan stays valid
            EXECUTE format('UPDATE %1$s_installment SET amount = amount + %4$s
                             WHERE offer_id = %2$s AND invoice_date = %3$L', kind, offer, other, amount);
            EXECUTE format('UPDATE %1$s_installment SET amount = amount - %4$s
                             WHERE offer_id = %2$s AND invoice_date = %3$L', kind, offer,
                           date '2024-01-01' + make_interval(months => (step + i) % 12), amount);
        ELSIF pick < 34 THEN
            EXECUTE format('UPDATE %1$s_offer SET accepted_on = %3$L WHERE id = %2$s',
                           kind, offer, date '2024-01-01' + make_interval(months => pick % 2));
        ELSIF pick = 34 THEN
            EXECUTE format('UPDATE %1$s_offer SET accepted_on = %3$L WHERE id = %2$s',
                           kind, offer, month);
        ELSIF pick = 35 THEN
            EXECUTE format('UPDATE %1$s_installment SET invoice_date = %3$L
                             WHERE offer_id = %2$s AND invoice_date = %4$L', kind, offer, month, other);
        ELSIF pick = 36 THEN
            EXECUTE format('INSERT INTO %1$s_installment VALUES (%2$s, %3$L, %4$s)',
                           kind, offer, month, amount);
        ELSIF pick = 37 THEN
            EXECUTE format('UPDATE %1$s_offer SET total = total + %3$s WHERE id = %2$s',
                           kind, offer, amount);
        ELSE
            EXECUTE format('DELETE FROM %1$s_installment WHERE offer_id = %2$s AND invoice_date = %3$L',
                           kind, offer, other);
        END IF;
    END LOOP;
    before := reads(kind);
    SET CONSTRAINTS ALL IMMEDIATE;
    SET CONSTRAINTS ALL DEFERRED;
    -- what the checks of the batches that pass read
    PERFORM set_config('ahead.' || kind, (current_setting('ahead.' || kind)::bigint
                                          + reads(kind) - before)::text, false);
    RETURN 'ok';
EXCEPTION
    WHEN unique_violation THEN
        RETURN SQLSTATE;		-- the two tables' unique indexes differ
    WHEN OTHERS THEN
        RETURN SQLSTATE || ' ' || replace(SQLERRM, kind || '_', '');
END $$;

SET ahead.ahead = 0;
SET ahead.plain = 0;
SELECT count(*) AS batches,
       count(*) FILTER (WHERE ahead = 'ok') AS made,
       string_agg(DISTINCT split_part(ahead, ' ', 1), ',') AS outcomes,
       count(*) FILTER (WHERE ahead IS DISTINCT FROM plain) AS differ
  FROM (SELECT batch('ahead', step) AS ahead, batch('plain', step) AS plain
          FROM generate_series(1, 400) AS step) AS b;
-- the checks of the batches that passed, and the scans of the
-- installment index that read them
SELECT current_setting('ahead.plain') AS checks, current_setting('ahead.ahead') AS scans;
SELECT count(*) AS rows_differ
  FROM ((SELECT * FROM ahead_installment EXCEPT SELECT * FROM plain_installment)
        UNION ALL
        (SELECT * FROM plain_installment EXCEPT SELECT * FROM ahead_installment)) AS d;
DROP TABLE ahead_offer, ahead_installment, plain_offer, plain_installment;
DROP FUNCTION make_tables(text, boolean), reads(text), batch(text, int);

DROP FUNCTION installment_scans();
