-- test/bench.sql: the data, the peers and the timing procedure of test/bench.
-- psql variables: scale (1 = the sizes in the README) and large (1: also
-- the 10-million-row table).  test/bench then runs CALL bench_run(name,
-- runs) for each comparison and reads the view bench_summary.
\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
SET datestyle = 'ISO, YMD';

CREATE EXTENSION iqfees;

SELECT greatest(1, round(2000000 * :scale))::int AS requests,
       greatest(1, round(10000000 * :scale))::int AS large_requests,
       greatest(1, round(500000 * :scale))::int AS inserted_requests,
       greatest(1, round(100000 * :scale))::int AS plans,
       greatest(1, round(50000 * :scale))::int AS constrained_offers
\gset

--
-- Data.  Repeatable (setseed); amounts of every size from cents to a million, approval
-- dates over 2019-2024 (the 2020 waiver is about 4% of them).
--
SELECT setseed(0.2026) \g /dev/null

CREATE TABLE payment_request (
    id          bigint PRIMARY KEY,
    amount      numeric(12,2) NOT NULL,
    approved_on date NOT NULL
);
INSERT INTO payment_request
SELECT i, round((random() * 10 ^ (random() * 6))::numeric, 2),
       date '2019-01-01' + (random() * 2000)::int
  FROM generate_series(1, :requests) AS i;

CREATE TABLE payment_request_large (LIKE payment_request);
INSERT INTO payment_request_large
SELECT i, round((random() * 10 ^ (random() * 6))::numeric, 2),
       date '2019-01-01' + (random() * 2000)::int
  FROM generate_series(1, CASE WHEN :large = 1 THEN :large_requests ELSE 0 END) AS i;

-- the rows the INSERT comparisons copy, and their three target tables
CREATE TABLE request_source AS
SELECT * FROM payment_request WHERE id <= :inserted_requests;

CREATE TABLE priced_by_trigger (
    id            bigint,
    amount        numeric(12,2),
    approved_on   date,
    expert_fee    numeric(12,2),
    expert_payout numeric(12,2),
    buyer_total   numeric(12,2)
);
CREATE TABLE priced_by_select (LIKE priced_by_trigger);
CREATE TABLE priced_by_plpgsql (LIKE priced_by_trigger);

CREATE TRIGGER price BEFORE INSERT OR UPDATE ON priced_by_trigger
    FOR EACH ROW EXECUTE FUNCTION iq_price_trigger(
        amount, approved_on, expert_fee, expert_payout, buyer_total);

-- offers to expand into installments: 1 to 24 monthly payments
CREATE TABLE plan_offer (
    id                 int PRIMARY KEY,
    contract_total     numeric(14,2) NOT NULL,
    payments           int NOT NULL,
    first_invoice_date date NOT NULL
);
INSERT INTO plan_offer
SELECT i, round((100 + random() * 999900)::numeric, 2), 1 + (random() * 23)::int,
       date '2024-01-01' + (random() * 365)::int
  FROM generate_series(1, :plans) AS i;

-- the same offers as array-shaped plans; one in four breaks a rule
CREATE TABLE plan_array (
    id             int PRIMARY KEY,
    contract_total numeric(14,2) NOT NULL,
    contract_term  daterange NOT NULL,
    accepted_on    date,
    invoice_dates  date[] NOT NULL,
    amounts        numeric(14,2)[] NOT NULL
);
INSERT INTO plan_array
SELECT o.id, o.contract_total,
       daterange(o.first_invoice_date, (o.first_invoice_date + interval '2 years')::date),
       CASE WHEN o.id % 3 = 0 THEN NULL ELSE o.first_invoice_date + 5 END,
       array_agg(p.invoice_date ORDER BY p.installment),
       array_agg(p.amount ORDER BY p.installment)
  FROM plan_offer o,
       iq_installment_plan(o.contract_total, o.payments, o.first_invoice_date) AS p
 GROUP BY o.id;
UPDATE plan_array SET amounts[1] = amounts[1] + 0.01 WHERE id % 20 = 1;
UPDATE plan_array SET amounts[1] = amounts[1] + 0.005 WHERE id % 20 = 2;
UPDATE plan_array SET amounts[1] = -amounts[1] WHERE id % 20 = 3;
UPDATE plan_array SET invoice_dates[cardinality(invoice_dates)] = upper(contract_term) + 7
 WHERE id % 20 = 4;
UPDATE plan_array SET accepted_on = invoice_dates[cardinality(invoice_dates)]
 WHERE id % 20 = 5;

