#!/usr/bin/env bash
# iqfees on Citus: a coordinator and two workers of its own on loopback
# ports (test/citus_cluster.sh), whatever cluster the environment names.
# Every node prices with the coordinator's schedule, from the statement
# after a change commits, and never with one rolled back; the aggregates
# are computed partially on the workers and equal the results of a
# database without Citus to the cent, past 64 bits too; the pricing,
# constraint and freeze triggers and the set-up functions work on
# co-located distributed tables and on reference tables, also with two
# writers of one offer at once, and other layouts are refused; a worker
# added later; pg_dump, ALTER EXTENSION UPDATE from 1.2, DROP EXTENSION;
# the README's Citus examples.  Uses an installed Citus, or builds one with
# ../shared/citus/build; without either it prints "skipped: <reason>".
# Expects iqfees installed (test/check installs it).
set -uo pipefail
cd "$(dirname "$0")/../.."

. test/lib.sh
. test/citus_cluster.sh
. test/tap.sh

if ! citus_ensure; then
	echo "skipped: $citus_missing"
	exit 0
fi
trap citus_stop EXIT
citus_start || { echo "the Citus nodes did not start"; exit 1; }
C=${citus_ports[0]}
W1=${citus_ports[1]}
W2=${citus_ports[2]}
echo "# Citus $(citus_psql "$C" postgres -At -c "SELECT default_version FROM pg_available_extensions WHERE name = 'citus'"), coordinator on port $C, workers on $W1 and $W2"

# tap.sh's q and sqlstate run psql against the coordinator
export PATH="$citus_bindir:$PATH" PGHOST=127.0.0.1 PGPORT=$C PGUSER=postgres
unset PGDATABASE PGCLUSTER PGSERVICE PGOPTIONS
db=iqfees_citus
citus_database "$db" || exit 1

# on PORT SQL: the result on one node
on() {
	citus_psql "$1" "$db" -At -c "$2" 2>&1
}
# run_verbose SCRIPT: what psql printed for a script run on the coordinator,
# errors with their SQLSTATE ("ERROR:  23514: ...")
run_verbose() {
	printf '%s\n' "$1" | psql -X -q -v VERBOSITY=verbose -d "$db" 2>&1
}
has() {
	grep -q -- "$1" <<<"$2" && echo yes || echo "no: $2"
}

#
# One schedule everywhere
#
q "$db" "CREATE EXTENSION iqfees" >/dev/null
check "CREATE EXTENSION on the coordinator installs iqfees 1.3 on every node" "1.3 1.3 1.3" \
	"$(q "$db" "SELECT string_agg(result, ' ' ORDER BY nodeid) FROM run_command_on_all_nodes(
	    \$\$SELECT extversion FROM pg_extension WHERE extname = 'iqfees'\$\$)")"

# requests priced on their approval dates, NULLs, every size, and 200 of the
# largest amount, so that the sums of cents pass 2^63
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL' || exit 1
CREATE TABLE request (id bigint PRIMARY KEY, amount numeric(17,2), approved_on date,
                      running int, contracted int);
SELECT create_distributed_table('request', 'id');
INSERT INTO request
SELECT g, CASE WHEN g % 1000 = 0 THEN 999999999999999.99
               WHEN g % 13 = 0 THEN NULL
               ELSE (g::bigint * 7919 % 100000000) / 100.0 END,
       CASE WHEN g % 10 = 3 THEN NULL ELSE date '2019-01-01' + (g * 37) % 4500 END,
       g % 7, g % 5
  FROM generate_series(1, 200000) AS g;
SQL
check "before the schedule is distributed, a worker refuses to price with its own copy (55000)" 55000 \
	"$(sqlstate "$db" "SELECT sum(iq_payout(amount, approved_on)) FROM request")"
check "and the coordinator prices with its schedule" "850.00" \
	"$(q "$db" "SELECT iq_payout(1000, '2031-01-01')")"

