#!/usr/bin/env bash
# pg_dump and restore, in custom and plain format, keep the fee schedule
# rows a user added or changed without duplicating the shipped rows, keep
# the user's priced rows as they were, and the trigger still works after.
# Runs against the cluster in the environment (PGHOST, PGPORT, ...).
set -uo pipefail

passed=0
failed=0
check() {
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
		passed=$((passed + 1))
	else
		echo "not ok - $1"
		printf '  expected: %s\n  actual:   %s\n' "$2" "$3"
		failed=$((failed + 1))
	fi
}
q() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

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
SQL

schedule_sql="SELECT string_agg(concat_ws('|', effective, expert_fee_rate, buyer_fee_rate, description), ';' ORDER BY effective) FROM iq_fee_schedule"
requests_sql="SELECT string_agg(concat_ws('|', id, amount, approved_on, fee, payout, buyer_total), ';' ORDER BY id) FROM billing.payment_request"
schedule=$(q "$src" "$schedule_sql")
requests=$(q "$src" "$requests_sql")
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
	check "$format: restored rates price new rows" "800.00|1050.00" \
		"$(q "$dst" "INSERT INTO billing.payment_request (id, amount, approved_on) VALUES (6, 1000, '2031-01-01') RETURNING payout || '|' || buyer_total")"
	check "$format: the trigger still refuses bad amounts" 22023 \
		"$(psql -X -At -d "$dst" -v VERBOSITY=sqlstate -c "INSERT INTO billing.payment_request (id, amount, approved_on) VALUES (7, -1, '2031-01-01')" 2>&1 | grep -oE "[0-9][0-9A-Z]{4}$")"
	check "$format: the shipped rows are still recognised" 3 \
		"$(q "$dst" "SELECT count(*) FROM iq_fee_schedule WHERE iq_fee_schedule_is_shipped(effective, expert_fee_rate, buyer_fee_rate, description)")"
	dropdb "$dst"
done

# A second round trip of an untouched database dumps no schedule rows.
dropdb --if-exists iqfees_dump_plain_ext 2>/dev/null && createdb iqfees_dump_plain_ext || exit 1
q iqfees_dump_plain_ext "CREATE EXTENSION iqfees" >/dev/null
check "untouched schedule: nothing to dump" 0 \
	"$(pg_dump --data-only -t iq_fee_schedule iqfees_dump_plain_ext | grep -cE '^\[|^\(')"
dropdb iqfees_dump_plain_ext
dropdb "$src"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