-- the same offers with whole totals, as plans of whole amounts: valid in
-- yen, dinars and dollars alike, so the currencies can be compared
CREATE TABLE plan_array_whole AS
SELECT o.id, round(o.contract_total) AS contract_total,
       daterange(o.first_invoice_date, (o.first_invoice_date + interval '2 years')::date) AS contract_term,
       array_agg(p.invoice_date ORDER BY p.installment) AS invoice_dates,
       array_agg(p.amount ORDER BY p.installment) AS amounts
  FROM plan_offer o,
       iq_installment_plan(round(o.contract_total), o.payments, o.first_invoice_date,
                           currency => 'JPY') AS p
 GROUP BY o.id;

-- 12-installment offers for the constraint trigger, and two pairs of
-- tables to insert them into: with the trigger and without
CREATE TABLE offer_source AS
SELECT id, contract_total, daterange(first_invoice_date, first_invoice_date + 400) AS contract_term,
       first_invoice_date AS accepted_on
  FROM plan_offer WHERE id <= :constrained_offers;
CREATE TABLE installment_source AS
SELECT o.id AS offer_id, p.invoice_date, p.amount
  FROM offer_source o,
       iq_installment_plan(o.contract_total, 12, lower(o.contract_term)) AS p;

CREATE TABLE offer_checked (
    id             int PRIMARY KEY,
    contract_total numeric(14,2) NOT NULL,
    contract_term  daterange NOT NULL,
    accepted_on    date
);
CREATE TABLE installment_checked (
    offer_id     int NOT NULL,
    invoice_date date NOT NULL,
    amount       numeric(14,2) NOT NULL,
    PRIMARY KEY (offer_id, invoice_date)
);
CREATE TABLE offer_unchecked (LIKE offer_checked INCLUDING ALL);
CREATE TABLE installment_unchecked (LIKE installment_checked INCLUDING ALL);

CREATE CONSTRAINT TRIGGER installment_plan
    AFTER INSERT OR UPDATE OR DELETE ON installment_checked
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        installment_checked, offer_id, invoice_date, amount,
        offer_checked, id, contract_total, contract_term, accepted_on);
CREATE CONSTRAINT TRIGGER installment_plan
    AFTER INSERT OR UPDATE ON offer_checked
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        installment_checked, offer_id, invoice_date, amount,
        offer_checked, id, contract_total, contract_term, accepted_on);

-- the same rules attached by iq_enforce_installment_plans (a WHEN clause
-- queues one check per offer and statement), on a daterange term and on a
-- two-column term with a timestamptz acceptance; freeze => false, since
-- these offers are accepted before their installments are inserted
CREATE TABLE offer_setup (LIKE offer_checked INCLUDING ALL);
CREATE TABLE installment_setup (LIKE installment_checked INCLUDING ALL);
SELECT iq_enforce_installment_plans('installment_setup', 'offer_id', 'invoice_date', 'amount',
    'offer_setup', 'id', 'contract_total', 'contract_term',
    acceptance_column => 'accepted_on', freeze => false) \g /dev/null

CREATE TABLE offer_split_source AS
SELECT id, contract_total, lower(contract_term) AS term_start, upper(contract_term) - 1 AS term_end,
       (accepted_on + time '13:00') AT TIME ZONE 'UTC' AS accepted_at
  FROM offer_source;
CREATE TABLE offer_split (
    id             int PRIMARY KEY,
    contract_total numeric(14,2) NOT NULL,
    term_start     date NOT NULL,
    term_end       date NOT NULL,
    accepted_at    timestamptz
);
CREATE TABLE offer_split_unchecked (LIKE offer_split INCLUDING ALL);
CREATE TABLE installment_split (LIKE installment_checked INCLUDING ALL);
CREATE TABLE installment_split_unchecked (LIKE installment_checked INCLUDING ALL);
SELECT iq_enforce_installment_plans('installment_split', 'offer_id', 'invoice_date', 'amount',
    'offer_split', 'id', 'contract_total', term_start_column => 'term_start',
    term_end_column => 'term_end', acceptance_column => 'accepted_at', freeze => false) \g /dev/null

-- the pricing trigger attached by iq_price_requests, filling four columns
-- from a timestamptz approval
CREATE TABLE request_at_source AS
SELECT id, amount, (approved_on + time '12:00') AT TIME ZONE 'UTC' AS approved_at FROM request_source;
CREATE TABLE priced_at_trigger (
    id          bigint,
    amount      numeric(12,2),
    approved_at timestamptz,
    expert_fee  numeric(12,2),
    payout      numeric(12,2),
    buyer_fee   numeric(12,2),
    buyer_total numeric(12,2)
);
CREATE TABLE priced_at_select (LIKE priced_at_trigger);
SELECT iq_price_requests('priced_at_trigger', 'amount', 'approved_at', 'expert_fee', 'payout',
                         'buyer_fee', 'buyer_total') \g /dev/null

VACUUM (FREEZE, ANALYZE);

