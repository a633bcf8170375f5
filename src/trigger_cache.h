/*
 * trigger_cache.h
 *		The decoded arguments of each trigger, and the queries it runs, kept
 *		for the life of the backend under one invalidation rule.
 */
#ifndef IQFEES_TRIGGER_CACHE_H
#define IQFEES_TRIGGER_CACHE_H

#include "trigger_args.h"

/*
 * The trigger data of this firing and the trigger's decoded arguments.
 * The firing is checked first (iq_trigger_firing).  A decoded trigger is
 * used again only while PostgreSQL has sent no invalidation for any table
 * it involves (the table it is on, the tables its arguments name, the
 * table it was created on) nor for any schema, and while its prepared
 * queries are still valid; the named tables are locked before that test,
 * so nothing can change them between the test and the use.  Otherwise the
 * arguments are decoded again, with every check, and the queries prepared
 * again.
 */
extern IqTriggerInfo *iq_trigger_info(FunctionCallInfo fcinfo,
									  const IqTriggerKind *kind,
									  TriggerData **trigdata);

/*
 * Locks taken while this number stays the same are still held: it moves
 * when a transaction ends or a subtransaction is rolled back.
 */
extern uint64 iq_lock_generation(void);

/*
 * Whether the current user may read tables relid and other (InvalidOid for
 * none) whole, as reading them without a query needs; asked of the
 * catalogs again once the lock generation moves (a GRANT or REVOKE on
 * either invalidates the decoding that holds *known).  Start it zeroed.
 */
typedef struct IqReadRights
{
	uint64		checked_in;		/* the lock generation it was asked in */
	bool		may_read;
} IqReadRights;

extern bool iq_may_read_tables(IqReadRights *known, Oid relid, Oid other);

/* Prepare a query of the decoded trigger, kept as long as the decoding. */
extern void iq_trigger_prepare(IqTriggerInfo *info, int slot, const char *sql,
							   int nargs, Oid *argtypes);

/*
 * Check that the columns SPI returned have the types the decoding expects
 * (types[i] for column i + 1; InvalidOid for any): the C code reads them
 * as those types.  A difference is 42804 naming the trigger and column.
 */
extern void iq_trigger_check_result(const IqTriggerInfo *info, TupleDesc desc,
									int natts, const Oid *types,
									const char *const *names);

/* Register the invalidation callbacks; from _PG_init. */
extern void iq_trigger_cache_init(void);

#endif							/* IQFEES_TRIGGER_CACHE_H */
