#!/usr/bin/env bash
# Concurrency under load: pgbench clients (CONCURRENCY_CLIENTS, default 8)
# for CONCURRENCY_SECONDS (default 10) price payment requests through
# iq_price_trigger, add installments to a few shared offers guarded by
# iq_installment_constraint and iq_freeze_installments, and, on other
# offers, move amounts between installments, adjust a line with the total,
# and accept offers, all at once.  Then every committed row is checked:
# priced exactly, no offer above 60 installments or off its total, no
# accepted offer's schedule changed after its acceptance, no deadlock, and
# every refused transaction refused with the SQLSTATE its rule gives.
# Runs against the cluster in the environment (PGHOST, PGPORT, ...).
set -uo pipefail

clients=${CONCURRENCY_CLIENTS:-8}
seconds=${CONCURRENCY_SECONDS:-10}
db=iqfees_concurrency
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

. "$(dirname "$0")/../tap.sh"

dropdb --if-exists "$db" 2>/dev/null
createdb "$db" || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<'SQL' || exit 1
CREATE EXTENSION iqfees;
CREATE SCHEMA load;

CREATE TABLE load.payment_request (
    id          bigserial PRIMARY KEY,
    amount      numeric(14,2) NOT NULL,
    approved_on date,
    expert_fee  numeric(14,2),
    payout      numeric(14,2),
    buyer_total numeric(14,2)
);
CREATE TRIGGER price BEFORE INSERT OR UPDATE ON load.payment_request
    FOR EACH ROW EXECUTE FUNCTION
    iq_price_trigger(amount, approved_on, expert_fee, payout, buyer_total);

CREATE TABLE load.offer (
    id             int PRIMARY KEY,
    contract_total numeric(14,2) NOT NULL,
    contract_term  daterange NOT NULL,
    accepted_on    date
);
CREATE TABLE load.installment (
    offer_id     int NOT NULL REFERENCES load.offer,
    invoice_date date NOT NULL,
    amount       numeric(14,2) NOT NULL,
    PRIMARY KEY (offer_id, invoice_date)
);
CREATE CONSTRAINT TRIGGER installment_plan
    AFTER INSERT OR UPDATE OR DELETE ON load.installment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