-- Statistics of the filled offer and installment tables, as autovacuum
-- (off here) would gather them: the constraint trigger's queries are
-- planned with them.  The rows go again before the timings.
SET session_replication_role = replica;
INSERT INTO offer_checked SELECT * FROM offer_source;
INSERT INTO installment_checked SELECT * FROM installment_source;
INSERT INTO offer_unchecked SELECT * FROM offer_source;
INSERT INTO installment_unchecked SELECT * FROM installment_source;
INSERT INTO offer_setup SELECT * FROM offer_source;
INSERT INTO installment_setup SELECT * FROM installment_source;
INSERT INTO offer_split SELECT * FROM offer_split_source;
INSERT INTO installment_split SELECT * FROM installment_source;
INSERT INTO offer_split_unchecked SELECT * FROM offer_split_source;
INSERT INTO installment_split_unchecked SELECT * FROM installment_source;
ANALYZE offer_checked, installment_checked, offer_unchecked, installment_unchecked,
        offer_setup, installment_setup, offer_split, installment_split,
        offer_split_unchecked, installment_split_unchecked;
TRUNCATE offer_checked, installment_checked, offer_unchecked, installment_unchecked,
         offer_setup, installment_setup, offer_split, installment_split,
         offer_split_unchecked, installment_split_unchecked;
RESET session_replication_role;
CHECKPOINT;

--
-- The peers: what a competent user writes without iqfees.
--

-- pricing with the rate looked up in the fee schedule table
CREATE FUNCTION plpgsql_payout(amount numeric, approved_on date)
RETURNS numeric
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    rate numeric;
BEGIN
    SELECT s.expert_fee_rate INTO STRICT rate
      FROM iq_fee_schedule s WHERE s.effective @> approved_on;
    RETURN amount - round(amount * rate, 2);
END
$$;

-- the pricing trigger
CREATE FUNCTION plpgsql_price_trigger()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    expert_rate numeric;
    buyer_rate  numeric;
BEGIN
    IF NEW.amount IS NULL OR NEW.approved_on IS NULL THEN
        NEW.expert_fee := NULL;
        NEW.expert_payout := NULL;
        NEW.buyer_total := NULL;
        RETURN NEW;
    END IF;
    SELECT s.expert_fee_rate, s.buyer_fee_rate INTO STRICT expert_rate, buyer_rate
      FROM iq_fee_schedule s WHERE s.effective @> NEW.approved_on;
    NEW.expert_fee := round(NEW.amount * expert_rate, 2);
    NEW.expert_payout := NEW.amount - NEW.expert_fee;
    NEW.buyer_total := NEW.amount + round(NEW.amount * buyer_rate, 2);
    RETURN NEW;
END
$$;

CREATE TRIGGER price BEFORE INSERT OR UPDATE ON priced_by_plpgsql
    FOR EACH ROW EXECUTE FUNCTION plpgsql_price_trigger();

-- the plan rules of iq_installment_plan_violations, same order and messages
CREATE FUNCTION plpgsql_plan_violations(invoice_dates date[], amounts numeric[],
                                        contract_total numeric, contract_term daterange,
                                        acceptance_date date DEFAULT NULL)
RETURNS SETOF iq_plan_violation
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    ndates    int := coalesce(cardinality(invoice_dates), 0);
    namounts  int := coalesce(cardinality(amounts), 0);
    dlow      int := coalesce(array_lower(invoice_dates, 1), 1);
    alow      int := coalesce(array_lower(amounts, 1), 1);
    reference date := coalesce(acceptance_date, lower(contract_term));
    last_day  date := upper(contract_term) - 1;
    total     numeric := 0.00;
    backdated int[] := '{}';
    d         date;
    a         numeric;
    earlier   int;
