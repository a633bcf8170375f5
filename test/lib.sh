# test/lib.sh: set-up shared by test/demo, test/check and test/bench.
# Source it from the repository root.

# The PostgreSQL major version to build and test against: the newest
# server installed, unless PGVER says otherwise.
PGVER=${PGVER:-$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)}
if [ -z "$PGVER" ]; then
	echo "no PostgreSQL server found under /usr/lib/postgresql" >&2
	exit 1
fi
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PGVER/bin/pg_config}
export PGVER PG_CONFIG

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Install, through apt, whatever the build and the tests need and the
# machine lacks.
iq_install_dependencies() {
	local missing=()
	# pgxs.mk ships with the server; the headers come with -server-dev
	[ -f "$("$PG_CONFIG" --includedir-server 2>/dev/null)/postgres.h" ] ||
		missing+=("postgresql-server-dev-$PGVER")
	command -v pg_virtualenv >/dev/null || missing+=(postgresql-common)
	command -v make >/dev/null || missing+=(make)
	command -v gcc >/dev/null || missing+=(gcc)
	for pkg in "$@"; do
		dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "== installing ${missing[*]}"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
}

# Build and install the extension.  IQFEES_CFLAGS adds compiler flags
# (.ci/run sets -Wall -Wextra -Werror).
iq_build_and_install() {
	echo "== building iqfees for PostgreSQL $PGVER"
	make -s clean PG_CONFIG="$PG_CONFIG"
	make -s PG_CONFIG="$PG_CONFIG" PG_CFLAGS="${IQFEES_CFLAGS:-}" || return 1
	as_root make -s install PG_CONFIG="$PG_CONFIG" >/dev/null || return 1
}