CREATE CONSTRAINT TRIGGER installment_plan
    AFTER INSERT OR UPDATE ON load.offer
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(
        installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
CREATE TRIGGER installments_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON load.installment
    FOR EACH ROW EXECUTE FUNCTION
    iq_freeze_installments(offer_id, offer, id, accepted_on);
CREATE TRIGGER offer_frozen
    BEFORE UPDATE OR DELETE ON load.offer
    FOR EACH ROW EXECUTE FUNCTION
    iq_freeze_offer_schedule(accepted_on, contract_total, contract_term);

-- what each accepted offer's schedule was when its acceptance committed:
-- logged after iqfees' check of the offer, which holds the offer's lock
CREATE TABLE load.acceptance (offer int PRIMARY KEY, schedule text NOT NULL);
CREATE FUNCTION load.log_acceptance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.accepted_on IS NULL AND NEW.accepted_on IS NOT NULL THEN
        INSERT INTO load.acceptance
        SELECT NEW.id, string_agg(invoice_date || ' ' || amount, ',' ORDER BY invoice_date)
          FROM load.installment WHERE offer_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER zz_acceptance_log
    AFTER UPDATE ON load.offer
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION load.log_acceptance();

-- offers 1 to 4 are open, with one installment of the whole total and 54
-- of zero, so that the limit of 60 is reached early; offer 5 is accepted
BEGIN;
INSERT INTO load.offer SELECT o, 1000, '[2024-01-01,2034-01-01)', NULL
  FROM generate_series(1, 5) AS o;
INSERT INTO load.installment SELECT o, '2024-01-01', 1000 FROM generate_series(1, 5) AS o;
INSERT INTO load.installment
SELECT o, date '2024-01-01' + make_interval(months => m), 0
  FROM generate_series(1, 4) AS o, generate_series(1, 54) AS m;
COMMIT;
UPDATE load.offer SET accepted_on = '2024-01-01' WHERE id = 5;

-- offers 6 to 45: twelve monthly installments of 100.00, open until a
-- client accepts them
BEGIN;
INSERT INTO load.offer SELECT o, 1200, '[2024-01-01,2025-01-01)', NULL
  FROM generate_series(6, 45) AS o;
INSERT INTO load.installment
SELECT o, invoice_date, amount
  FROM generate_series(6, 45) AS o, iq_installment_plan(1200, 12, '2024-01-01');
COMMIT;

-- Each attempt logs its outcome; a refusal is caught inside the attempt
-- (with the deferred check made immediate) so that pgbench goes on.
CREATE TABLE load.outcome (kind text NOT NULL, sqlstate text NOT NULL);

CREATE FUNCTION load.request(amount numeric, approved_on date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO load.payment_request (amount, approved_on) VALUES (amount, approved_on);
    INSERT INTO load.outcome VALUES ('request', '00000');
EXCEPTION WHEN OTHERS THEN
    INSERT INTO load.outcome VALUES ('request', SQLSTATE);
END
$$;

-- a zero line keeps the total; the 61st line, a date already taken and
-- any line of the accepted offer are refused
CREATE FUNCTION load.add_installment(offer int, invoice_date date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO load.installment VALUES (offer, invoice_date, 0);
    SET CONSTRAINTS load.installment_plan IMMEDIATE;
    INSERT INTO load.outcome VALUES ('installment', '00000');
EXCEPTION WHEN OTHERS THEN
    INSERT INTO load.outcome VALUES ('installment', SQLSTATE);
END
$$;

-- move a cent from the first line to a new one, or break the total on
-- purpose (every fifth attempt)
CREATE FUNCTION load.adjust(offer int, invoice_date date, valid boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE load.installment SET amount = amount - 0.01
     WHERE offer_id = offer AND installment.invoice_date = '2024-01-01';
    INSERT INTO load.installment
    VALUES (offer, invoice_date, CASE WHEN valid THEN 0.01 ELSE 0.02 END);
    SET CONSTRAINTS load.installment_plan IMMEDIATE;
    INSERT INTO load.outcome VALUES ('adjust', '00000');
EXCEPTION WHEN OTHERS THEN
    INSERT INTO load.outcome VALUES ('adjust', SQLSTATE);
END
$$;

-- move a cent from one month to the next: two lines, in date order, as
-- an application that sorts its updates writes them
CREATE FUNCTION load.move(o int, month int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE load.installment SET amount = amount - 0.01
     WHERE offer_id = o AND invoice_date = date '2024-01-01' + make_interval(months => month);
    UPDATE load.installment SET amount = amount + 0.01
     WHERE offer_id = o AND invoice_date = date '2024-01-01' + make_interval(months => month + 1);
    SET CONSTRAINTS load.installment_plan IMMEDIATE;
    INSERT INTO load.outcome VALUES ('move', '00000');
EXCEPTION WHEN OTHERS THEN
    INSERT INTO load.outcome VALUES ('move', SQLSTATE);
END
$$;

-- adjust a line and the total due with it
CREATE FUNCTION load.adjust_total(o int, month int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE load.installment SET amount = amount + 0.01
     WHERE offer_id = o AND invoice_date = date '2024-01-01' + make_interval(months => month);
    UPDATE load.offer SET contract_total = contract_total + 0.01 WHERE id = o;
    SET CONSTRAINTS load.installment_plan IMMEDIATE;
    INSERT INTO load.outcome VALUES ('adjust_total', '00000');
EXCEPTION WHEN OTHERS THEN
    INSERT INTO load.outcome VALUES ('adjust_total', SQLSTATE);
END
$$;

-- accept an offer, one call in chance
CREATE FUNCTION load.accept(o int, chance int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF chance > 1 THEN
        INSERT INTO load.outcome VALUES ('accept not tried', '00000');
        RETURN;
    END IF;
    UPDATE load.offer SET accepted_on = '2024-01-01' WHERE id = o AND accepted_on IS NULL;
    SET CONSTRAINTS ALL IMMEDIATE;
    INSERT INTO load.outcome VALUES ('accept', '00000');
EXCEPTION WHEN OTHERS THEN
    INSERT INTO load.outcome VALUES ('accept', SQLSTATE);
END
$$;
SQL

cat >"$work/move.sql" <<'EOF'
\set offer random(6, 45)
\set month random(0, 10)
SELECT load.move(:offer, :month);
EOF
cat >"$work/adjust_total.sql" <<'EOF'
\set offer random(6, 45)
\set month random(0, 11)
SELECT load.adjust_total(:offer, :month);
EOF
cat >"$work/accept.sql" <<'EOF'
\set offer random(6, 45)
\set chance random(1, 1000)
SELECT load.accept(:offer, :chance);
EOF
cat >"$work/request.sql" <<'EOF'
\set cents random(-5000000, 100000000)
\set day random(0, 4000)
SELECT load.request(:cents / 100.0, date '2018-01-01' + :day);
EOF
cat >"$work/installment.sql" <<'EOF'
\set offer random(1, 5)
\set month random(1, 119)
SELECT load.add_installment(:offer, (date '2024-01-01' + make_interval(months => :month))::date);
EOF
cat >"$work/adjust.sql" <<'EOF'
\set offer random(1, 4)
\set day random(1, 3600)
\set valid random(0, 4)
SELECT load.adjust(:offer, date '2024-01-01' + :day, :valid > 0);
EOF

pgbench -n -c "$clients" -j 2 -T "$seconds" \
	-f "$work/request.sql@5" -f "$work/installment.sql@3" -f "$work/adjust.sql@1" \
	-f "$work/move.sql@4" -f "$work/adjust_total.sql@2" -f "$work/accept.sql@2" \
	"$db" >"$work/pgbench.log" 2>&1
status=$?
grep -E '^(number of (transactions actually processed|failed transactions)|tps|number of clients|duration)' "$work/pgbench.log"
check "pgbench ran $clients clients for $seconds s" 0 "$status"
check "no client aborted" 0 "$(grep -c 'aborted' "$work/pgbench.log")"

echo "outcomes by kind and SQLSTATE:"
q "$db" "SELECT kind || ' ' || sqlstate || ': ' || count(*) FROM load.outcome GROUP BY kind, sqlstate ORDER BY 1" | sed 's/^/  /'

check "every attempt is logged" "$(grep -oE 'transactions actually processed: [0-9]+' "$work/pgbench.log" | grep -oE '[0-9]+$')" \
	"$(q "$db" "SELECT count(*) FROM load.outcome")"
check "every committed request priced exactly" 0 \
	"$(q "$db" "SELECT count(*) FROM load.payment_request
	       WHERE expert_fee IS DISTINCT FROM
	             CASE WHEN approved_on BETWEEN '2020-04-16' AND '2020-06-30' THEN 0
	                  ELSE round(amount * 0.15, 2) END
	          OR payout IS DISTINCT FROM amount - expert_fee
	          OR buyer_total IS DISTINCT FROM amount +
	             CASE WHEN approved_on BETWEEN '2020-04-16' AND '2020-06-30' THEN 0
	                  ELSE round(amount * 0.03, 2) END")"
check "committed requests match the logged successes" \
	"$(q "$db" "SELECT count(*) FROM load.outcome WHERE kind = 'request' AND sqlstate = '00000'")" \
	"$(q "$db" "SELECT count(*) FROM load.payment_request")"
check "refused requests were negative amounts, refused with 22023" "22023" \
	"$(q "$db" "SELECT string_agg(DISTINCT sqlstate, ',') FROM load.outcome WHERE kind = 'request' AND sqlstate <> '00000'")"
check "no offer above 60 installments" 0 \
	"$(q "$db" "SELECT count(*) FROM (SELECT offer_id FROM load.installment GROUP BY offer_id HAVING count(*) > 60) AS o")"
check "every offer's installments add up to its total" 0 \
	"$(q "$db" "SELECT count(*) FROM load.offer o
	       WHERE contract_total <> (SELECT sum(amount) FROM load.installment i WHERE i.offer_id = o.id)")"
check "no transaction deadlocked (40P01) or failed to serialize (40001)" 0 \
	"$(q "$db" "SELECT count(*) FROM load.outcome WHERE sqlstate IN ('40P01', '40001')")"
check "offers were accepted while their schedules changed" t \
	"$(q "$db" "SELECT count(*) >= 3 FROM load.acceptance")"
check "no accepted offer's schedule changed after its acceptance" 0 \
	"$(q "$db" "SELECT count(*) FROM load.acceptance a
	       WHERE a.schedule IS DISTINCT FROM
	             (SELECT string_agg(invoice_date || ' ' || amount, ',' ORDER BY invoice_date)
	                FROM load.installment WHERE offer_id = a.offer)")"
check "schedule changes were refused once their offer was accepted (55000)" t \
	"$(q "$db" "SELECT count(*) > 0 FROM load.outcome WHERE kind IN ('move', 'adjust_total') AND sqlstate = '55000'")"
check "the accepted offer kept its one installment" 1 \
	"$(q "$db" "SELECT count(*) FROM load.installment WHERE offer_id = 5")"
check "refusals only with the rules' SQLSTATEs (23505, 23514, 55000)" none \
	"$(q "$db" "SELECT coalesce(string_agg(DISTINCT sqlstate, ','), 'none') FROM load.outcome
	       WHERE kind <> 'request' AND sqlstate NOT IN ('00000', '23505', '23514', '55000')")"
check "the 60-installment limit was reached under load" t \
	"$(q "$db" "SELECT bool_or(n = 60) FROM (SELECT count(*) AS n FROM load.installment WHERE offer_id <= 4 GROUP BY offer_id) AS c")"
check "some transactions were refused by the plan rules" t \
	"$(q "$db" "SELECT count(*) > 0 FROM load.outcome WHERE sqlstate = '23514'")"

dropdb "$db"
finish