BEGIN
    IF invoice_dates IS NULL OR amounts IS NULL OR contract_total IS NULL
       OR contract_term IS NULL THEN
        RETURN;
    END IF;
    IF ndates < 1 THEN
        RETURN NEXT ('payment_count', NULL,
                     'the plan has no invoice dates; at least 1 is required')::iq_plan_violation;
    ELSIF ndates > 60 THEN
        RETURN NEXT ('payment_count', NULL,
                     format('the plan has %s invoice dates; at most 60 are allowed', ndates))::iq_plan_violation;
    END IF;
    IF ndates <> namounts THEN
        RETURN NEXT ('length_mismatch', NULL,
                     format('there %s %s invoice date%s but %s amount%s',
                            CASE WHEN ndates = 1 THEN 'is' ELSE 'are' END, ndates,
                            CASE WHEN ndates = 1 THEN '' ELSE 's' END,
                            namounts, CASE WHEN namounts = 1 THEN '' ELSE 's' END))::iq_plan_violation;
    END IF;

    FOR i IN 1 .. greatest(ndates, namounts) LOOP
        d := invoice_dates[dlow + i - 1];
        a := amounts[alow + i - 1];
        IF (i <= ndates AND d IS NULL) OR (i <= namounts AND a IS NULL) THEN
            RETURN NEXT ('null_value', i,
                         format('installment %s has %s', i,
                                CASE WHEN i <= ndates AND d IS NULL AND i <= namounts AND a IS NULL
                                     THEN 'no invoice date and no amount'
                                     WHEN i <= ndates AND d IS NULL THEN 'no invoice date'
                                     ELSE 'no amount' END))::iq_plan_violation;
        END IF;
        IF a < 0 THEN
            RETURN NEXT ('negative_amount', i,
                         format('installment %s amount %s is negative', i, a))::iq_plan_violation;
        END IF;
        IF a <> round(a, 2) THEN
            RETURN NEXT ('amount_precision', i,
                         format('installment %s amount %s has more than two decimal places', i, a))::iq_plan_violation;
        END IF;
        total := total + coalesce(a, 0);
        CONTINUE WHEN d IS NULL;
        earlier := array_position(invoice_dates, d) - dlow + 1;
        IF earlier < i THEN
            RETURN NEXT ('duplicate_invoice_date', i,
                         format('installment %s invoice date %s repeats installment %s',
                                i, d, earlier))::iq_plan_violation;
        END IF;
        IF d > last_day THEN
            RETURN NEXT ('after_contract_end', i,
                         format('installment %s invoice date %s is after the contract term, which ends %s',
                                i, d, last_day))::iq_plan_violation;
        END IF;
        IF d < reference THEN
            backdated := backdated || i;
        END IF;
    END LOOP;

    IF total <> contract_total THEN
        RETURN NEXT ('total_mismatch', NULL,
                     format('the amounts add up to %s, not the contract total %s',
                            total, round(contract_total, 2)))::iq_plan_violation;
    END IF;
    IF cardinality(backdated) > 1 THEN
        RETURN NEXT ('backdated_invoices', NULL,
                     format('%s invoice dates (installments %s) are before %s %s; at most 1 may be',
                            cardinality(backdated), array_to_string(backdated, ', '),
                            CASE WHEN acceptance_date IS NULL THEN 'the contract start'
                                 ELSE 'the acceptance date' END,
                            reference))::iq_plan_violation;
    END IF;
END
$$;

--
-- The comparisons.  Each query returns one text value: a checksum that the
-- two sides of a comparison must agree on (when same_result), or, for an
-- INSERT, nothing, and then check_* gives the checksum.
--
CREATE TABLE bench_comparison (
    ord          int PRIMARY KEY,
    name         text UNIQUE NOT NULL,
    description  text NOT NULL,
    iq_label     text NOT NULL,
    iq_sql       text NOT NULL,
    peer_label   text NOT NULL,
    peer_sql     text NOT NULL,
    target       float8,          -- time of iqfees / time of peer, at most
    same_result  bool NOT NULL,
    reset_sql    text,            -- untimed, before each run of either side
    iq_check     text,
    peer_check   text,
    iq_setup     text NOT NULL DEFAULT 'SET max_parallel_workers_per_gather = 0',
    peer_setup   text NOT NULL DEFAULT 'SET max_parallel_workers_per_gather = 0',
    large        bool NOT NULL DEFAULT false
);

INSERT INTO bench_comparison (ord, name, description, iq_label, iq_sql, peer_label, peer_sql,
                              target, same_result)
VALUES
(1, 'payout_vs_sql',
 format('`sum(iq_payout(amount, approved_on))` over %s payment requests', :requests),
 'iq_payout',
 $q$SELECT sum(iq_payout(amount, approved_on))::text FROM payment_request$q$,
 'hand-written SQL',
 $q$SELECT sum(amount - CASE WHEN approved_on BETWEEN '2020-04-16' AND '2020-06-30'
                            THEN 0 ELSE round(amount * 0.15, 2) END)::text
      FROM payment_request$q$,
 0.5, true),
(2, 'buyer_total_vs_sql',
 format('`sum(iq_buyer_total(amount, approved_on))` over %s payment requests', :requests),
 'iq_buyer_total',
 $q$SELECT sum(iq_buyer_total(amount, approved_on))::text FROM payment_request$q$,
 'hand-written SQL',
 $q$SELECT sum(amount + CASE WHEN approved_on BETWEEN '2020-04-16' AND '2020-06-30'
                            THEN 0 ELSE round(amount * 0.03, 2) END)::text
      FROM payment_request$q$,
 0.5, true),
