#!/usr/bin/env bash
# ALTER EXTENSION iqfees UPDATE from every earlier version ends with the
# same objects, with the same labels, as a fresh CREATE EXTENSION, and the
# updated extension works.
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

# every member of the extension, functions with their labels
members="
SELECT pg_describe_object(d.classid, d.objid, 0)
       || coalesce(' ' || p.provolatile::text || p.proisstrict::text || p.proparallel::text, '')
  FROM pg_depend d LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'iqfees')
   AND d.deptype = 'e'
 ORDER BY 1"

fresh=iqfees_upgrade_fresh
dropdb --if-exists "$fresh" 2>/dev/null && createdb "$fresh" || exit 1
q "$fresh" "CREATE EXTENSION iqfees" || exit 1
expected=$(q "$fresh" "$members") || exit 1
[ -n "$expected" ] || { echo "no members found"; exit 1; }
latest=$(q "$fresh" "SELECT extversion FROM pg_extension WHERE extname = 'iqfees'")
dropdb "$fresh"

for from in 1.0 1.1; do
	db=iqfees_upgrade_$(echo "$from" | tr . _)
	dropdb --if-exists "$db" 2>/dev/null && createdb "$db" || exit 1
	q "$db" "CREATE EXTENSION iqfees VERSION '$from'" || exit 1
	q "$db" "ALTER EXTENSION iqfees UPDATE" || exit 1
	check "update from $from reaches $latest" "$latest" \
		"$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'iqfees'")"
	check "update from $from gives the objects of a fresh install" "$expected" \
		"$(q "$db" "$members")"
	check "update from $from: 1.2 functions work" "2025-03-05|0.38|850.00" \
		"$(q "$db" "SELECT iq_billed_on('2025-02-01', '2025-03-05'), iq_instance_hours_charge(3, 0.125), iq_payout_sum(1000, '2020-08-01')")"
	dropdb "$db"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
