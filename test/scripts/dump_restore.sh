#!/usr/bin/env bash
# pg_dump and restore, in custom and plain format, keep the fee schedule
# and Form 1099-K threshold rows a user added or changed without
# duplicating the shipped rows, keep
# the user's priced rows and installment plans as they were, and every
# trigger and CHECK constraint still enforces its rules after.
# Runs against the cluster in the environment (PGHOST, PGPORT, ...).
set -uo pipefail

. "$(dirname "$0")/../tap.sh"

src=iqfees_dump_src
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dropdb --if-exists "$src" 2>/dev/null && createdb "$src" || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d "$src" <<'SQL' || exit 1
CREATE EXTENSION iqfees;
-- a new rate from 2030, a promotion inside a shipped row, an edited row
INSERT INTO iq_fee_schedule VALUES ('[2030-01-01,)', 0.20, 0.05, 'new rates from 2030');
INSERT INTO iq_fee_schedule VALUES ('[2010-01-01,2011-01-01)', 0.10, 0.01, 'promotion');
UPDATE iq_fee_schedule SET description = 'waiver, edited'
 WHERE effective = '[2020-04-16,2020-07-01)';
-- Form 1099-K: 2024 under the amended law, years before 2019, a row
-- inside the open-ended shipped row, an edited row
INSERT INTO iq_form_1099k_threshold VALUES ('[2024,2025)', 20000, 200, '2024 as amended');
INSERT INTO iq_form_1099k_threshold VALUES ('[2011,2019)', 20000, 200, 'from the first year');
INSERT INTO iq_form_1099k_threshold VALUES ('[2030,2031)', 600, NULL, 'a lower threshold');
UPDATE iq_form_1099k_threshold SET description = 'before 2022, edited'
 WHERE tax_years = '[2019,2022)';

CREATE SCHEMA billing;
CREATE TABLE billing.payment_request (
    id int PRIMARY KEY, amount numeric(14,2), approved_on date,
    fee numeric(14,2), payout numeric(14,2), buyer_total numeric(14,2));
CREATE TRIGGER price BEFORE INSERT OR UPDATE ON billing.payment_request
    FOR EACH ROW EXECUTE FUNCTION
    iq_price_trigger(amount, approved_on, fee, payout, buyer_total);
INSERT INTO billing.payment_request (id, amount, approved_on) VALUES
    (1, 1000, '2031-05-01'), (2, 1000, '2010-05-01'), (3, 1000, '2020-05-01'),
    (4, 1000, '2024-05-01'), (5, 1000, NULL);

-- installment plans: one row per installment with the constraint and
-- freeze triggers, and arrays on the offer row with the CHECK constraint
CREATE TABLE billing.offer (
    id int PRIMARY KEY, contract_total numeric(14,2) NOT NULL,
    contract_term daterange NOT NULL, accepted_on date);
CREATE TABLE billing.installment (
    offer_id int NOT NULL REFERENCES billing.offer, invoice_date date NOT NULL,
    amount numeric(14,2) NOT NULL, PRIMARY KEY (offer_id, invoice_date));
CREATE CONSTRAINT TRIGGER installment_plan
    AFTER INSERT OR UPDATE OR DELETE ON billing.installment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(installment, offer_id, invoice_date, amount,
        offer, id, contract_total, contract_term, accepted_on);
CREATE TRIGGER installments_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON billing.installment
    FOR EACH ROW EXECUTE FUNCTION iq_freeze_installments(offer_id, offer, id, accepted_on);
CREATE TABLE billing.array_offer (
    id int PRIMARY KEY, contract_total numeric(14,2), contract_term daterange,
    accepted_on date, invoice_dates date[], amounts numeric(14,2)[],
    CHECK (iq_installment_plan_check(invoice_dates, amounts, contract_total,
                                     contract_term, accepted_on)));
CREATE TRIGGER schedule_frozen BEFORE UPDATE OR DELETE ON billing.array_offer
    FOR EACH ROW EXECUTE FUNCTION iq_freeze_offer_schedule(accepted_on, invoice_dates, amounts);
BEGIN;
INSERT INTO billing.offer VALUES (1, 1200, '[2024-01-01,2025-01-01)', NULL),
                                 (2, 300, '[2024-01-01,2025-01-01)', NULL);
INSERT INTO billing.installment SELECT 1, invoice_date, amount
  FROM iq_installment_plan(1200, 12, '2024-01-15');
INSERT INTO billing.installment SELECT 2, invoice_date, amount
  FROM iq_installment_plan(300, 3, '2024-02-01');
COMMIT;
UPDATE billing.offer SET accepted_on = '2024-01-10' WHERE id = 1;
INSERT INTO billing.array_offer SELECT 1, 900, '[2024-01-01,2025-01-01)', '2024-01-01',
       array_agg(invoice_date ORDER BY installment), array_agg(amount ORDER BY installment)
  FROM iq_installment_plan(900, 3, '2024-01-01', '3 months');

