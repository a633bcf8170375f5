/*
 * index_lookup.h
 *		Finding a table's rows by one column's value through a btree index,
 *		without a query: what the installment triggers do for every offer
 *		they check, where a prepared query's executor start-up would cost
 *		more than the lookup itself.
 */
#ifndef IQFEES_INDEX_LOOKUP_H
#define IQFEES_INDEX_LOOKUP_H

#include "compat.h"

#include "access/genam.h"
#include "access/skey.h"
#include "executor/tuptable.h"
#include "utils/rel.h"
#include "utils/snapshot.h"

typedef struct IqIndexLookup
{
	Oid			indexoid;		/* InvalidOid: look rows up with a query */
	Oid			subtype;		/* the value's type, when the index's differs */
	RegProcedure eqproc;
	RegProcedure geproc;		/* InvalidOid: no range scans */
	Oid			collation;
	bool		unique;			/* one row per value, at every moment */
} IqIndexLookup;

/*
 * Choose how rows of rel whose column attnum equals a value of value_type
 * are found: a valid btree index of rel with attnum as its first column,
 * no expressions and no predicate, whose operator family compares that
 * type (a unique one if there is one).  None is chosen (indexoid is
 * InvalidOid) where reading the table directly would skip something a
 * query applies: a partitioned table, row-level security for reader.
 * The index chosen is locked AccessShareLock, like the table.
 */
extern void iq_index_lookup_prepare(IqIndexLookup *lookup, Relation rel,
									AttrNumber attnum, Oid value_type,
									Oid reader);

/*
 * A scan through a lookup's index, its rows coming into slot one at a
 * time (iq_index_scan_next) until iq_index_scan_end.
 */
typedef struct IqIndexScan
{
	Relation	rel;
	Relation	index;
	TupleTableSlot *slot;
	IndexScanDesc scan;
} IqIndexScan;

/*
 * Scan relid under snapshot for rows whose column equals value; or, with
 * from, whose column is value or more, in ascending integer order (only
 * for lookups with a geproc: indexes in ascending order of PostgreSQL's
 * integer operator family).  The table and the index must be locked.
 */
extern void iq_index_scan_begin(IqIndexScan *scan, const IqIndexLookup *lookup, Oid relid,
								Snapshot snapshot, Datum value, bool from);
extern bool iq_index_scan_next(IqIndexScan *scan);
extern void iq_index_scan_end(IqIndexScan *scan);

#endif							/* IQFEES_INDEX_LOOKUP_H */
