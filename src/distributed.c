/*
 * distributed.c
 *		Citus, found at run time through its catalogs.
 *
 * Citus splits a table into shards, each a table of its own named after it
 * ("installment_102073"), and keeps a placement of a reference table on
 * every node.  Queries are pushed down to the nodes as queries on shards,
 * and a query on a shard may not query a distributed table in turn.  So
 * what iqfees reads where it runs (the fee schedule) it reads from this
 * node's own placement, which these functions find in Citus's metadata
 * tables (pg_dist_partition, pg_dist_shard, pg_dist_placement,
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
#include "utils/lsyscache.h"

#include "distributed.h"

bool
iq_citus_installed(void)
{
	return OidIsValid(get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE));
}

enum
{
	SOURCE_PLAN,
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
iq_fee_schedule_source(Oid relid)
{
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

	/* the coordinator is group 0: its own table is the schedule until distributed */
	if (!distributed && group != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the fee schedule is not distributed to the Citus nodes"),
				 errdetail("This node is a Citus worker, whose own copy of iq_fee_schedule is not the coordinator's."),
				 errhint("On the coordinator, run SELECT iq_distribute_fee_schedule().")));
	if (!distributed)
		return relid;
	if (!reference)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("iq_fee_schedule is distributed but is not a Citus reference table"),
				 errdetail("Every node prices with the whole schedule, so every node needs all of it."),
				 errhint("Undistribute it (undistribute_table), then run SELECT iq_distribute_fee_schedule().")));
	if (OidIsValid(placement))
		return placement;
	/* a coordinator without a placement reads one elsewhere through Citus */
	if (group == 0)
		return relid;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("this Citus node holds no copy of the fee schedule"),
			 errhint("On the coordinator, run SELECT replicate_reference_tables().")));
	return InvalidOid;			/* keep compiler quiet */
}