(3, 'payout_vs_plpgsql',
 format('`sum(iq_payout(amount, approved_on))` over %s payment requests', :requests),
 'iq_payout',
 $q$SELECT sum(iq_payout(amount, approved_on))::text FROM payment_request$q$,
 'PL/pgSQL function reading the fee schedule',
 $q$SELECT sum(plpgsql_payout(amount, approved_on))::text FROM payment_request$q$,
 0.04, true),
(4, 'payout_vs_scan',
 format('`sum(iq_payout(amount, approved_on))` over %s payment requests', :requests),
 'iq_payout',
 $q$SELECT sum(iq_payout(amount, approved_on))::text FROM payment_request$q$,
 'bare `sum(amount)` scan (the floor)',
 $q$SELECT sum(amount)::text FROM payment_request$q$,
 1.6, false),
(5, 'plan_vs_sql',
 format('expanding %s offers of 1 to 24 monthly payments', :plans),
 'iq_installment_plan',
 $q$SELECT concat_ws(' ', count(*), sum(p.installment), sum(p.invoice_date - date '2000-01-01'),
                     sum(p.amount), max(p.amount))
      FROM plan_offer o,
           iq_installment_plan(o.contract_total, o.payments, o.first_invoice_date) AS p$q$,
 '`generate_series` and integer cents in SQL',
 $q$SELECT concat_ws(' ', count(*), sum(p.installment), sum(p.invoice_date - date '2000-01-01'),
                     sum(p.amount), max(p.amount))
      FROM plan_offer o
           CROSS JOIN LATERAL (SELECT (o.contract_total * 100)::bigint AS cents) AS t
           CROSS JOIN LATERAL (
               SELECT k AS installment,
                      (o.first_invoice_date + (k - 1) * interval '1 month')::date AS invoice_date,
                      (t.cents / o.payments
                       + CASE WHEN k <= t.cents % o.payments THEN 1 ELSE 0 END) * 0.01 AS amount
                 FROM generate_series(1, o.payments) AS k) AS p$q$,
 0.6, true),
(6, 'violations_vs_plpgsql',
 format('`iq_installment_plan_violations` over %s array-shaped plans', :plans),
 'iq_installment_plan_violations',
 $q$SELECT concat_ws(' ', count(*), sum(v.installment), sum(hashtext(v.rule || v.message)))
      FROM plan_array a,
           iq_installment_plan_violations(a.invoice_dates, a.amounts, a.contract_total,
                                          a.contract_term, a.accepted_on) AS v$q$,
 'PL/pgSQL implementation of the rules',
 $q$SELECT concat_ws(' ', count(*), sum(v.installment), sum(hashtext(v.rule || v.message)))
      FROM plan_array a,
           plpgsql_plan_violations(a.invoice_dates, a.amounts, a.contract_total,
                                   a.contract_term, a.accepted_on) AS v$q$,
 0.1, true);

INSERT INTO bench_comparison (ord, name, description, iq_label, iq_sql, peer_label, peer_sql,
                              target, same_result, reset_sql, iq_check, peer_check)
VALUES
(7, 'trigger_vs_select',
 format('inserting %s payment requests, priced on the way in', :inserted_requests),
 '`iq_price_trigger`',
 $q$INSERT INTO priced_by_trigger (id, amount, approved_on)
    SELECT id, amount, approved_on FROM request_source$q$,
 'prices computed in the INSERT''s SELECT list',
 $q$INSERT INTO priced_by_select
    SELECT id, amount, approved_on, iq_expert_fee(amount, approved_on),
           iq_payout(amount, approved_on), iq_buyer_total(amount, approved_on)
      FROM request_source$q$,
 1.3, true,
 'TRUNCATE priced_by_trigger, priced_by_select',
 $q$SELECT concat_ws(' ', count(*), sum(expert_fee), sum(expert_payout), sum(buyer_total))
      FROM priced_by_trigger$q$,
 $q$SELECT concat_ws(' ', count(*), sum(expert_fee), sum(expert_payout), sum(buyer_total))
      FROM priced_by_select$q$),
(8, 'trigger_vs_plpgsql_trigger',
 format('inserting %s payment requests, priced on the way in', :inserted_requests),
 '`iq_price_trigger`',
 $q$INSERT INTO priced_by_trigger (id, amount, approved_on)
    SELECT id, amount, approved_on FROM request_source$q$,
 'PL/pgSQL trigger reading the fee schedule',
 $q$INSERT INTO priced_by_plpgsql (id, amount, approved_on)
    SELECT id, amount, approved_on FROM request_source$q$,
 0.5, true,
 'TRUNCATE priced_by_trigger, priced_by_plpgsql',
 $q$SELECT concat_ws(' ', count(*), sum(expert_fee), sum(expert_payout), sum(buyer_total))
      FROM priced_by_trigger$q$,
 $q$SELECT concat_ws(' ', count(*), sum(expert_fee), sum(expert_payout), sum(buyer_total))
      FROM priced_by_plpgsql$q$),
