--
-- The set-up functions on a billing schema as it already is: a two-column
-- contract term, timestamptz acceptance and approval columns, names that
-- need quoting.  Every table, column, type and combination is checked at
-- once, with the parameter named; run again, a set-up function replaces
-- its triggers; DROP TRIGGER removes them.
--
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

CREATE SCHEMA billing;
CREATE TABLE billing.private_offers (
    offer_id    int PRIMARY KEY,
    buyer       text,
    accepted_at timestamptz,
    term_start  date,
    term_end    date,
    total_usd   numeric(14,2),
    term        daterange
);
CREATE TABLE billing.offer_payments (
    offer_id   int REFERENCES billing.private_offers ON DELETE CASCADE,
    seq        int,
    due_date   date,
    amount_usd numeric(14,2),
    PRIMARY KEY (offer_id, seq)
);

SELECT iq_enforce_installment_plans(
    installment_table   => 'billing.offer_payments',
    offer_column        => 'offer_id',
    invoice_date_column => 'due_date',
    amount_column       => 'amount_usd',
    offer_table         => 'billing.private_offers',
    offer_key_column    => 'offer_id',
    contract_total_column => 'total_usd',
    term_start_column   => 'term_start',
    term_end_column     => 'term_end',
    acceptance_column   => 'accepted_at');

-- what it made: ordinary triggers, arguments in role=column form
SELECT tgrelid::regclass AS table, tgname,
       pg_get_triggerdef(oid) ~ 'DEFERRABLE INITIALLY DEFERRED' AS deferred,
       pg_get_triggerdef(oid) ~ 'WHEN' AS filtered
  FROM pg_trigger
 WHERE tgrelid IN ('billing.offer_payments'::regclass, 'billing.private_offers'::regclass)
   AND NOT tgisinternal
 ORDER BY 1, 2;
SELECT pg_get_triggerdef(oid)
  FROM pg_trigger WHERE tgrelid = 'billing.private_offers'::regclass AND NOT tgisinternal
 ORDER BY tgname;

-- an offer with no payment schedule: not checked
INSERT INTO billing.private_offers VALUES (1, 'Example Corp', NULL, '2025-01-01', '2025-12-31', 5000);

-- a schedule of 12 monthly payments, then one line and the total adjusted
BEGIN;
INSERT INTO billing.private_offers VALUES (2, 'Example Corp', NULL, '2025-01-01', '2025-12-31', 12000);
INSERT INTO billing.offer_payments
SELECT 2, installment, invoice_date, amount FROM iq_installment_plan(12000, 12, '2025-01-15');
COMMIT;
BEGIN;
UPDATE billing.offer_payments SET amount_usd = 1500 WHERE offer_id = 2 AND seq = 1;
UPDATE billing.private_offers SET total_usd = 12500 WHERE offer_id = 2;
COMMIT;
SELECT count(*), sum(amount_usd) FROM billing.offer_payments WHERE offer_id = 2;

-- the term's last day (term_end, inclusive) is in the term, the next is not
BEGIN;
UPDATE billing.offer_payments SET due_date = '2025-12-31' WHERE offer_id = 2 AND seq = 12;
SET CONSTRAINTS ALL IMMEDIATE;
ROLLBACK;
BEGIN;
UPDATE billing.offer_payments SET due_date = '2026-01-01' WHERE offer_id = 2 AND seq = 12;
COMMIT;
\echo :LAST_ERROR_SQLSTATE

-- a term that ends before it starts is an error naming the offer
BEGIN;
UPDATE billing.private_offers SET term_end = '2024-12-31' WHERE offer_id = 2;
COMMIT;
\echo :LAST_ERROR_SQLSTATE
-- a missing last day leaves the term open, as daterange(start, NULL) does
BEGIN;
UPDATE billing.private_offers SET term_end = NULL WHERE offer_id = 2;
UPDATE billing.offer_payments SET due_date = '2030-01-01' WHERE offer_id = 2 AND seq = 12;
COMMIT;
SELECT max(due_date) FROM billing.offer_payments WHERE offer_id = 2;

