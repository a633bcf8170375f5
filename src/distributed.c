/*
 * distributed.c
 *		Citus, found at run time through its catalogs.
 *
 * Citus splits a table into shards, each a table of its own named after it
 * ("installment_102073"), and keeps a placement of a reference table on
 * every node.  Queries are pushed down to the nodes as queries on shards,
 * and triggers fire there, on the shards; a query on a shard may not query
 * a distributed table in turn.  So what iqfees reads where it runs (the
 * fee schedule, an offer and its installments) it reads from this node's
 * own shards and placements, which these functions find in Citus's
 * metadata tables (pg_dist_partition, pg_dist_shard, pg_dist_placement,
 * pg_dist_local_group), present on every node of a cluster.
 *
 * The queries are prepared once per backend.  They run only when Citus is
 * installed in the database, so without it nothing here touches a Citus
 * object; a plan made before Citus was dropped and created again is
 * planned again by the plan cache like any other.
 */
#include "compat.h"

#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "distributed.h"
#include "trigger_args.h"

bool
iq_citus_installed(void)
{
	return OidIsValid(get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE));
}

enum
{
	SOURCE_PLAN,
	SHARD_PLAN,
	COLOCATED_PLAN,
	TABLE_PLAN,
	NPLANS
};

static SPIPlanPtr plans[NPLANS];

/* The query of a slot, prepared on first use; the caller is connected to SPI. */
static SPIPlanPtr
citus_plan(int slot, const char *sql, int nargs, Oid *argtypes)
{
	if (plans[slot] == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		plans[slot] = plan;
	}
	return plans[slot];
}

static void
run_plan(SPIPlanPtr plan, Datum *values, long count)
{
	if (SPI_execute_plan(plan, values, NULL, true, count) != SPI_OK_SELECT)
		elog(ERROR, "could not read the Citus metadata");
}

/* this node's placement of a shard, as a relation OID (NULL: none) */
#define PLACEMENT_RELATION \
	"pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid, false))::pg_catalog.oid"

Oid
iq_reference_table_source(Oid relid)
{
	char	   *name;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	HeapTuple	tuple;
	TupleDesc	desc;
	Datum		value;
	bool		isnull;
	int32		group;
	char		method;
	bool		distributed;
	bool		reference;
	Oid			placement;

	if (!iq_citus_installed())
		return relid;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = ObjectIdGetDatum(relid);
	run_plan(citus_plan(SOURCE_PLAN,
						"SELECT g.groupid, d.partmethod, d.repmodel,"
						" (SELECT " PLACEMENT_RELATION
						"    FROM pg_catalog.pg_dist_shard s"
						"    JOIN pg_catalog.pg_dist_placement p"
						"      ON p.shardid OPERATOR(pg_catalog.=) s.shardid"
						"   WHERE s.logicalrelid OPERATOR(pg_catalog.=) d.logicalrelid"
						"     AND p.groupid OPERATOR(pg_catalog.=) g.groupid)"
						" FROM pg_catalog.pg_dist_local_group g"
						" LEFT JOIN pg_catalog.pg_dist_partition d"
						"   ON d.logicalrelid OPERATOR(pg_catalog.=) $1",
						1, argtypes),
			 args, 1);
	if (SPI_processed != 1)
		elog(ERROR, "pg_dist_local_group has " UINT64_FORMAT " rows", SPI_processed);
	tuple = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	group = DatumGetInt32(SPI_getbinval(tuple, desc, 1, &isnull));
	method = DatumGetChar(SPI_getbinval(tuple, desc, 2, &isnull));
	distributed = !isnull;
	reference = distributed && method == 'n' &&
		DatumGetChar(SPI_getbinval(tuple, desc, 3, &isnull)) == 't';
	value = SPI_getbinval(tuple, desc, 4, &isnull);
	placement = isnull ? InvalidOid : DatumGetObjectId(value);
	SPI_finish();

	/* the coordinator is group 0: its own table is the data until distributed */
	name = get_rel_name(relid);
	if (!distributed && group != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s is not distributed to the Citus nodes", name),
				 errdetail("This node is a Citus worker, whose own copy of %s is not the coordinator's.",
						   name),
				 errhint("On the coordinator, run SELECT iq_distribute_tables().")));
	if (!distributed)
		return relid;
	if (!reference)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s is distributed but is not a Citus reference table", name),
				 errdetail("Every node reads the whole table, so every node needs all of it."),
				 errhint("Undistribute it (undistribute_table), then run SELECT iq_distribute_tables().")));
	if (OidIsValid(placement))
		return placement;
	/* a coordinator without a placement reads one elsewhere through Citus */
	if (group == 0)
		return relid;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("this Citus node holds no copy of %s", name),
			 errhint("On the coordinator, run SELECT replicate_reference_tables().")));
	return InvalidOid;			/* keep compiler quiet */
}