-- the same made by the set-up functions: a two-column term, timestamptz
-- acceptance and approval
CREATE TABLE billing.private_offers (
    offer_id int PRIMARY KEY, accepted_at timestamptz,
    term_start date, term_end date, total_usd numeric(14,2));
CREATE TABLE billing.offer_payments (
    offer_id int REFERENCES billing.private_offers, seq int, due_date date,
    amount_usd numeric(14,2), PRIMARY KEY (offer_id, seq));
SELECT iq_enforce_installment_plans('billing.offer_payments', 'offer_id', 'due_date', 'amount_usd',
    'billing.private_offers', 'offer_id', 'total_usd',
    term_start_column => 'term_start', term_end_column => 'term_end',
    acceptance_column => 'accepted_at');
CREATE TABLE billing.payment_requests (
    id int PRIMARY KEY, amount numeric(14,2), approved_at timestamptz,
    payout numeric(14,2), buyer_fee numeric(14,2));
SELECT iq_price_requests('billing.payment_requests', 'amount', 'approved_at',
                         payout_column => 'payout', buyer_fee_column => 'buyer_fee');
BEGIN;
INSERT INTO billing.private_offers VALUES (1, NULL, '2024-01-01', '2024-12-31', 1200),
                                          (2, NULL, '2024-01-01', '2024-12-31', 300);
INSERT INTO billing.offer_payments SELECT 1, installment, invoice_date, amount
  FROM iq_installment_plan(1200, 12, '2024-01-15');
INSERT INTO billing.offer_payments SELECT 2, installment, invoice_date, amount
  FROM iq_installment_plan(300, 3, '2024-02-01');
COMMIT;
UPDATE billing.private_offers SET accepted_at = '2024-01-10 12:00+00' WHERE offer_id = 1;
INSERT INTO billing.payment_requests (id, amount, approved_at) VALUES
    (1, 1000, '2020-06-30 23:00+00'), (2, 1000, '2020-07-01 00:00+00');
SQL

schedule_sql="SELECT string_agg(concat_ws('|', effective, expert_fee_rate, buyer_fee_rate, description), ';' ORDER BY effective) FROM iq_fee_schedule"
requests_sql="SELECT string_agg(concat_ws('|', id, amount, approved_on, fee, payout, buyer_total), ';' ORDER BY id) FROM billing.payment_request"
plans_sql="SELECT (SELECT string_agg(concat_ws('|', id, contract_total, contract_term, accepted_on), ';' ORDER BY id) FROM billing.offer)
           || ' / ' || (SELECT string_agg(concat_ws('|', offer_id, invoice_date, amount), ';' ORDER BY offer_id, invoice_date) FROM billing.installment)
           || ' / ' || (SELECT string_agg(concat_ws('|', id, invoice_dates, amounts), ';' ORDER BY id) FROM billing.array_offer)"
setup_sql="SELECT string_agg(pg_get_triggerdef(oid), ';' ORDER BY tgrelid::regclass::text, tgname) FROM pg_trigger
           WHERE tgrelid IN ('billing.private_offers'::regclass, 'billing.offer_payments'::regclass,
                             'billing.payment_requests'::regclass) AND NOT tgisinternal"
setup_rows_sql="SELECT (SELECT string_agg(concat_ws('|', offer_id, accepted_at, term_start, term_end, total_usd), ';' ORDER BY offer_id) FROM billing.private_offers)
           || ' / ' || (SELECT string_agg(concat_ws('|', offer_id, seq, due_date, amount_usd), ';' ORDER BY offer_id, seq) FROM billing.offer_payments)
           || ' / ' || (SELECT string_agg(concat_ws('|', id, amount, approved_at, payout, buyer_fee), ';' ORDER BY id) FROM billing.payment_requests)"
setup=$(q "$src" "$setup_sql")
setup_rows=$(q "$src" "$setup_rows_sql")
check "source: the set-up functions made 7 triggers" 7 \
	"$(q "$src" "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'iq\_%' AND tgrelid::regclass::text LIKE 'billing.%'")"
thresholds_sql="SELECT string_agg(concat_ws('|', tax_years, gross_threshold, transaction_threshold, description), ';' ORDER BY tax_years) FROM iq_form_1099k_threshold"
form_1099k_sql="SELECT string_agg(iq_form_1099k_required(g, n, y)::text, ',' ORDER BY y, g, n)
                  FROM generate_series(2011, 2032) AS y, unnest('{5000.01,20000.00,20000.01}'::numeric[]) AS g,
                       unnest('{0,200,201}'::bigint[]) AS n"
schedule=$(q "$src" "$schedule_sql")
thresholds=$(q "$src" "$thresholds_sql")
form_1099k=$(q "$src" "$form_1099k_sql")
check "source thresholds have the user's rows" 7 "$(q "$src" "SELECT count(*) FROM iq_form_1099k_threshold")"
requests=$(q "$src" "$requests_sql")
plans=$(q "$src" "$plans_sql")
check "source schedule has the user's rows" 6 "$(q "$src" "SELECT count(*) FROM iq_fee_schedule")"