# the worker's session reads its own table, then (after the coordinator
# distributes the schedule) its placement: one backend, two relations
worker_session=$(citus_psql "$W1" "$db" -At -v ON_ERROR_STOP=0 -v VERBOSITY=sqlstate 2>&1 <<SQL
SELECT iq_payout(1000, '2031-01-01');
\! PGHOST=127.0.0.1 PGPORT=$C PGUSER=postgres "$citus_bindir/psql" -X -q -d $db -c "SELECT iq_distribute_tables()" -c "INSERT INTO iq_fee_schedule VALUES ('[2030-01-01,)', 0.20, 0.05, 'new rates from 2030')" >/dev/null
SELECT iq_payout(1000, '2031-01-01');
SQL
)
check "iq_distribute_tables makes the schedule a reference table" "n t" \
	"$(q "$db" "SELECT partmethod::text || ' ' || repmodel::text FROM pg_dist_partition WHERE logicalrelid = 'iq_fee_schedule'::regclass")"
check "a worker's session prices with its placement from the statement after the change commits" \
	"ERROR:  55000
800.00" "$worker_session"
q "$db" "SELECT iq_distribute_tables()" >/dev/null
check "running it again changes nothing" "1 4" \
	"$(q "$db" "SELECT count(*) || ' ' || (SELECT count(*) FROM iq_fee_schedule) FROM pg_dist_partition
	             WHERE logicalrelid = 'iq_fee_schedule'::regclass")"
schedule_sql="SELECT string_agg(concat_ws(' ', effective, expert_fee_rate, buyer_fee_rate), ', ' ORDER BY effective) FROM iq_fee_schedule"
check "every node holds the coordinator's four rows" \
	"$(q "$db" "$schedule_sql") x3" \
	"$(q "$db" "SELECT min(result) || ' x' || count(DISTINCT nodeid) FROM run_command_on_all_nodes(\$\$$schedule_sql\$\$) HAVING count(DISTINCT result) = 1")"
check "the coordinator and a worker price with the new rate" "800.00 800.00" \
	"$(q "$db" "SELECT iq_payout(1000, '2031-01-01')") $(on "$W2" "SELECT iq_payout(1000, '2031-01-01')")"

# the Form 1099-K thresholds go with it: a change on the coordinator is
# what every node reads, in a query pushed to the workers too
check "the Form 1099-K thresholds are a reference table too" "n t" \
	"$(q "$db" "SELECT partmethod::text || ' ' || repmodel::text FROM pg_dist_partition WHERE logicalrelid = 'iq_form_1099k_threshold'::regclass")"
check "a worker reads the shipped 2024 threshold (5,000, no count)" "t" \
	"$(on "$W1" "SELECT iq_form_1099k_required(6000, 10, 2024)")"
q "$db" "INSERT INTO iq_form_1099k_threshold VALUES ('[2024,2025)', 20000, 200, '2024 as amended')" >/dev/null
check "after a change on the coordinator, both workers read the amended 2024 row" "f f" \
	"$(on "$W1" "SELECT iq_form_1099k_required(6000, 10, 2024)") $(on "$W2" "SELECT iq_form_1099k_required(6000, 10, 2024)")"
check "and so does a query pushed down to the workers" "0" \
	"$(q "$db" "SELECT count(*) FILTER (WHERE iq_form_1099k_required(6000, id, 2024)) FROM request WHERE id <= 300")"
q "$db" "DELETE FROM iq_form_1099k_threshold WHERE description = '2024 as amended';
         INSERT INTO iq_form_1099k_threshold SELECT * FROM iq_form_1099k_threshold_shipped()
          WHERE tax_years = '[2024,2025)'" >/dev/null

# what the rows below a million pay out with RATE from 2030, in plain SQL
payout_sql="SELECT sum(iq_payout(amount, approved_on)) FROM request WHERE amount < 1000000"
expected_payout() {
	q "$db" "SELECT sum(amount - CASE WHEN approved_on >= '2030-01-01' THEN round(amount * $1, 2)
	                                  WHEN approved_on BETWEEN '2020-04-16' AND '2020-06-30' THEN 0
	                                  ELSE round(amount * 0.15, 2) END)
	           FROM request WHERE amount < 1000000 AND approved_on IS NOT NULL"
}
set_rate() {
	q "$db" "UPDATE iq_fee_schedule SET expert_fee_rate = $1 WHERE effective = '[2030-01-01,)'" >/dev/null
}
check "pushed-down pricing uses the coordinator's rates on every worker" "$(expected_payout 0.20)" \
	"$(q "$db" "$payout_sql")"
