/*
 * index_lookup.c
 *		Finding rows by one column's value through a btree index.
 */
#include "compat.h"

#include "access/nbtree.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_am.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_opfamily.h"
#include "nodes/pg_list.h"
#include "parser/parse_coerce.h"
#include "utils/lsyscache.h"
#include "utils/rls.h"

#include "index_lookup.h"

/* The equality of opfamily for a column of type lefttype and a value. */
static bool
equality_for(Oid opfamily, Oid lefttype, Oid value_type, IqIndexLookup *lookup)
{
	Oid			righttype = value_type;
	Oid			op;

	/*
	 * varchar against a text index, say: the same bits, no operator of its
	 * own
	 */
	if (righttype != lefttype && IsBinaryCoercible(righttype, lefttype))
		righttype = lefttype;
	op = get_opfamily_member(opfamily, lefttype, righttype, BTEqualStrategyNumber);
	if (!OidIsValid(op))
		return false;
	lookup->eqproc = get_opcode(op);
	lookup->subtype = righttype == lefttype ? InvalidOid : righttype;
	return true;
}

void
iq_index_lookup_prepare(IqIndexLookup *lookup, Relation rel, AttrNumber attnum,
						Oid value_type, Oid reader)
{
	List	   *indexes;
	ListCell   *lc;

	lookup->indexoid = InvalidOid;
	if (rel->rd_rel->relkind != RELKIND_RELATION ||
		check_enable_rls(RelationGetRelid(rel), reader, true) == RLS_ENABLED)
		return;

	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		Relation	index = index_open(lfirst_oid(lc), AccessShareLock);
		Form_pg_index form = index->rd_index;

		/* unique in the column alone, at every moment */
		bool		unique = form->indisunique && form->indnkeyatts == 1 &&
		form->indimmediate;
		IqIndexLookup candidate = {0};
		bool		usable;

		usable = index->rd_rel->relam == BTREE_AM_OID && form->indisvalid &&
			form->indisready && form->indislive && form->indkey.values[0] == attnum &&
			RelationGetIndexExpressions(index) == NIL &&
			RelationGetIndexPredicate(index) == NIL &&
			equality_for(index->rd_opfamily[0], index->rd_opcintype[0], value_type,
						 &candidate);
		if (usable && (!OidIsValid(lookup->indexoid) || unique))
		{
			Oid			ge = InvalidOid;

			*lookup = candidate;
			lookup->indexoid = RelationGetRelid(index);
			lookup->collation = index->rd_indcollation[0];
			lookup->unique = unique;

			/* ranges only where the index sorts as the integers do, upwards */
			if (index->rd_opfamily[0] == INTEGER_BTREE_FAM_OID &&
				(index->rd_indoption[0] & INDOPTION_DESC) == 0)
				ge = get_opfamily_member(index->rd_opfamily[0], index->rd_opcintype[0],
										 OidIsValid(candidate.subtype) ?
										 candidate.subtype : index->rd_opcintype[0],
										 BTGreaterEqualStrategyNumber);
			lookup->geproc = OidIsValid(ge) ? get_opcode(ge) : InvalidOid;
		}
		/* the chosen index stays locked, as the tables are */
		index_close(index, usable && OidIsValid(lookup->indexoid) &&
					lookup->indexoid == RelationGetRelid(index) ? NoLock : AccessShareLock);
		if (usable && unique)
			break;
	}
	list_free(indexes);
}

void
iq_index_scan_begin(IqIndexScan *scan, const IqIndexLookup *lookup, Oid relid,
					Snapshot snapshot, Datum value, bool from)
{
	ScanKeyData key;

	Assert(!from || OidIsValid(lookup->geproc));
	/* the scan keeps a copy of the key */
	ScanKeyEntryInitialize(&key, 0, 1,
						   from ? BTGreaterEqualStrategyNumber : BTEqualStrategyNumber,
						   lookup->subtype, lookup->collation,
						   from ? lookup->geproc : lookup->eqproc, value);
	scan->rel = table_open(relid, NoLock);
	scan->index = index_open(lookup->indexoid, NoLock);
	scan->slot = table_slot_create(scan->rel, NULL);
	scan->scan = iq_index_beginscan(scan->rel, scan->index, snapshot, 1, 0);
	index_rescan(scan->scan, &key, 1, NULL, 0);
}

bool
iq_index_scan_next(IqIndexScan *scan)
{
	return index_getnext_slot(scan->scan, ForwardScanDirection, scan->slot);
}

void
iq_index_scan_end(IqIndexScan *scan)
{
	index_endscan(scan->scan);
	ExecDropSingleTupleTableSlot(scan->slot);
	index_close(scan->index, NoLock);
	table_close(scan->rel, NoLock);
}
