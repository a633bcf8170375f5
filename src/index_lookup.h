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
 * Scan index (of rel) for rows equal to value under snapshot; fetch them
 * with index_getnext_slot and end with index_endscan.
 */
extern IndexScanDesc iq_index_lookup_begin(const IqIndexLookup *lookup,
										   Relation rel, Relation index,
										   Snapshot snapshot, Datum value,
										   ScanKey key);

/*
 * The same for rows whose column is value or more, in ascending integer
 * order.  Only for lookups with a geproc: indexes in ascending order of
 * PostgreSQL's integer operator family.
 */
extern IndexScanDesc iq_index_lookup_from(const IqIndexLookup *lookup,
										  Relation rel, Relation index,
										  Snapshot snapshot, Datum value,
										  ScanKey key);

#endif							/* IQFEES_INDEX_LOOKUP_H */
