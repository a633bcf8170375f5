#!/usr/bin/env bash
# Every ```sql block of README.md runs, in order, in one new database.  A
# block whose first line is "-- fails with SQLSTATE XXXXX" must fail with
# exactly that SQLSTATE; every other block must succeed.
# Runs against the cluster in the environment (PGHOST, PGPORT, ...).
set -uo pipefail
cd "$(dirname "$0")/../.."

db=iqfees_readme
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dropdb --if-exists "$db" 2>/dev/null
createdb "$db" || exit 1

# split the blocks into numbered files
awk -v dir="$work" '
	/^```sql$/ { n++; file = sprintf("%s/%03d.sql", dir, n); inblock = 1; next }
	/^```/ && inblock { inblock = 0; close(file); next }
	inblock { print > file }
' README.md

. test/tap.sh
for block in "$work"/*.sql; do
	[ -e "$block" ] || continue
	name="README example $(basename "$block" .sql): $(grep -m1 -v '^--' "$block" | cut -c1-60)"
	expected=$(sed -n '1s/^-- fails with SQLSTATE \([0-9A-Z]\{5\}\)$/\1/p' "$block")
	output=$(psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$db" -f "$block" 2>&1)
	status=$?
	actual=$(printf '%s\n' "$output" | sed -n 's/.*ERROR:  \([0-9A-Z]\{5\}\): .*/\1/p' | head -n 1)
	if { [ -z "$expected" ] && [ $status -eq 0 ]; } ||
		{ [ -n "$expected" ] && [ "$actual" = "$expected" ]; }; then
		echo "ok - $name"
		passed=$((passed + 1))
	else
		echo "not ok - $name"
		printf '%s\n' "$output" | sed 's/^/  /'
		failed=$((failed + 1))
	fi
done
dropdb "$db"

finish
