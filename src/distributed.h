/*
 * distributed.h
 *		What iqfees needs to know about Citus, the distributed PostgreSQL:
 *		whether it is installed in this database, which table a shard
 *		belongs to, and which shards and placements this node holds.
 *		Citus is found at run time through its catalogs; nothing here
 *		links to it, and without it every function answers "not
 *		distributed".
 */
#ifndef IQFEES_DISTRIBUTED_H
#define IQFEES_DISTRIBUTED_H

#include "compat.h"

#include "executor/spi.h"

/* true when the Citus extension is installed in this database */
extern bool iq_citus_installed(void);

/*
 * The relation one of iqfees' data tables (iq_fee_schedule,
 * iq_form_1099k_threshold), relid, is read from on this node: the table
 * itself, or this node's placement of it once it is a Citus reference
 * table.  Errors (55000) where a node would read a copy of its own: on a
 * Citus worker while the table is not a reference table, or on one that
 * holds no placement of it.
 */
extern Oid	iq_reference_table_source(Oid relid);

/*
 * The same for the table relname of the extension's schema namespace (the
 * schema its C functions are declared in); 42P01 when it is missing.
 */
extern Oid	iq_extension_table_source(Oid namespace, const char *relname);

/*
 * A query of one of those tables, prepared once per backend for the table
 * it reads (relid, from iq_extension_table_source) and again when that
 * changes, as when the table becomes a Citus reference table.  query has
 * one %s, for the table's qualified name.  *kept starts zeroed.
 */
typedef struct IqTableQuery
{
	SPIPlanPtr	plan;
	Oid			relid;
} IqTableQuery;

extern SPIPlanPtr iq_table_query_plan(IqTableQuery *kept, Oid relid, const char *query,
									  int nargs, Oid *argtypes);

/*
 * The columns such a query returned, checked against the types the code
 * reads, since the table's owner may change them: 42804 naming the column
 * of table; reads says what iqfees reads, for the detail.
 */
extern void iq_table_query_check(TupleDesc desc, const char *table, int ncolumns,
								 const Oid *types, const char *const *columns,
								 const char *reads);

/*
 * When relid is a shard of a Citus table (as the tables a trigger fires on
 * are named on the nodes, "installment_102073"), the table it is a shard
 * of, and the shard's id in *shardid; otherwise InvalidOid.
 */
extern Oid	iq_shard_table(Oid relid, int64 *shardid);

/*
 * The shard of table co-located with shard shardid, as this node holds
 * it; 55000 when this node holds none (a shard being moved).
 */
extern Oid	iq_colocated_shard(int64 shardid, Oid table);

/*
 * A trigger that reads an offer and its installments reads them on the
 * node it fires on, so every offer's rows must be on one node: both
 * tables plain tables, both reference tables, or both distributed by the
 * offer (installments by offer_column, offers by offer_key) and
 * co-located.  Anything else is 0A000 naming function and tables.
 */
extern void iq_check_offer_layout(const char *function, Oid installments,
								  const char *offer_column, Oid offers,
								  const char *offer_key);

/*
 * Citus refuses triggers on its tables unless citus.enable_unsafe_triggers
 * is on.  The set-up functions create triggers that are safe on shards
 * (they read only this node's co-located shards), so they turn it on for
 * their own statements: iq_allow_shard_triggers returns the GUC nest level
 * to end with AtEOXact_GUC(true, level).
 */
extern int	iq_allow_shard_triggers(void);

#endif							/* IQFEES_DISTRIBUTED_H */