(9, 'constraint_vs_none',
 format('inserting %s offers of 12 installments, and committing', :constrained_offers),
 '`iq_installment_constraint` (deferred)',
 $q$WITH o AS (INSERT INTO offer_checked SELECT * FROM offer_source)
    INSERT INTO installment_checked SELECT * FROM installment_source$q$,
 'the same tables without the trigger',
 $q$WITH o AS (INSERT INTO offer_unchecked SELECT * FROM offer_source)
    INSERT INTO installment_unchecked SELECT * FROM installment_source$q$,
 1.6, true,
 'TRUNCATE offer_checked, installment_checked, offer_unchecked, installment_unchecked',
 $q$SELECT concat_ws(' ', count(*), sum(amount)) FROM installment_checked$q$,
 $q$SELECT concat_ws(' ', count(*), sum(amount)) FROM installment_unchecked$q$),
(11, 'constraint_setup_vs_none',
 format('inserting %s offers of 12 installments, and committing', :constrained_offers),
 '`iq_enforce_installment_plans` (deferred, one check per offer)',
 $q$WITH o AS (INSERT INTO offer_setup SELECT * FROM offer_source)
    INSERT INTO installment_setup SELECT * FROM installment_source$q$,
 'the same tables without the triggers',
 $q$WITH o AS (INSERT INTO offer_unchecked SELECT * FROM offer_source)
    INSERT INTO installment_unchecked SELECT * FROM installment_source$q$,
 1.3, true,
 'TRUNCATE offer_setup, installment_setup, offer_unchecked, installment_unchecked',
 $q$SELECT concat_ws(' ', count(*), sum(amount)) FROM installment_setup$q$,
 $q$SELECT concat_ws(' ', count(*), sum(amount)) FROM installment_unchecked$q$),
(12, 'constraint_split_term_vs_none',
 format('inserting %s offers of 12 installments, term in two date columns, acceptance a timestamptz',
        :constrained_offers),
 '`iq_enforce_installment_plans` (deferred, one check per offer)',
 $q$WITH o AS (INSERT INTO offer_split SELECT * FROM offer_split_source)
    INSERT INTO installment_split SELECT * FROM installment_source$q$,
 'the same tables without the triggers',
 $q$WITH o AS (INSERT INTO offer_split_unchecked SELECT * FROM offer_split_source)
    INSERT INTO installment_split_unchecked SELECT * FROM installment_source$q$,
 1.3, true,
 'TRUNCATE offer_split, installment_split, offer_split_unchecked, installment_split_unchecked',
 $q$SELECT concat_ws(' ', count(*), sum(amount)) FROM installment_split$q$,
 $q$SELECT concat_ws(' ', count(*), sum(amount)) FROM installment_split_unchecked$q$),
(13, 'price_requests_vs_select',
 format('inserting %s payment requests approved at a timestamptz, four figures filled', :inserted_requests),
 '`iq_price_requests` (named columns)',
 $q$INSERT INTO priced_at_trigger (id, amount, approved_at)
    SELECT id, amount, approved_at FROM request_at_source$q$,
 'prices computed in the INSERT''s SELECT list',
 $q$INSERT INTO priced_at_select
    SELECT id, amount, approved_at, iq_expert_fee(amount, d), iq_payout(amount, d),
           iq_buyer_fee(amount, d), iq_buyer_total(amount, d)
      FROM request_at_source, LATERAL (SELECT (approved_at AT TIME ZONE 'UTC')::date AS d) AS u$q$,
 1.3, true,
 'TRUNCATE priced_at_trigger, priced_at_select',
 $q$SELECT concat_ws(' ', count(*), sum(expert_fee), sum(payout), sum(buyer_fee), sum(buyer_total))
      FROM priced_at_trigger$q$,
 $q$SELECT concat_ws(' ', count(*), sum(expert_fee), sum(payout), sum(buyer_fee), sum(buyer_total))
      FROM priced_at_select$q$);

-- Plans in other currencies than the dollar: the minor unit changes, the
-- work does not.
INSERT INTO bench_comparison (ord, name, description, iq_label, iq_sql, peer_label, peer_sql,
                              target, same_result)
VALUES
(18, 'plan_jpy_vs_usd',
 format('expanding %s offers of 1 to 24 monthly payments, whole totals', :plans),
 'in yen (`currency => ''JPY''`)',
 $q$SELECT concat_ws(' ', count(*), sum(p.amount), max(p.amount))
      FROM plan_offer o,
           iq_installment_plan(round(o.contract_total), o.payments, o.first_invoice_date,
                               currency => 'JPY') AS p$q$,
 'in dollars',
 $q$SELECT concat_ws(' ', count(*), sum(p.amount), max(p.amount))
      FROM plan_offer o,
           iq_installment_plan(round(o.contract_total), o.payments, o.first_invoice_date) AS p$q$,
 1.05, false),