pg_dump -Fc -f "$work/db.dump" "$src" || exit 1
for format in custom plain; do
	dst=iqfees_dump_$format
	dropdb --if-exists "$dst" 2>/dev/null && createdb "$dst" || exit 1
	if [ "$format" = custom ]; then
		pg_restore --exit-on-error -d "$dst" "$work/db.dump"
	else
		pg_dump "$src" | psql -X -q -v ON_ERROR_STOP=1 -d "$dst" >/dev/null
	fi
	check "$format: restore succeeds" 0 "$?"
	check "$format: fee schedule restored exactly, no duplicates" "$schedule" "$(q "$dst" "$schedule_sql")"
	check "$format: priced rows restored as they were" "$requests" "$(q "$dst" "$requests_sql")"
	check "$format: Form 1099-K thresholds restored exactly, no duplicates" "$thresholds" "$(q "$dst" "$thresholds_sql")"
	check "$format: the restored thresholds decide every year as before" "$form_1099k" "$(q "$dst" "$form_1099k_sql")"
	check "$format: the user's rows decide 2024, 2015 and 2030" "f|t|t|f" \
		"$(q "$dst" "SELECT concat_ws('|', iq_form_1099k_required(5000.01, 1, 2024), iq_form_1099k_required(20000.01, 201, 2015),
		                                   iq_form_1099k_required(600.01, 1, 2030), iq_form_1099k_required(600.01, 1, 2031))")"
	check "$format: the shipped thresholds are still recognised" 3 \
		"$(q "$dst" "SELECT count(*) FROM iq_form_1099k_threshold WHERE iq_form_1099k_threshold_is_shipped(tax_years, gross_threshold, transaction_threshold, description)")"
	check "$format: restored rates price new rows" "800.00|1050.00" \
		"$(q "$dst" "INSERT INTO billing.payment_request (id, amount, approved_on) VALUES (6, 1000, '2031-01-01') RETURNING payout || '|' || buyer_total")"
	check "$format: the trigger still refuses bad amounts" 22023 \
		"$(psql -X -At -d "$dst" -v VERBOSITY=sqlstate -c "INSERT INTO billing.payment_request (id, amount, approved_on) VALUES (7, -1, '2031-01-01')" 2>&1 | grep -oE "[0-9][0-9A-Z]{4}$")"
	check "$format: installment plans restored as they were" "$plans" "$(q "$dst" "$plans_sql")"
	check "$format: the constraint trigger still checks at commit" 23514 \
		"$(sqlstate "$dst" "INSERT INTO billing.installment VALUES (2, '2024-12-01', 1)")"
	check "$format: an accepted offer's schedule is still frozen" 55000 \
		"$(sqlstate "$dst" "DELETE FROM billing.installment WHERE offer_id = 1")"
	check "$format: the CHECK constraint still validates" 23514 \
		"$(sqlstate "$dst" "INSERT INTO billing.array_offer VALUES (2, 100, '[2024-01-01,2025-01-01)', NULL, '{2024-01-01}', '{99}')")"
	check "$format: an accepted array schedule is still frozen" 55000 \
		"$(sqlstate "$dst" "UPDATE billing.array_offer SET amounts = '{450,450,0}' WHERE id = 1")"
	check "$format: the set-up functions' triggers restored as they were" "$setup" "$(q "$dst" "$setup_sql")"
	check "$format: their tables restored as they were" "$setup_rows" "$(q "$dst" "$setup_rows_sql")"
	check "$format: the two-column term is still checked at commit" 23514 \
		"$(sqlstate "$dst" "INSERT INTO billing.offer_payments VALUES (2, 4, '2025-01-01', 0)")"
	check "$format: an offer accepted at a timestamptz is still frozen" 55000 \
		"$(sqlstate "$dst" "UPDATE billing.offer_payments SET amount_usd = 0 WHERE offer_id = 1 AND seq = 1")"
	check "$format: iq_price_requests' trigger still prices by the UTC day" "1000.00|0.00" \
		"$(q "$dst" "INSERT INTO billing.payment_requests (id, amount, approved_at) VALUES (3, 1000, '2020-06-30 19:59-04') RETURNING payout || '|' || buyer_fee")"
	check "$format: the shipped rows are still recognised" 3 \
		"$(q "$dst" "SELECT count(*) FROM iq_fee_schedule WHERE iq_fee_schedule_is_shipped(effective, expert_fee_rate, buyer_fee_rate, description)")"
	dropdb "$dst"
done

# A second round trip of an untouched database dumps no schedule rows.
dropdb --if-exists iqfees_dump_plain_ext 2>/dev/null && createdb iqfees_dump_plain_ext || exit 1
q iqfees_dump_plain_ext "CREATE EXTENSION iqfees" >/dev/null
check "untouched schedule: nothing to dump" 0 \
	"$(pg_dump --data-only -t iq_fee_schedule iqfees_dump_plain_ext | grep -cE '^\[|^\(')"
check "untouched thresholds: nothing to dump" 0 \
	"$(pg_dump --data-only -t iq_form_1099k_threshold iqfees_dump_plain_ext | grep -cE '^\[|^\(')"
dropdb iqfees_dump_plain_ext
dropdb "$src"

finish
