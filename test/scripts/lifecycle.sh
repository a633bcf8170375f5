#!/usr/bin/env bash
# The extension's life in a database: ALTER EXTENSION iqfees UPDATE from
# every earlier version ends with exactly what CREATE EXTENSION makes and
# keeps the user's data and triggers working; DROP EXTENSION leaves the
# user's tables and rows alone.
# Runs against the cluster in the environment (PGHOST, PGPORT, ...).
set -uo pipefail

. "$(dirname "$0")/../tap.sh"
fresh_db() {
	dropdb --if-exists "$1" 2>/dev/null
	createdb "$1" || exit 1
}

# Everything the extension consists of, as text: its member objects, the
# definition and labels of every function, what each aggregate is made
# of, the columns of its types and tables, the tables' constraints and
# triggers, what its objects depend on, the dump filters, comments, and
# the shipped schedule and Form 1099-K threshold rows.

# an aggregate's pg_aggregate row, functions and types by name
aggregate_row="concat_ws(' ', a.aggkind, a.aggnumdirectargs,
    a.aggtransfn::oid::regprocedure, a.aggfinalfn::oid::regprocedure,
    a.aggcombinefn::oid::regprocedure, a.aggserialfn::oid::regprocedure,
    a.aggdeserialfn::oid::regprocedure, a.aggmtransfn::oid::regprocedure,
    a.aggminvtransfn::oid::regprocedure, a.aggmfinalfn::oid::regprocedure,
    a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify,
    a.aggsortop::regoperator, a.aggtranstype::regtype, a.aggtransspace,
    a.aggmtranstype::regtype, a.aggmtransspace, a.agginitval, a.aggminitval)"
catalog_sql=$(cat <<SQL
WITH ext AS (SELECT oid, extconfig, extcondition FROM pg_extension WHERE extname = 'iqfees'),
members AS (
    SELECT d.classid, d.objid FROM pg_depend d, ext
     WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e')
SELECT 'member ' || pg_describe_object(classid, objid, 0) FROM members
UNION ALL
SELECT 'function ' || p.oid::regprocedure || ' ' || p.provolatile::text ||
       p.proisstrict::int || p.proparallel::text || ' ' ||
       coalesce(array_to_string(p.proconfig, ','), '') || ' ' ||
       md5(CASE WHEN p.prokind = 'a' THEN p.oid::regprocedure::text
                ELSE pg_get_functiondef(p.oid) END)
  FROM pg_proc p JOIN members m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
UNION ALL
SELECT 'aggregate ' || a.aggfnoid::regprocedure || ' ' || $aggregate_row
  FROM pg_aggregate a JOIN members m ON m.classid = 'pg_proc'::regclass AND m.objid = a.aggfnoid
UNION ALL
SELECT 'depends ' || pg_describe_object(d.classid, d.objid, d.objsubid) || ' on ' ||
       pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid) || ' ' || d.deptype::text
  FROM pg_depend d JOIN members m ON m.classid = d.classid AND m.objid = d.objid
 WHERE d.deptype <> 'e'
UNION ALL
SELECT 'column ' || a.attrelid::regclass || '.' || a.attname || ' ' ||
       format_type(a.atttypid, a.atttypmod) || ' ' || a.attnum || ' ' || a.attnotnull
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN members m ON (m.classid = 'pg_class'::regclass AND m.objid = c.oid)
                 OR (m.classid = 'pg_type'::regclass AND m.objid = c.reltype)
 WHERE a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(c.oid)
  FROM pg_constraint c JOIN members m ON m.classid = 'pg_class'::regclass AND m.objid = c.conrelid
UNION ALL
SELECT 'trigger ' || pg_get_triggerdef(t.oid)
  FROM pg_trigger t JOIN members m ON m.classid = 'pg_class'::regclass AND m.objid = t.tgrelid
UNION ALL
SELECT 'dump ' || extconfig::regclass[]::text || ' ' || extcondition::text FROM ext
UNION ALL
SELECT 'comment ' || pg_describe_object(d.classoid, d.objoid, d.objsubid) || ' ' || d.description
  FROM pg_description d JOIN members m ON m.classid = d.classoid AND m.objid = d.objoid
UNION ALL
SELECT 'privilege ' || c.relname || ' ' || coalesce(c.relacl::text, '')
  FROM pg_class c JOIN members m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
UNION ALL
SELECT 'replica identity ' || c.relname || ' ' || c.relreplident::text
  FROM pg_class c JOIN members m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
UNION ALL
SELECT 'row ' || concat_ws('|', effective, expert_fee_rate, buyer_fee_rate, description)
  FROM iq_fee_schedule
UNION ALL
SELECT 'threshold ' || concat_ws('|', tax_years, gross_threshold, transaction_threshold, description)
  FROM iq_form_1099k_threshold
ORDER BY 1
SQL
)