Oid
iq_extension_table_source(Oid namespace, const char *relname)
{
	char	   *nspname = get_namespace_name(namespace);
	Oid			relid;

	if (nspname == NULL)
		elog(ERROR, "cache lookup failed for namespace %u", namespace);
	relid = get_relname_relid(relname, namespace);
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"%s.%s\" does not exist", nspname, relname)));
	return iq_reference_table_source(relid);
}

SPIPlanPtr
iq_table_query_plan(IqTableQuery *kept, Oid relid, const char *query, int nargs,
					Oid *argtypes)
{
	if (kept->plan != NULL && kept->relid == relid)
		return kept->plan;
	if (kept->plan != NULL)
	{
		SPI_freeplan(kept->plan);
		kept->plan = NULL;
	}
	kept->plan = SPI_prepare(psprintf(query, iq_qualified_table_name(relid)), nargs, argtypes);
	if (kept->plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	SPI_keepplan(kept->plan);
	kept->relid = relid;
	return kept->plan;
}

void
iq_table_query_check(TupleDesc desc, const char *table, int ncolumns, const Oid *types,
					 const char *const *columns, const char *reads)
{
	if (desc->natts != ncolumns)
		elog(ERROR, "query of %s returned %d columns", table, desc->natts);
	for (int i = 0; i < desc->natts; i++)
		if (TupleDescAttr(desc, i)->atttypid != types[i])
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column %s of %s has the wrong type", columns[i], table),
					 errdetail("iqfees reads %s; the query returned %s where it needs %s.",
							   reads, format_type_be(TupleDescAttr(desc, i)->atttypid),
							   format_type_be(types[i])),
					 errhint("Change the column back to its type, or reinstall the extension.")));
}

Oid
iq_shard_table(Oid relid, int64 *shardid)
{
	char	   *relname;
	char	   *suffix;
	char	   *end;
	Oid			argtypes[2] = {INT8OID, TEXTOID};
	Datum		args[2];
	Oid			table = InvalidOid;

	if (!iq_citus_installed())
		return InvalidOid;

	/* Citus names a shard <table>_<shard id>; the metadata confirms it */
	relname = get_rel_name(relid);
	if (relname == NULL || (suffix = strrchr(relname, '_')) == NULL ||
		suffix[1] < '0' || suffix[1] > '9')
		return InvalidOid;
	errno = 0;
	*shardid = strtoi64(suffix + 1, &end, 10);
	if (errno != 0 || *end != '\0')
		return InvalidOid;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = Int64GetDatum(*shardid);
	args[1] = CStringGetTextDatum(iq_qualified_table_name(relid));
	run_plan(citus_plan(SHARD_PLAN,
						"SELECT s.logicalrelid::pg_catalog.oid FROM pg_catalog.pg_dist_shard s"
						" WHERE s.shardid OPERATOR(pg_catalog.=) $1"
						"   AND pg_catalog.shard_name(s.logicalrelid, s.shardid, false)"
						"       OPERATOR(pg_catalog.=) $2",
						2, argtypes),
			 args, 1);
	if (SPI_processed == 1)
	{
		bool		isnull;

		table = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
											   SPI_tuptable->tupdesc, 1, &isnull));
	}
	SPI_finish();
	return table;
}

Oid
iq_colocated_shard(int64 shardid, Oid table)
{
	Oid			argtypes[2] = {INT8OID, OIDOID};
	Datum		args[2];
	Oid			shard = InvalidOid;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = Int64GetDatum(shardid);
	args[1] = ObjectIdGetDatum(table);
	run_plan(citus_plan(COLOCATED_PLAN,
						"SELECT " PLACEMENT_RELATION
						"  FROM pg_catalog.pg_dist_shard s"
						" WHERE s.logicalrelid OPERATOR(pg_catalog.=) $2"
						"   AND s.shardid OPERATOR(pg_catalog.=)"
						"       ANY (pg_catalog.get_colocated_shard_array($1))"
						"   AND EXISTS (SELECT FROM pg_catalog.pg_dist_placement p"
						"                 JOIN pg_catalog.pg_dist_local_group g"
						"                   ON g.groupid OPERATOR(pg_catalog.=) p.groupid"
						"                WHERE p.shardid OPERATOR(pg_catalog.=) s.shardid)",
						2, argtypes),
			 args, 1);
	if (SPI_processed == 1)
	{
		bool		isnull;
		Datum		value = SPI_getbinval(SPI_tuptable->vals[0],
										  SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			shard = DatumGetObjectId(value);
	}
	SPI_finish();

	if (!OidIsValid(shard))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("this Citus node holds no shard of %s co-located with shard " INT64_FORMAT,
						iq_qualified_table_name(table), shardid),
				 errdetail("Co-located shards are moved together; one may be on its way."),
				 errhint("Try again once the shard move has finished.")));
	return shard;
}

