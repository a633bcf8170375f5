# test/tap.sh: what the scripts in test/scripts share.  Source it; each
# check prints "ok - name" or "not ok - name" with what differed, and
# finish prints the "N passed, N failed" line test/check counts.
passed=0
failed=0

# check NAME EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
		passed=$((passed + 1))
	else
		echo "not ok - $1"
		diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -n 20 | sed 's/^/  /'
		failed=$((failed + 1))
	fi
}

# q DATABASE SQL: the result, unaligned, stopping at the first error
q() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

# sqlstate DATABASE SQL: the SQLSTATE the statement fails with
sqlstate() {
	psql -X -q -At -v VERBOSITY=sqlstate -d "$1" -c "$2" 2>&1 | grep -oE '[0-9A-Z]{5}$' | tail -n 1
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