set_rate 0.5
check "a rate changed in a transaction of its own is used from the next statement on" \
	"$(expected_payout 0.5)" "$(q "$db" "$payout_sql")"
set_rate 0.20
check "and so is the rate changed back" "$(expected_payout 0.20)" "$(q "$db" "$payout_sql")"
check "a rate change rolled back is never used" "$(expected_payout 0.20)" \
	"$(psql -X -q -At -d "$db" -c "BEGIN" \
		-c "UPDATE iq_fee_schedule SET expert_fee_rate = 0.5 WHERE effective = '[2030-01-01,)'" \
		-c "ROLLBACK" -c "$payout_sql")"
# a transaction that prices on the workers after changing rates runs in
# sequential mode from its start (README): one connection per node, which
# sees the change
check "in sequential mode, a change prices on the workers before it commits, and not once rolled back to a savepoint" \
	"$(expected_payout 0.5)
$(expected_payout 0.20)" \
	"$(psql -X -q -At -d "$db" -c "BEGIN" -c "SET LOCAL citus.multi_shard_modify_mode = 'sequential'" -c "SAVEPOINT s" \
		-c "UPDATE iq_fee_schedule SET expert_fee_rate = 0.5 WHERE effective = '[2030-01-01,)'" \
		-c "$payout_sql" -c "ROLLBACK TO SAVEPOINT s" -c "$payout_sql" -c "COMMIT")"

#
# Aggregates computed partially on the workers, equal to a database without Citus
#
createdb single || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d single >/dev/null <<SQL || exit 1
CREATE EXTENSION iqfees;
INSERT INTO iq_fee_schedule VALUES ('[2030-01-01,)', 0.20, 0.05, 'new rates from 2030');
CREATE TABLE request (id bigint PRIMARY KEY, amount numeric(17,2), approved_on date,
                      running int, contracted int);
SQL
psql -X -q -d "$db" -c "COPY request TO STDOUT" | psql -X -q -d single -c "COPY request FROM STDIN"
check "the database without Citus has no Citus" "f" \
	"$(q single "SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus')")"
totals_sql="SELECT iq_payout_sum(amount, approved_on), iq_charge_sum(amount, approved_on),
                   iq_additional_instance_hours(running, contracted),
                   sum(iq_payout(amount, approved_on)), count(*)
              FROM request"
by_year_sql="SELECT extract(year FROM approved_on), iq_payout_sum(amount, approved_on),
                    iq_charge_sum(amount, approved_on), iq_additional_instance_hours(running, contracted)
               FROM request GROUP BY 1 ORDER BY 1"
totals=$(q single "$totals_sql")
check "the sums pass 64 bits of cents" t \
	"$(q single "SELECT iq_payout_sum(amount, approved_on) * 100 > 9223372036854775807 FROM request")"
check "iq_payout_sum, iq_charge_sum and iq_additional_instance_hours equal the single-node results" \
	"$totals" "$(q "$db" "$totals_sql")"