(19, 'plan_kwd_vs_usd',
 format('expanding %s offers of 1 to 24 monthly payments', :plans),
 'in dinars (`currency => ''KWD''`)',
 $q$SELECT concat_ws(' ', count(*), sum(p.amount), max(p.amount))
      FROM plan_offer o,
           iq_installment_plan(o.contract_total, o.payments, o.first_invoice_date,
                               currency => 'KWD') AS p$q$,
 'in dollars',
 $q$SELECT concat_ws(' ', count(*), sum(p.amount), max(p.amount))
      FROM plan_offer o,
           iq_installment_plan(o.contract_total, o.payments, o.first_invoice_date) AS p$q$,
 1.05, false),
(20, 'violations_jpy_vs_usd',
 format('`iq_installment_plan_violations` over %s plans of whole amounts', :plans),
 'in yen',
 $q$SELECT count(*) FROM plan_array_whole a,
           iq_installment_plan_violations(a.invoice_dates, a.amounts, a.contract_total,
                                          a.contract_term, NULL, 'JPY') AS v$q$,
 'in dollars',
 $q$SELECT count(*) FROM plan_array_whole a,
           iq_installment_plan_violations(a.invoice_dates, a.amounts, a.contract_total,
                                          a.contract_term, NULL, 'USD') AS v$q$,
 1.05, true),
(21, 'violations_kwd_vs_usd',
 format('`iq_installment_plan_violations` over %s plans of whole amounts', :plans),
 'in dinars',
 $q$SELECT count(*) FROM plan_array_whole a,
           iq_installment_plan_violations(a.invoice_dates, a.amounts, a.contract_total,
                                          a.contract_term, NULL, 'KWD') AS v$q$,
 'in dollars',
 $q$SELECT count(*) FROM plan_array_whole a,
           iq_installment_plan_violations(a.invoice_dates, a.amounts, a.contract_total,
                                          a.contract_term, NULL, 'USD') AS v$q$,
 1.05, true);

-- Every figure of many requests: the monthly report against the same
-- GROUP BY with sum(amount) alone, and the ways to get every figure of
-- each row.
INSERT INTO bench_comparison (ord, name, description, iq_label, iq_sql, peer_label, peer_sql,
                              target, same_result)
VALUES
(14, 'charge_sum_monthly_vs_sum',
 format('a monthly report of %s payment requests', :requests),
 '`iq_charge_sum` (count, amount, fees, payout, buyer total)',
 $q$SELECT string_agg(concat_ws(' ', m, t), ',' ORDER BY m)
      FROM (SELECT date_trunc('month', approved_on) AS m, iq_charge_sum(amount, approved_on) AS t
              FROM payment_request GROUP BY 1) AS r$q$,
 '`sum(amount)` alone',
 $q$SELECT string_agg(concat_ws(' ', m, t), ',' ORDER BY m)
      FROM (SELECT date_trunc('month', approved_on) AS m, sum(amount) AS t
              FROM payment_request GROUP BY 1) AS r$q$,
 1.2, false),
(15, 'charge_sum_vs_four_sums',
 format('every figure of %s payment requests summed', :requests),
 '`iq_charge_sum`',
 $q$SELECT concat_ws(' ', (t).expert_fee, (t).expert_payout, (t).buyer_fee, (t).buyer_total)
      FROM (SELECT iq_charge_sum(amount, approved_on) AS t FROM payment_request) AS s$q$,
 'four `sum(iq_...)` calls',
 $q$SELECT concat_ws(' ', sum(iq_expert_fee(amount, approved_on)), sum(iq_payout(amount, approved_on)),
                     sum(iq_buyer_fee(amount, approved_on)), sum(iq_buyer_total(amount, approved_on)))
      FROM payment_request$q$,
 1.0, true),
(16, 'charge_lateral_vs_four_calls',
 format('every figure of each of %s payment requests', :requests),
 '`FROM t, LATERAL iq_charge(amount, approved_on) c`',
 $q$SELECT concat_ws(' ', sum(c.expert_fee), sum(c.expert_payout), sum(c.buyer_fee), sum(c.buyer_total))
      FROM payment_request, LATERAL iq_charge(amount, approved_on) AS c$q$,
 'the four single-figure functions',
 $q$SELECT concat_ws(' ', sum(iq_expert_fee(amount, approved_on)), sum(iq_payout(amount, approved_on)),
                     sum(iq_buyer_fee(amount, approved_on)), sum(iq_buyer_total(amount, approved_on)))
      FROM payment_request$q$,
 NULL, true),