fresh_db iqfees_fresh
q iqfees_fresh "CREATE EXTENSION iqfees" >/dev/null
latest=$(q iqfees_fresh "SELECT extversion FROM pg_extension WHERE extname = 'iqfees'")
expected=$(q iqfees_fresh "$catalog_sql")
check "the catalog of a fresh install lists its functions, aggregates, dependencies, types and tables" t \
	"$(grep -q '^function .*iq_payout' <<<"$expected" &&
	   grep -q '^aggregate iq_payout_sum(numeric,date) .* bytea ' <<<"$expected" &&
	   grep -q '^depends function iq_payout_sum(numeric,date) on function iq_payout_sum_step' <<<"$expected" &&
	   grep -q '^column iq_charge.buyer_total' <<<"$expected" &&
	   grep -q '^constraint iq_fee_schedule ' <<<"$expected" &&
	   grep -q '^constraint iq_form_1099k_threshold ' <<<"$expected" &&
	   grep -q '^threshold \[2025,)' <<<"$expected" && echo t)"
check "the fresh install is version $(q iqfees_fresh "SELECT default_version FROM pg_available_extensions WHERE name = 'iqfees'")" \
	"$(q iqfees_fresh "SELECT default_version FROM pg_available_extensions WHERE name = 'iqfees'")" "$latest"

# 1.3 gave iq_payout_sum a bytea state with CREATE OR REPLACE AGGREGATE,
# which keeps the views that use it: the result is what CREATE AGGREGATE
# makes of the same definition, row and dependencies
aggregate_sql() {
	echo "SELECT $aggregate_row || ' / ' || (
	            SELECT string_agg(pg_describe_object(refclassid, refobjid, refobjsubid) || ' ' || deptype::text,
	                              ', ' ORDER BY 1)
	              FROM pg_depend
	             WHERE classid = 'pg_proc'::regclass AND objid = a.aggfnoid
	               AND deptype <> 'e' AND refclassid <> 'pg_namespace'::regclass)
	        FROM pg_aggregate a WHERE a.aggfnoid = '$1'::regprocedure"
}
check "the replaced iq_payout_sum is what CREATE AGGREGATE makes" \
	"$(q iqfees_fresh "CREATE SCHEMA direct;
	                   CREATE AGGREGATE direct.iq_payout_sum(amount numeric, approved_on date) (
	                       SFUNC = iq_payout_sum_step, STYPE = bytea, FINALFUNC = iq_cents_sum_final,
	                       COMBINEFUNC = iq_cents_sum_combine, PARALLEL = SAFE);
	                   $(aggregate_sql 'direct.iq_payout_sum(numeric,date)')")" \
	"$(q iqfees_fresh "$(aggregate_sql 'public.iq_payout_sum(numeric,date)')")"
q iqfees_fresh "DROP SCHEMA direct CASCADE" >/dev/null