-- accepted at 2025-01-10 23:30 in New York: 2025-01-11 in UTC, whatever
-- the session's TimeZone; two invoices before that day are one too many
SET TimeZone = 'Pacific/Kiritimati';
BEGIN;
UPDATE billing.offer_payments SET due_date = '2025-01-11' WHERE offer_id = 2 AND seq = 1;
UPDATE billing.private_offers SET accepted_at = '2025-01-10 23:30-05' WHERE offer_id = 2;
COMMIT;
SELECT offer_id, accepted_at AT TIME ZONE 'UTC' AS accepted_utc FROM billing.private_offers WHERE offer_id = 2;
RESET TimeZone;

-- accepted: frozen, the total and term with it; other columns stay open
UPDATE billing.offer_payments SET amount_usd = amount_usd WHERE offer_id = 2 AND seq = 2;
\echo :LAST_ERROR_SQLSTATE
UPDATE billing.private_offers SET term_start = '2025-01-02' WHERE offer_id = 2;
\echo :LAST_ERROR_SQLSTATE
UPDATE billing.private_offers SET buyer = 'Example Corporation' WHERE offer_id = 2;

-- one event per offer for a statement that inserts a schedule: the WHEN
-- clause lets the first installment of each offer through, and each
-- offer is checked once
SET track_functions = 'all';
CREATE FUNCTION billing.calls(f text) RETURNS bigint
LANGUAGE sql AS $$
    SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_xact_user_functions WHERE funcname = f
$$;
BEGIN;
INSERT INTO billing.private_offers
SELECT o, 'Bulk', NULL, '2025-01-01', '2025-12-31', 1200 FROM generate_series(10, 59) AS o;
INSERT INTO billing.offer_payments
SELECT o, installment, invoice_date, amount
  FROM generate_series(10, 59) AS o, iq_installment_plan(1200, 12, '2025-01-15')
 ORDER BY o, installment;
SET CONSTRAINTS ALL IMMEDIATE;
SELECT billing.calls('iq_offer_event_needed') AS rows_filtered,
       billing.calls('iq_installment_constraint') AS events_fired;
ROLLBACK;
RESET track_functions;

--
-- Every table, column, type and combination is checked at once.
--
-- a missing column: 42703
SELECT iq_enforce_installment_plans('billing.offer_payments', 'offer_id', 'due_dt', 'amount_usd',
    'billing.private_offers', 'offer_id', 'total_usd',
    term_start_column => 'term_start', term_end_column => 'term_end');
\echo :LAST_ERROR_SQLSTATE
-- a column of the wrong type: 42804
SELECT iq_enforce_installment_plans('billing.offer_payments', 'offer_id', 'due_date', 'seq',
    'billing.private_offers', 'offer_id', 'total_usd',
    term_start_column => 'term_start', term_end_column => 'term_end');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_enforce_installment_plans('billing.offer_payments', 'offer_id', 'due_date', 'amount_usd',
    'billing.private_offers', 'buyer', 'total_usd',
    term_start_column => 'term_start', term_end_column => 'term_end');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_enforce_installment_plans('billing.offer_payments', 'offer_id', 'due_date', 'amount_usd',
    'billing.private_offers', 'offer_id', 'total_usd',
    term_start_column => 'term_start', term_end_column => 'buyer');
\echo :LAST_ERROR_SQLSTATE
-- a missing table: 42P01 (from regclass)
SELECT iq_enforce_installment_plans('billing.offer_payment', 'offer_id', 'due_date', 'amount_usd',
    'billing.private_offers', 'offer_id', 'total_usd',
    term_start_column => 'term_start', term_end_column => 'term_end');
\echo :LAST_ERROR_SQLSTATE
-- combinations: no term, both kinds of term, half a term: 22023
SELECT iq_enforce_installment_plans('billing.offer_payments', 'offer_id', 'due_date', 'amount_usd',
    'billing.private_offers', 'offer_id', 'total_usd');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_enforce_installment_plans('billing.offer_payments', 'offer_id', 'due_date', 'amount_usd',
    'billing.private_offers', 'offer_id', 'total_usd', contract_term_column => 'term',
    term_start_column => 'term_start', term_end_column => 'term_end');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_enforce_installment_plans('billing.offer_payments', 'offer_id', 'due_date', 'amount_usd',
    'billing.private_offers', 'offer_id', 'total_usd', term_start_column => 'term_start');