check "and by year, grouped on the workers" "$(q single "$by_year_sql")" "$(q "$db" "$by_year_sql")"
plan=$(q "$db" "EXPLAIN (VERBOSE, COSTS OFF) $totals_sql")
for aggregate in iq_payout_sum iq_charge_sum iq_additional_instance_hours; do
	check "EXPLAIN shows $aggregate computed partially in the worker task" yes \
		"$(has "Query: SELECT .*worker_partial_agg('public.$aggregate(" "$plan")"
done
check "and combined on the coordinator" yes "$(has "coord_combine_agg(" "$plan")"
check "a query on one shard is pushed down whole" "$(q single "SELECT iq_payout_sum(amount, approved_on) FROM request WHERE id = 7")" \
	"$(q "$db" "SELECT iq_payout_sum(amount, approved_on) FROM request WHERE id = 7")"

#
# Triggers on distributed and reference tables
#
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL' || exit 1
CREATE TABLE priced (id bigint PRIMARY KEY, amount numeric(14,2), approved_at timestamptz,
                     expert_fee numeric(14,2), payout numeric(14,2), buyer_total numeric(14,2));
SELECT create_distributed_table('priced', 'id');
SELECT iq_price_requests('priced', 'amount', 'approved_at', expert_fee_column => 'expert_fee',
                         payout_column => 'payout', buyer_total_column => 'buyer_total');
INSERT INTO priced (id, amount, approved_at)
SELECT g, 1000, CASE WHEN g % 2 = 0 THEN timestamptz '2031-01-01 23:30+00' ELSE '2020-05-01 00:00+00' END
  FROM generate_series(1, 100) AS g;
CREATE TABLE priced_everywhere (id bigint PRIMARY KEY, amount numeric(14,2), approved_on date,
                                payout numeric(14,2));
SELECT create_reference_table('priced_everywhere');
SELECT iq_price_requests('priced_everywhere', 'amount', 'approved_on', payout_column => 'payout');
INSERT INTO priced_everywhere (id, amount, approved_on) VALUES (1, 1000, '2031-01-01'), (2, 1000, '2024-01-01');
SQL
check "iq_price_requests prices the rows of a distributed table on the workers" "100 100000.00 10000.00 102500.00" \
	"$(q "$db" "SELECT concat_ws(' ', count(payout), sum(expert_fee + payout), sum(expert_fee), sum(buyer_total)) FROM priced")"
check "and of a reference table on every node" "800.00 850.00 x3" \
	"$(q "$db" "SELECT min(result) || ' x' || count(*) FROM run_command_on_all_nodes(
	            \$\$SELECT string_agg(payout::text, ' ' ORDER BY id) FROM priced_everywhere\$\$) HAVING count(DISTINCT result) = 1")"

# offers and installments distributed by the offer and co-located
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL' || exit 1
CREATE SCHEMA billing;
CREATE TABLE billing.offer (id int PRIMARY KEY, contract_total numeric(14,2) NOT NULL,
                            contract_term daterange NOT NULL, accepted_on date);
CREATE TABLE billing.installment (offer_id int NOT NULL REFERENCES billing.offer ON DELETE CASCADE,
                                  invoice_date date NOT NULL, amount numeric(14,2) NOT NULL,
                                  PRIMARY KEY (offer_id, invoice_date));
SELECT create_distributed_table('billing.offer', 'id');
SELECT create_distributed_table('billing.installment', 'offer_id', colocate_with => 'billing.offer');
SELECT iq_enforce_installment_plans('billing.installment', 'offer_id', 'invoice_date', 'amount',
                                    'billing.offer', 'id', 'contract_total', 'contract_term',
                                    acceptance_column => 'accepted_on');
BEGIN;
INSERT INTO billing.offer SELECT id, 12000, '[2025-01-01,2026-01-01)', NULL FROM generate_series(1, 20) AS id;
INSERT INTO billing.installment
SELECT o, p.invoice_date, p.amount FROM generate_series(1, 20) AS o, iq_installment_plan(12000, 12, '2025-01-15') AS p;
COMMIT;
SQL
check "valid plans of 20 offers on both workers commit through the shard triggers" "240 20" \
	"$(q "$db" "SELECT count(*) || ' ' || count(DISTINCT offer_id) FROM billing.installment")"
check "the offers are on both workers" 2 \
	"$(q "$db" "SELECT count(DISTINCT nodeport) FROM billing.offer,
	            LATERAL (SELECT nodeport FROM pg_dist_shard_placement
	                      WHERE shardid = get_shard_id_for_distribution_column('billing.offer', id)) AS p")"
broken=$(run_verbose "BEGIN;
UPDATE billing.installment SET amount = amount + 1 WHERE invoice_date = '2025-03-15';
COMMIT;")
check "a change breaking plans on both workers fails at commit with 23514" yes \
	"$(has "ERROR:  23514: installment plan of offer [0-9]* breaks rule total_mismatch" "$broken")"
one_worker=$(run_verbose "BEGIN;
INSERT INTO billing.offer VALUES (30, 300, '[2025-01-01,2026-01-01)', NULL);
INSERT INTO billing.installment VALUES (30, '2025-01-15', 100);
COMMIT;")
check "on one worker the rule's 23514 comes as a WARNING, then ERROR XX000 (Citus commits there in one phase)" \
	"yes yes" "$(has "WARNING:  23514: installment plan of offer 30 breaks rule total_mismatch" "$one_worker") $(has "ERROR:  XX000: could not commit transaction" "$one_worker")"
check "and either way nothing of those transactions was committed" "0 0" \
	"$(q "$db" "SELECT count(*) FROM billing.installment WHERE amount % 1000 <> 0") $(q "$db" "SELECT count(*) FROM billing.offer WHERE id = 30")"
q "$db" "UPDATE billing.offer SET accepted_on = '2025-01-10' WHERE id = 1" >/dev/null
check "an accepted offer's installments are frozen on the shards (55000)" 55000 \
	"$(sqlstate "$db" "DELETE FROM billing.installment WHERE offer_id = 1 AND invoice_date = '2025-12-15'")"
check "and so is its total (55000)" 55000 \
	"$(sqlstate "$db" "UPDATE billing.offer SET contract_total = 1 WHERE id = 1")"

# reference tables: every node checks its own copy
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL' || exit 1
SET client_min_messages = warning;
CREATE TABLE billing.ref_offer (id int PRIMARY KEY, contract_total numeric(14,2) NOT NULL,
                                term_start date, term_end date, accepted_at timestamptz);
CREATE TABLE billing.ref_installment (offer_id int NOT NULL REFERENCES billing.ref_offer,
                                      invoice_date date NOT NULL, amount numeric(14,2) NOT NULL,
                                      PRIMARY KEY (offer_id, invoice_date));
SELECT create_reference_table('billing.ref_offer');
SELECT create_reference_table('billing.ref_installment');
SELECT iq_enforce_installment_plans('billing.ref_installment', 'offer_id', 'invoice_date', 'amount',
                                    'billing.ref_offer', 'id', 'contract_total',
                                    term_start_column => 'term_start', term_end_column => 'term_end',
                                    acceptance_column => 'accepted_at');
BEGIN;
INSERT INTO billing.ref_offer VALUES (1, 1200, '2025-01-01', '2025-12-31', NULL);
INSERT INTO billing.ref_installment SELECT 1, invoice_date, amount FROM iq_installment_plan(1200, 12, '2025-01-15');
COMMIT;
SQL
check "on reference tables a valid plan commits on every node" "12 x3" \
	"$(q "$db" "SELECT min(result) || ' x' || count(*) FROM run_command_on_all_nodes(
	            \$\$SELECT count(*) FROM billing.ref_installment\$\$) HAVING count(DISTINCT result) = 1")"
check "an invoice after the term is refused (23514)" 23514 \
	"$(sqlstate "$db" "INSERT INTO billing.ref_installment VALUES (1, '2026-06-01', 0)")"
q "$db" "UPDATE billing.ref_offer SET accepted_at = '2025-01-10 12:00+00' WHERE id = 1" >/dev/null
check "an accepted offer's schedule is frozen (55000)" 55000 \
	"$(sqlstate "$db" "UPDATE billing.ref_installment SET amount = 0 WHERE offer_id = 1")"

# two writers of one offer: each alone would leave 60 installments.  A
# deferred trigger of the user's holds the first commit open after
# iqfees' check, so the second check runs while the first has not
# committed: it waits for the first's lock on the offer, then sees 90.
# two_writers LABEL INSTALLMENT-TABLE: offer 50 has 30 installments there
two_writers() {
	local label=$1 table=$2 work second_start second_took
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SET citus.enable_unsafe_triggers = on" \
		-c "CREATE CONSTRAINT TRIGGER zz_hold AFTER INSERT ON $table
		        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
		        WHEN (NEW.amount = 0 AND NEW.invoice_date = '2025-04-11')
		        EXECUTE FUNCTION billing.hold()" >/dev/null || exit 1
	work=$(mktemp -d)
	run_verbose "INSERT INTO $table SELECT 50, date '2025-04-11' + g, 0 FROM generate_series(0, 29) AS g" \
		>"$work/first" &
	sleep 1
	second_start=$SECONDS
	run_verbose "INSERT INTO $table SELECT 50, date '2025-07-20' + g, 0 FROM generate_series(0, 29) AS g" \
		>"$work/second"
	second_took=$((SECONDS - second_start))
	wait
	check "$label: of two writers of one offer, the first commits" "" "$(grep ERROR "$work/first")"
	check "$label: the second waits for the first's check and is refused (23514, 90 installments)" yes \
		"$(has "23514: installment plan of offer 50 breaks rule payment_count: the plan has 90" "$(cat "$work/second")")"
	check "$label: the offer has 60 installments" 60 "$(q "$db" "SELECT count(*) FROM $table WHERE offer_id = 50")"
	check "$label: the second writer waited for the first" t \
		"$([ "$second_took" -ge 1 ] && echo t || echo "f ($second_took s)")"
	rm -rf "$work"
}
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL' || exit 1
CREATE FUNCTION billing.hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(3); RETURN NULL; END $$;
BEGIN;
INSERT INTO billing.offer VALUES (50, 6000, '[2025-01-01,2026-01-01)', NULL);
INSERT INTO billing.installment SELECT 50, date '2025-01-01' + g, 200 FROM generate_series(0, 29) AS g;
INSERT INTO billing.ref_offer VALUES (50, 6000, '2025-01-01', '2025-12-31', NULL);
INSERT INTO billing.ref_installment SELECT 50, date '2025-01-01' + g, 200 FROM generate_series(0, 29) AS g;
COMMIT;
SQL
two_writers "co-located distributed tables" billing.installment
two_writers "reference tables" billing.ref_installment

# layouts where an offer's rows are not on one node
q "$db" "CREATE TABLE billing.loose (offer_id int NOT NULL, invoice_date date NOT NULL, amount numeric(14,2) NOT NULL)" >/dev/null
q "$db" "SELECT create_distributed_table('billing.loose', 'offer_id')" >/dev/null
check "iq_enforce_installment_plans refuses a reference offer table with distributed installments (0A000)" 0A000 \
	"$(sqlstate "$db" "SELECT iq_enforce_installment_plans('billing.loose', 'offer_id', 'invoice_date', 'amount',
	                       'billing.ref_offer', 'id', 'contract_total', term_start_column => 'term_start',
	                       term_end_column => 'term_end')")"
check "and installments distributed by another column (0A000)" 0A000 \
	"$(sqlstate "$db" "SELECT iq_enforce_installment_plans('billing.loose', 'invoice_date', 'invoice_date', 'amount',
	                       'billing.offer', 'id', 'contract_total', 'contract_term')")"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SET citus.enable_unsafe_triggers = on" \
	-c "CREATE TRIGGER frozen BEFORE INSERT ON billing.loose FOR EACH ROW
	        EXECUTE FUNCTION iq_freeze_installments(offer_id, ref_offer, id, accepted_at)" || exit 1
check "a trigger made by hand on such tables refuses to fire (0A000)" 0A000 \
	"$(sqlstate "$db" "INSERT INTO billing.loose VALUES (1, '2025-01-15', 100)")"
check "the refusal names the layout" yes \
	"$(has "The installment table billing.loose is distributed by column offer_id; the offer table billing.ref_offer is a reference table" \
		"$(run_verbose "INSERT INTO billing.loose VALUES (1, '2025-01-15', 100)")")"

# a worker added later prices once Citus has copied the schedule to it,
# by logical replication (it has a replica identity), and not before
citus_start_node "$citus_spare_port" || exit 1
citus_psql "$citus_spare_port" postgres -c "CREATE DATABASE $db" &&
	citus_psql "$citus_spare_port" "$db" -c "CREATE EXTENSION citus" || exit 1
q "$db" "SELECT citus_add_node('127.0.0.1', $citus_spare_port)" >/dev/null
check "a worker added later refuses to price before it holds a copy of the schedule (55000)" 55000 \
	"$(citus_psql "$citus_spare_port" "$db" -At -v VERBOSITY=sqlstate -c "SELECT iq_payout(1000, '2031-01-01')" 2>&1 |
	   grep -oE '[0-9A-Z]{5}$')"
q "$db" "SELECT replicate_reference_tables()" >/dev/null
check "replicate_reference_tables copies it there, and the worker prices with the coordinator's rates" "800.00" \
	"$(citus_psql "$citus_spare_port" "$db" -At -c "SELECT iq_payout(1000, '2031-01-01')" 2>&1)"

#
# pg_dump, ALTER EXTENSION UPDATE and DROP EXTENSION on the cluster
#
dump=$(pg_dump -d "$db" 2>&1)
check "pg_dump of the coordinator keeps the rate added, not the shipped rows" $'[2030-01-01,)\t0.20\t0.05\tnew rates from 2030' \
	"$(sed -n '/^COPY public.iq_fee_schedule /,/^\\\.$/p' <<<"$dump" | sed '1d;$d')"
check "and dumps no node's copy of the schedule" 0 "$(grep -c 'iq_fee_schedule_[0-9]' <<<"$dump")"

upgrade=iqfees_citus_upgrade
citus_database "$upgrade" || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d "$upgrade" >/dev/null <<'SQL' || exit 1
CREATE EXTENSION iqfees VERSION '1.2';
CREATE TABLE request (id bigint PRIMARY KEY, amount numeric(14,2), approved_on date);
SELECT create_distributed_table('request', 'id');
INSERT INTO request SELECT g, g, date '2019-01-01' + g FROM generate_series(1, 1000) AS g;
CREATE VIEW payouts AS SELECT iq_payout_sum(amount, approved_on) FROM request;
SQL
before=$(q "$upgrade" "SELECT * FROM payouts")
q "$upgrade" "ALTER EXTENSION iqfees UPDATE; SELECT iq_distribute_tables()" >/dev/null
check "ALTER EXTENSION iqfees UPDATE from 1.2 reaches every node" "1.3 bytea x3" \
	"$(q "$upgrade" "SELECT min(result) || ' x' || count(*) FROM run_command_on_all_nodes(
	    \$\$SELECT extversion || ' ' || (SELECT aggtranstype::regtype FROM pg_aggregate
	                                     WHERE aggfnoid = 'iq_payout_sum'::regproc)
	        FROM pg_extension WHERE extname = 'iqfees'\$\$) HAVING count(DISTINCT result) = 1")"
check "a view using iq_payout_sum keeps working, now computed on the workers" "$before yes" \
	"$(q "$upgrade" "SELECT * FROM payouts") $(has worker_partial_agg "$(q "$upgrade" "EXPLAIN (VERBOSE) SELECT * FROM payouts")")"
q "$upgrade" "SET client_min_messages = warning; DROP EXTENSION iqfees CASCADE" >/dev/null
copies_sql="SELECT string_agg(result, ' ' ORDER BY nodeid) FROM run_command_on_all_nodes(
             \$\$SELECT count(*) FROM pg_class WHERE relname ~ '^iq_fee_schedule_[0-9]+\$'\$\$)"
check "DROP EXTENSION leaves each node's copy of the schedule behind (a Citus limit)" "1 1 1" \
	"$(q "$upgrade" "$copies_sql")"
cleanup=$(awk '/^<!-- citus: cleanup -->$/ { on = 1; next } on && /^```sql/ { next } on && /^```/ { exit } on' README.md)
q "$upgrade" "$cleanup" >/dev/null
check "the README's statement removes them" "0 0 0" "$(q "$upgrade" "$copies_sql")"

#
# The README's examples for Citus (```sql citus blocks), in order, in a new database
#
readme=iqfees_citus_readme
citus_database "$readme" || exit 1
blocks=$(mktemp -d)
awk -v dir="$blocks" '
	/^```sql citus$/ { n++; file = sprintf("%s/%03d.sql", dir, n); inblock = 1; next }
	/^```/ && inblock { inblock = 0; close(file); next }
	inblock { print > file }
' README.md
check "the README has Citus examples" t "$(ls "$blocks"/*.sql >/dev/null 2>&1 && echo t)"
for block in "$blocks"/*.sql; do
	[ -e "$block" ] || continue
	output=$(psql -X -q -v ON_ERROR_STOP=1 -d "$readme" -f "$block" 2>&1)
	status=$?
	check "README Citus example $(basename "$block" .sql): $(grep -m1 -v '^--' "$block" | cut -c1-50)" 0 \
		"$([ $status -eq 0 ] && echo 0 || echo "$output")"
done
rm -rf "$blocks"

finish