# every version with an update path to the latest one
versions=$(q iqfees_fresh "SELECT source FROM pg_extension_update_paths('iqfees')
                            WHERE target = '$latest' AND path IS NOT NULL ORDER BY source")
check "there are earlier versions to update from" t "$([ -n "$versions" ] && echo t)"

for version in $versions; do
	db=iqfees_from_$(echo "$version" | tr . _)
	fresh_db "$db"
	# the old version in use: a user's rate, a priced table with its trigger
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<SQL || exit 1
CREATE EXTENSION iqfees VERSION '$version';
INSERT INTO iq_fee_schedule VALUES ('[2030-01-01,)', 0.20, 0.05, 'from 2030');
CREATE TABLE request (id int PRIMARY KEY, amount numeric(14,2), approved_on date,
                      fee numeric(14,2), payout numeric(14,2), buyer_total numeric(14,2));
CREATE TRIGGER price BEFORE INSERT OR UPDATE ON request FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, buyer_total);
INSERT INTO request (id, amount, approved_on) VALUES (1, 1000, '2024-01-01'), (2, 1000, '2031-01-01');
SQL
	# a CHECK constraint and a view that call the plan functions as the old
	# version declared them (1.3 gave them a currency argument)
	if [ "$version" != 1.0 ]; then
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL' || exit 1
CREATE TABLE plan (id int PRIMARY KEY, total numeric, term daterange, dates date[], amounts numeric[],
                   CONSTRAINT valid_plan CHECK (iq_installment_plan_check(dates, amounts, total, term)));
INSERT INTO plan VALUES (1, 900, '[2024-01-01,2025-01-01)', '{2024-01-01,2024-04-01}', '{450,450}');
CREATE VIEW plan_rows AS SELECT * FROM iq_installment_plan(900, 3, '2024-01-01');
SQL
	fi
	before=$(q "$db" "SELECT string_agg(concat_ws('|', id, amount, fee, payout, buyer_total), ';' ORDER BY id) FROM request")
	# the old version's aggregate with the new library, until the update,
	# in a parallel plan too (its serialize and deserialize functions)
	if [ "$(q "$db" "SELECT to_regprocedure('iq_payout_sum(numeric,date)') IS NOT NULL")" = t ]; then
		parallel="-c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c parallel_leader_participation=off"
		check "$version: before the update, iq_payout_sum works with the new library, in parallel too" \
			"1650.00 Partial Aggregate" \
			"$(PGOPTIONS=$parallel q "$db" "SELECT iq_payout_sum(amount, approved_on) FROM request")$(
			   PGOPTIONS=$parallel q "$db" "EXPLAIN (COSTS OFF) SELECT iq_payout_sum(amount, approved_on) FROM request" |
			   grep -o ' Partial Aggregate')"
	fi
	q "$db" "ALTER EXTENSION iqfees UPDATE" >/dev/null
	check "$version: updated to $latest" "$latest" \
		"$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'iqfees'")"
	# the schedule then holds the user's row too; compare the rest
	check "$version: the update gives exactly what CREATE EXTENSION gives" "$expected" \
		"$(q "$db" "DELETE FROM iq_fee_schedule WHERE description = 'from 2030';
		            UPDATE iq_fee_schedule SET effective = '[2020-07-01,)'
		             WHERE effective = '[2020-07-01,2030-01-01)';
		            $catalog_sql")"
	q "$db" "INSERT INTO iq_fee_schedule VALUES ('[2030-01-01,)', 0.20, 0.05, 'from 2030')" >/dev/null
	check "$version: the user's rows are unchanged" "$before" \
		"$(q "$db" "SELECT string_agg(concat_ws('|', id, amount, fee, payout, buyer_total), ';' ORDER BY id) FROM request")"
	check "$version: the trigger prices new rows with the user's rate" "800.00" \
		"$(q "$db" "INSERT INTO request (id, amount, approved_on) VALUES (3, 1000, '2032-01-01') RETURNING payout")"
	if [ "$version" != 1.0 ]; then
		check "$version: its CHECK constraint still refuses a plan off its total" 23514 \
			"$(sqlstate "$db" "INSERT INTO plan VALUES (2, 900, '[2024-01-01,2025-01-01)', '{2024-01-01}', '{899.99}')")"
		check "$version: and accepts a valid one" 0 \
			"$(q "$db" "INSERT INTO plan VALUES (3, 900, '[2024-01-01,2025-01-01)', '{2024-01-01}', '{900}')" >/dev/null; echo $?)"
		check "$version: its view still lists the plan in dollars" "900.00 3" \
			"$(q "$db" "SELECT sum(amount) || ' ' || count(*) FROM plan_rows")"
		restored=${db}_restored
		fresh_db "$restored"
		pg_dump "$db" | psql -X -q -v ON_ERROR_STOP=1 -d "$restored" >/dev/null 2>&1
		check "$version: after pg_dump and restore the constraint still checks" 23514 \
			"$(sqlstate "$restored" "INSERT INTO plan VALUES (4, 900, '[2024-01-01,2025-01-01)', '{2024-01-01}', '{900.001}')")"
		dropdb "$restored"
	fi
	dropdb "$db"