/* How Citus keeps a table, as far as the triggers care. */
typedef struct CitusTable
{
	const char *name;			/* qualified, for messages */
	char		method;			/* pg_dist_partition.partmethod, '\0': not
								 * Citus */
	char		model;			/* repmodel */
	int32		colocation;
	const char *column;			/* the distribution column, or NULL */
} CitusTable;

/* Read while connected to SPI; the strings go to memory, which outlives it. */
static void
read_table(Oid relid, CitusTable *table, MemoryContext memory)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	bool		isnull;

	table->method = '\0';
	table->column = NULL;
	args[0] = ObjectIdGetDatum(relid);
	run_plan(citus_plan(TABLE_PLAN,
						"SELECT d.partmethod, d.repmodel, d.colocationid,"
						" CASE WHEN d.partkey IS NOT NULL"
						"  THEN pg_catalog.column_to_column_name(d.logicalrelid, d.partkey) END"
						" FROM pg_catalog.pg_dist_partition d"
						" WHERE d.logicalrelid OPERATOR(pg_catalog.=) $1",
						1, argtypes),
			 args, 1);
	if (SPI_processed == 1)
	{
		HeapTuple	tuple = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Datum		column;

		table->method = DatumGetChar(SPI_getbinval(tuple, desc, 1, &isnull));
		table->model = DatumGetChar(SPI_getbinval(tuple, desc, 2, &isnull));
		table->colocation = DatumGetInt32(SPI_getbinval(tuple, desc, 3, &isnull));
		column = SPI_getbinval(tuple, desc, 4, &isnull);
		if (!isnull)
			table->column = MemoryContextStrdup(memory, TextDatumGetCString(column));
	}
}

/* "a reference table", "distributed by column id", ... for messages */
static char *
describe(const CitusTable *table)
{
	switch (table->method)
	{
		case '\0':
			return "not a Citus table";
		case 'h':
			return psprintf("distributed by column %s", quote_identifier(table->column));
		case 'n':
			if (table->model == 't')
				return "a reference table";
			if (table->colocation != 0)
				return "a single-shard distributed table";
			return "a Citus local table";
		default:
			return "distributed by append or range";
	}
}

void
iq_check_offer_layout(const char *function, Oid installments, const char *offer_column,
					  Oid offers, const char *offer_key)
{
	MemoryContext memory = CurrentMemoryContext;
	CitusTable	i;
	CitusTable	o;
	bool		colocated;

	if (!iq_citus_installed())
		return;

	i.name = iq_qualified_table_name(installments);
	o.name = iq_qualified_table_name(offers);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	read_table(installments, &i, memory);
	read_table(offers, &o, memory);
	SPI_finish();

	if (i.method == '\0' && o.method == '\0')
		return;
	colocated = i.method == o.method && i.colocation == o.colocation;
	if (colocated && i.method == 'n' && (i.model == 't' || i.colocation != 0) &&
		i.model == o.model)
		return;					/* reference tables, or co-located single
								 * shards */
	if (colocated && i.method == 'h' && strcmp(i.column, offer_column) == 0 &&
		strcmp(o.column, offer_key) == 0)
		return;

	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s cannot read each offer with its installments on one Citus node", function),
			 i.method == 'h' && o.method == 'h' && strcmp(i.column, offer_column) == 0 &&
			 strcmp(o.column, offer_key) == 0 ?
			 errdetail("The installment table %s and the offer table %s are distributed by the offer but not co-located.",
					   i.name, o.name) :
			 errdetail("The installment table %s is %s; the offer table %s is %s.",
					   i.name, describe(&i), o.name, describe(&o)),
			 errhint("Distribute the installment table by column %s and the offer table by column %s, co-located (colocate_with), or make both reference tables.",
					 quote_identifier(offer_column), quote_identifier(offer_key))));
}

int
iq_allow_shard_triggers(void)
{
	int			level = NewGUCNestLevel();

	if (iq_citus_installed())
		(void) set_config_option("citus.enable_unsafe_triggers", "on", PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	return level;
}
