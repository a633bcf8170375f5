# test/citus_cluster.sh: a throwaway Citus cluster for test/scripts/citus.sh
# and test/bench.  Source it after test/lib.sh (which sets PG_CONFIG).
#
#   citus_ensure        Citus installed for PG_CONFIG's server, built from
#                       ../shared/citus/build when that exists; else false,
#                       with the reason in $citus_missing
#   citus_start         a coordinator and two workers on free loopback
#                       ports (citus_ports), data in a temporary directory,
#                       with the settings in citus_settings added; the
#                       next port, citus_spare_port, is free for a node
#                       started later with citus_start_node PORT
#   citus_database DB   DB on every node, with Citus, the workers registered
#   citus_stop          stops the nodes and removes their data
#
# The servers run as postgres when this runs as root (initdb refuses root);
# psql connects over 127.0.0.1 with trust authentication.

citus_bindir=$("$PG_CONFIG" --bindir)
citus_ports=()
citus_spare_port=""
citus_claim=""
citus_dir=""
citus_settings=()

# run a server program as the user who owns the data directory
citus_as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# citus_psql PORT DB ARGS...: psql on one node, whatever PG* variables say
citus_psql() {
	local port=$1 db=$2
	shift 2
	PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=$db PGOPTIONS= \
		"$citus_bindir/psql" -X -q -v ON_ERROR_STOP=1 "$@"
}

citus_ensure() {
	local root build log
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	build=$root/../shared/citus/build
	citus_missing=""
	[ -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ] && return 0
	if [ ! -x "$build" ]; then
		citus_missing="Citus is not installed for PostgreSQL $PGVER and ../shared/citus/build is not there"
		return 1
	fi
	# the server headers include gssapi.h, which the build script does not install
	iq_install_dependencies libkrb5-dev || true
	log=$(mktemp)
	echo "== building Citus with $build (about 3 minutes)"
	if ! as_root env PG_CONFIG="$PG_CONFIG" "$build" >"$log" 2>&1; then
		citus_missing="building Citus failed: $(tail -n 1 "$log")"
		rm -f "$log"
		return 1
	fi
	rm -f "$log"
	[ -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ] ||
		{ citus_missing="the Citus build installed no citus.so"; return 1; }
}

# Four consecutive ports from $1 on, claimed for this run: runs claim
# groups of four by making a directory named after the first port (mkdir
# either makes it or fails, so two runs never get the same group), with
# the claiming shell's PID in it; a claim whose shell is gone is taken
# over.  A group where something else listens is skipped.
citus_claims=/tmp/iqfees-citus-ports
citus_claim_ports() {
	local port=$1 claim owner i busy
	mkdir -p "$citus_claims" && chmod 1777 "$citus_claims" 2>/dev/null
	for ((; port < 65000; port += 4)); do
		claim=$citus_claims/$port
		if ! mkdir "$claim" 2>/dev/null; then
			owner=$(cat "$claim/pid" 2>/dev/null)
			# a claim being made has no pid yet: leave it alone
			[ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null || continue
			rm -rf "$claim"
			mkdir "$claim" 2>/dev/null || continue
		fi
		echo $$ >"$claim/pid"
		busy=0
		for ((i = 0; i < 4; i++)); do
			(echo >"/dev/tcp/127.0.0.1/$((port + i))") 2>/dev/null && busy=1
		done
		if [ "$busy" = 0 ]; then
			citus_claim=$claim
			echo "$port"
			return 0
		fi
		rm -rf "$claim"
	done
	return 1
}

# a node with Citus preloaded (wal_level logical: Citus copies shards and
# reference tables by logical replication)
citus_start_node() {
	local port=$1
	citus_as_owner "$citus_bindir/initdb" -D "$citus_dir/$port" -A trust -U postgres \
		--no-sync >/dev/null || return 1
	cat >>"$citus_dir/$port/postgresql.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$citus_dir'
shared_preload_libraries = 'citus'
max_prepared_transactions = 100
wal_level = logical
fsync = off
citus.shard_count = 8
EOF
	printf '%s\n' "${citus_settings[@]}" >>"$citus_dir/$port/postgresql.conf"
	citus_as_owner "$citus_bindir/pg_ctl" -D "$citus_dir/$port" -l "$citus_dir/$port.log" \
		-w start >/dev/null || { cat "$citus_dir/$port.log"; return 1; }
}

citus_start() {
	local base port
	citus_dir=$(mktemp -d /tmp/iqfees-citus.XXXXXX)
	[ "$(id -u)" = 0 ] && chown postgres: "$citus_dir"
	# not in a subshell: citus_claim must stay set for citus_stop
	citus_claim_ports "${CITUS_PORT:-9700}" >"$citus_dir/base" || return 1
	base=$(cat "$citus_dir/base")
	citus_ports=("$base" "$((base + 1))" "$((base + 2))")
	citus_spare_port=$((base + 3))
	for port in "${citus_ports[@]}"; do
		citus_start_node "$port" || return 1
	done
}

citus_database() {
	local db=$1 port
	for port in "${citus_ports[@]}"; do
		citus_psql "$port" postgres -c "CREATE DATABASE $db" &&
			citus_psql "$port" "$db" -c "CREATE EXTENSION citus" || return 1
	done
	citus_psql "${citus_ports[0]}" "$db" >/dev/null \
		-c "SELECT citus_set_coordinator_host('127.0.0.1', ${citus_ports[0]})" \
		-c "SELECT citus_add_node('127.0.0.1', ${citus_ports[1]})" \
		-c "SELECT citus_add_node('127.0.0.1', ${citus_ports[2]})"
}

citus_stop() {
	local pid
	[ -n "$citus_dir" ] || return 0
	for pid in "$citus_dir"/*/postmaster.pid; do
		[ -f "$pid" ] &&
			citus_as_owner "$citus_bindir/pg_ctl" -D "$(dirname "$pid")" -m fast -w stop >/dev/null
	done
	rm -rf "$citus_dir"
	citus_dir=""
	[ -z "$citus_claim" ] || rm -rf "$citus_claim"
	citus_claim=""
}