(17, 'charge_subquery_vs_four_calls',
 format('every figure of each of %s payment requests', :requests),
 '`iq_charge` once per row in a subquery (`OFFSET 0`)',
 $q$SELECT concat_ws(' ', sum((c).expert_fee), sum((c).expert_payout), sum((c).buyer_fee), sum((c).buyer_total))
      FROM (SELECT iq_charge(amount, approved_on) AS c FROM payment_request OFFSET 0) AS s$q$,
 'the four single-figure functions',
 $q$SELECT concat_ws(' ', sum(iq_expert_fee(amount, approved_on)), sum(iq_payout(amount, approved_on)),
                     sum(iq_buyer_fee(amount, approved_on)), sum(iq_buyer_total(amount, approved_on)))
      FROM payment_request$q$,
 NULL, true);

INSERT INTO bench_comparison (ord, name, description, iq_label, iq_sql, peer_label, peer_sql,
                              target, same_result, iq_setup, large)
VALUES
(10, 'payout_parallel',
 format('`sum(iq_payout(amount, approved_on))` over %s payment requests', :large_requests),
 '2 parallel workers',
 $q$SELECT sum(iq_payout(amount, approved_on))::text FROM payment_request_large$q$,
 'serial plan',
 $q$SELECT sum(iq_payout(amount, approved_on))::text FROM payment_request_large$q$,
 NULL, true, 'SET max_parallel_workers_per_gather = 2', true);

--
-- Timing.  One session; the two sides alternate (which goes first swaps
-- every run), run 0 is the warm-up.  A run is the statement and its COMMIT
-- (which fires deferred triggers); resetting the tables, and a checkpoint
-- that leaves no dirty buffers or WAL of the run before, are not timed.
--
CREATE TABLE bench_timing (
    name  text NOT NULL,
    run   int NOT NULL,
    side  text NOT NULL,
    ms    float8 NOT NULL,
    PRIMARY KEY (name, run, side)
);
CREATE TABLE bench_outcome (
    name   text NOT NULL,
    side   text NOT NULL,
    result text,
    PRIMARY KEY (name, side)
);

CREATE PROCEDURE bench_run(comparison text, runs int)
LANGUAGE plpgsql
AS $$
DECLARE
    c       bench_comparison;
    side    text;
    sql     text;
    started timestamptz;
    elapsed float8;
    result  text;
BEGIN
    SELECT * INTO STRICT c FROM bench_comparison WHERE name = comparison;
    FOR run IN 0 .. runs LOOP
        FOREACH side IN ARRAY CASE WHEN run % 2 = 0 THEN '{iqfees,peer}'::text[]
                                   ELSE '{peer,iqfees}'::text[] END
        LOOP
            IF c.reset_sql IS NOT NULL THEN
                EXECUTE c.reset_sql;
            END IF;
            EXECUTE CASE side WHEN 'iqfees' THEN c.iq_setup ELSE c.peer_setup END;
            COMMIT;
            CHECKPOINT;
            sql := CASE side WHEN 'iqfees' THEN c.iq_sql ELSE c.peer_sql END;

            started := clock_timestamp();
            IF c.reset_sql IS NULL THEN
                EXECUTE sql INTO result;
            ELSE
                EXECUTE sql;
            END IF;
            COMMIT;
            elapsed := extract(epoch FROM clock_timestamp() - started) * 1000;

            IF run = 0 THEN
                IF c.reset_sql IS NOT NULL THEN
                    EXECUTE CASE side WHEN 'iqfees' THEN c.iq_check ELSE c.peer_check END
                       INTO result;
                END IF;
                INSERT INTO bench_outcome VALUES (comparison, side, result);
            ELSE
                INSERT INTO bench_timing VALUES (comparison, run, side, elapsed);
            END IF;
        END LOOP;
    END LOOP;
    SET max_parallel_workers_per_gather = 0;
END
$$;

-- one line per comparison: medians, the median of the paired ratios
CREATE VIEW bench_summary AS
SELECT c.ord, c.name, c.description, c.iq_label, c.peer_label, c.target,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY i.ms) AS iq_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.ms) AS peer_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY i.ms / p.ms) AS ratio,
       count(*) AS runs,
       CASE WHEN NOT c.same_result THEN NULL
            ELSE (SELECT count(DISTINCT o.result) = 1 AND count(o.result) = 2
                    FROM bench_outcome o WHERE o.name = c.name) END AS agree
  FROM bench_comparison c
  JOIN bench_timing i ON i.name = c.name AND i.side = 'iqfees'
  JOIN bench_timing p ON p.name = c.name AND p.side = 'peer' AND p.run = i.run
 GROUP BY c.ord, c.name, c.description, c.iq_label, c.peer_label, c.target, c.same_result;