\echo :LAST_ERROR_SQLSTATE
-- a name needed but NULL: 22004
SELECT iq_enforce_installment_plans('billing.offer_payments', NULL, 'due_date', 'amount_usd',
    'billing.private_offers', 'offer_id', 'total_usd',
    term_start_column => 'term_start', term_end_column => 'term_end');
\echo :LAST_ERROR_SQLSTATE
-- the failed calls changed nothing
SELECT count(*) AS triggers FROM pg_trigger
 WHERE tgrelid IN ('billing.offer_payments'::regclass, 'billing.private_offers'::regclass)
   AND NOT tgisinternal;

-- run again without freezing: the same constraint triggers, no freeze triggers
SELECT iq_enforce_installment_plans('billing.offer_payments', 'offer_id', 'due_date', 'amount_usd',
    'billing.private_offers', 'offer_id', 'total_usd',
    term_start_column => 'term_start', term_end_column => 'term_end',
    acceptance_column => 'accepted_at', freeze => false);
SELECT tgrelid::regclass AS table, tgname FROM pg_trigger
 WHERE tgrelid IN ('billing.offer_payments'::regclass, 'billing.private_offers'::regclass)
   AND NOT tgisinternal
 ORDER BY 1, 2;
-- a trigger of the same name that is not iqfees' is left alone: 42710
CREATE FUNCTION billing.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER iq_offer_frozen AFTER UPDATE ON billing.private_offers
    FOR EACH ROW EXECUTE FUNCTION billing.noop();
SELECT iq_enforce_installment_plans('billing.offer_payments', 'offer_id', 'due_date', 'amount_usd',
    'billing.private_offers', 'offer_id', 'total_usd',
    term_start_column => 'term_start', term_end_column => 'term_end',
    acceptance_column => 'accepted_at');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER iq_offer_frozen ON billing.private_offers;

-- removing what it made
DROP TRIGGER iq_installment_plan ON billing.offer_payments;
DROP TRIGGER iq_installment_plan_update ON billing.offer_payments;
DROP TRIGGER iq_installment_plan_delete ON billing.offer_payments;
DROP TRIGGER iq_installment_plan ON billing.private_offers;
SELECT count(*) AS triggers FROM pg_trigger
 WHERE tgrelid IN ('billing.offer_payments'::regclass, 'billing.private_offers'::regclass)
   AND NOT tgisinternal;

--
-- iq_price_requests: the figures it is asked for, from a timestamptz
-- approval column (its UTC day)
--
CREATE TABLE billing.payment_requests (
    id           int PRIMARY KEY,
    amount       numeric(14,2),
    approved_at  timestamptz,
    "Expert Fee" numeric(14,2),
    payout       numeric(14,2),
    buyer_fee    numeric(14,2),
    buyer_total  numeric(14,2),
    note         text
);
SELECT iq_price_requests('billing.payment_requests', 'amount', 'approved_at',
                         expert_fee_column => 'Expert Fee', buyer_total_column => 'buyer_total');
SET TimeZone = 'America/New_York';
INSERT INTO billing.payment_requests (id, amount, approved_at) VALUES
    (1, 1000, '2020-06-30 21:00'),     -- 2020-07-01 01:00 UTC: after the waiver
    (2, 1000, '2020-06-30 19:00'),     -- 2020-06-30 23:00 UTC: waived
    (3, 1000, NULL);
RESET TimeZone;
SELECT id, "Expert Fee", payout, buyer_fee, buyer_total FROM billing.payment_requests ORDER BY id;
-- run again with other figures: replaced, not added
SELECT iq_price_requests('billing.payment_requests', 'amount', 'approved_at',
                         payout_column => 'payout', buyer_fee_column => 'buyer_fee');