done

# DROP EXTENSION: refused while the user's objects depend on it; with
# CASCADE the triggers and the CHECK constraint go, the tables and rows stay.
db=iqfees_drop
fresh_db "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL' || exit 1
CREATE EXTENSION iqfees;
CREATE TABLE request (id int PRIMARY KEY, amount numeric(14,2), approved_on date,
                      fee numeric(14,2), payout numeric(14,2), buyer_total numeric(14,2));
CREATE TRIGGER price BEFORE INSERT OR UPDATE ON request FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, buyer_total);
INSERT INTO request (id, amount, approved_on) VALUES (1, 1000, '2024-01-01'), (2, 500, NULL);
CREATE TABLE offer (id int PRIMARY KEY, contract_total numeric(14,2), contract_term daterange,
                    accepted_on date, invoice_dates date[], amounts numeric(14,2)[],
                    CONSTRAINT valid_plan CHECK (iq_installment_plan_check(
                        invoice_dates, amounts, contract_total, contract_term, accepted_on)));
INSERT INTO offer SELECT 1, 900, '[2024-01-01,2025-01-01)', NULL,
       array_agg(invoice_date ORDER BY installment), array_agg(amount ORDER BY installment)
  FROM iq_installment_plan(900, 3, '2024-01-01', '3 months');
CREATE TABLE installment (offer_id int REFERENCES offer, invoice_date date, amount numeric(14,2));
CREATE CONSTRAINT TRIGGER plan AFTER INSERT OR UPDATE OR DELETE ON installment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION iq_installment_constraint(installment, offer_id, invoice_date, amount,
                                               offer, id, contract_total, contract_term);
INSERT INTO installment VALUES (1, '2024-01-01', 900);
SQL
data_sql="SELECT (SELECT string_agg(concat_ws('|', id, amount, fee, payout, buyer_total), ';' ORDER BY id) FROM request)
          || ' / ' || (SELECT string_agg(concat_ws('|', id, invoice_dates, amounts), ';') FROM offer)
          || ' / ' || (SELECT string_agg(concat_ws('|', offer_id, invoice_date, amount), ';') FROM installment)"
data=$(q "$db" "$data_sql")
check "DROP EXTENSION is refused while triggers and constraints use it" 2BP01 \
	"$(sqlstate "$db" "DROP EXTENSION iqfees")"
check "the refused DROP changed nothing" "$data" "$(q "$db" "$data_sql")"
q "$db" "SET client_min_messages = warning; DROP EXTENSION iqfees CASCADE" >/dev/null
check "DROP EXTENSION ... CASCADE keeps every table and row" "$data" "$(q "$db" "$data_sql")"
check "and removes the triggers and the CHECK constraint that used it" "0 0" \
	"$(q "$db" "SELECT (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal) || ' ' ||
	                   (SELECT count(*) FROM pg_constraint WHERE conname = 'valid_plan')")"
check "the extension's own tables go with it" t \
	"$(q "$db" "SELECT to_regclass('iq_fee_schedule') IS NULL AND to_regclass('iq_form_1099k_threshold') IS NULL")"
dropdb "$db"
dropdb iqfees_fresh

finish