UPDATE billing.payment_requests SET amount = amount;
SELECT id, "Expert Fee", payout, buyer_fee, buyer_total FROM billing.payment_requests ORDER BY id;
SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger
 WHERE tgrelid = 'billing.payment_requests'::regclass;
-- nothing to fill: 22023; a missing column 42703; a wrong type 42804;
-- a column named twice 22023; NULL 22004
SELECT iq_price_requests('billing.payment_requests', 'amount', 'approved_at');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_price_requests('billing.payment_requests', 'amount', 'approved', payout_column => 'payout');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_price_requests('billing.payment_requests', 'amount', 'note', payout_column => 'payout');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_price_requests('billing.payment_requests', 'amount', 'approved_at',
                         payout_column => 'payout', buyer_fee_column => 'payout');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_price_requests('billing.payment_requests', NULL, 'approved_at', payout_column => 'payout');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER iq_price_requests ON billing.payment_requests;

-- the named form by hand: any order; a role given twice, or one that does
-- not exist, is 39P01
CREATE TRIGGER by_hand BEFORE INSERT ON billing.payment_requests FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger('payout_column=payout', 'amount_column=amount',
                                      'approved_on_column=approved_at');
INSERT INTO billing.payment_requests (id, amount, approved_at) VALUES (4, 100, '2024-01-01');
SELECT id, payout FROM billing.payment_requests WHERE id = 4;
CREATE OR REPLACE TRIGGER by_hand BEFORE INSERT ON billing.payment_requests FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger('payout_column=payout', 'amount_column=amount',
                                      'approved_on_column=approved_at', 'payout_column=buyer_total');
INSERT INTO billing.payment_requests (id, amount, approved_at) VALUES (5, 100, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
CREATE OR REPLACE TRIGGER by_hand BEFORE INSERT ON billing.payment_requests FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger('payout_column=payout', 'amount_column=amount',
                                      'approved_on_column=approved_at', 'fee_column=buyer_fee');
INSERT INTO billing.payment_requests (id, amount, approved_at) VALUES (5, 100, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
CREATE OR REPLACE TRIGGER by_hand BEFORE INSERT ON billing.payment_requests FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger('payout_column=payout', 'approved_on_column=approved_at');
INSERT INTO billing.payment_requests (id, amount, approved_at) VALUES (5, 100, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER by_hand ON billing.payment_requests;

-- date columns of every kind: date, timestamp (its calendar day) and
-- timestamptz (its UTC day), never the session's TimeZone
CREATE TABLE billing.dated (
    id          int,
    amount      numeric(14,2),
    on_date     date,
    at_local    timestamp,
    at_instant  timestamptz,
    payout_date numeric(14,2),
    payout_ts   numeric(14,2),
    payout_tstz numeric(14,2)
);
CREATE TRIGGER by_date BEFORE INSERT ON billing.dated FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger('amount_column=amount', 'approved_on_column=on_date',
                                      'payout_column=payout_date');
CREATE TRIGGER by_timestamp BEFORE INSERT ON billing.dated FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger('amount_column=amount', 'approved_on_column=at_local',
                                      'payout_column=payout_ts');
CREATE TRIGGER by_timestamptz BEFORE INSERT ON billing.dated FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger('amount_column=amount', 'approved_on_column=at_instant',
                                      'payout_column=payout_tstz');
SET TimeZone = 'Asia/Tokyo';
INSERT INTO billing.dated (id, amount, on_date, at_local, at_instant) VALUES
    (1, 1000, '2020-06-30', '2020-06-30 23:59:59', '2020-06-30 23:59:59+00'),
    (2, 1000, '2020-07-01', '2020-07-01 00:00:00', '2020-07-01 08:59:59+09'),
    (3, 1000, '2020-04-15', '2020-04-15 23:59:59.999999', '2020-04-16 00:00:00+00'),
    (4, 1000, '-infinity', '-infinity', '-infinity'),
    (5, 1000, 'infinity', 'infinity', 'infinity');
RESET TimeZone;
SELECT id, payout_date, payout_ts, payout_tstz FROM billing.dated ORDER BY id;

DROP SCHEMA billing CASCADE;
