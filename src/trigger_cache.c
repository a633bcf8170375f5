/*
 * trigger_cache.c
 *		The backend's cache of decoded triggers and their prepared queries.
 *
 * Decoding a trigger's arguments looks up tables, columns, types and
 * operators, and preparing its queries parses and plans them: too much to
 * do for every row.  So each trigger is decoded once and kept, keyed by the
 * trigger's OID, until something it depends on changes.  The rule is the
 * one PostgreSQL's own foreign-key triggers follow (ri_triggers.c), plus
 * the relcache: lock the tables, then trust the decoding only while no
 * invalidation has arrived for them and its plans are valid.
 *
 * A decoding is made in the firing's memory and moves to the cache once
 * complete, so one that fails leaves nothing behind.  A decoding replaced
 * while a firing of the same trigger further up the stack may still use it
 * (a domain check or a policy can run SQL that fires the trigger again) is
 * freed at the end of the transaction, not at once.
 */
#include "compat.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "trigger_cache.h"

typedef struct CacheEntry
{
	Oid			tgoid;			/* hash key */
	bool		valid;			/* cleared by an invalidation */
	IqTriggerInfo *info;		/* NULL until decoded */
	uint64		locked_in;		/* the lock generation its tables were locked
								 * in */
} CacheEntry;

static HTAB *trigger_cache = NULL;
static MemoryContext cache_context = NULL;

/* decodings replaced in this transaction, freed at its end */
static List *retired = NIL;

/*
 * Locks taken since the generation last moved are still held: it moves
 * when a transaction ends or a subtransaction is rolled back, which is
 * when PostgreSQL releases locks.
 */
static uint64 lock_generation = 1;

static bool
involves(const IqTriggerInfo *info, Oid relid)
{
	if (info->relid == relid || info->installments == relid ||
		info->offers == relid || info->created_on == relid)
		return true;
	for (int i = 0; i < info->nindexes; i++)
		if (info->indexes[i] == relid)
			return true;
	return false;
}

static void
invalidate(Oid relid)
{
	HASH_SEQ_STATUS status;
	CacheEntry *entry;

	if (trigger_cache == NULL)
		return;
	hash_seq_init(&status, trigger_cache);
	/* an entry being decoded (no info yet) may depend on anything */
	while ((entry = hash_seq_search(&status)) != NULL)
		if (entry->info == NULL || !OidIsValid(relid) || involves(entry->info, relid))
			entry->valid = false;
}

static void
relcache_callback(Datum arg pg_attribute_unused(), Oid relid)
{
	invalidate(relid);
}

/* a renamed schema changes what the qualified names in the queries mean */
static void
namespace_callback(Datum arg pg_attribute_unused(), int cacheid pg_attribute_unused(),
				   uint32 hashvalue pg_attribute_unused())
{
	invalidate(InvalidOid);
}

static void
free_info(IqTriggerInfo *info)
{
	for (int i = 0; i < info->nplans; i++)
		if (info->plans[i] != NULL)
			SPI_freeplan(info->plans[i]);
	MemoryContextDelete(info->context);
}

static void
xact_callback(XactEvent event, void *arg pg_attribute_unused())
{
	if (event != XACT_EVENT_COMMIT && event != XACT_EVENT_ABORT &&
		event != XACT_EVENT_PARALLEL_COMMIT && event != XACT_EVENT_PARALLEL_ABORT &&
		event != XACT_EVENT_PREPARE)
		return;
	lock_generation++;
	while (retired != NIL)
	{
		IqTriggerInfo *info = linitial(retired);

		retired = list_delete_first(retired);
		free_info(info);
	}
}

static void
subxact_callback(SubXactEvent event, SubTransactionId subid pg_attribute_unused(),
				 SubTransactionId parent pg_attribute_unused(),
				 void *arg pg_attribute_unused())
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		lock_generation++;
}

void
iq_trigger_cache_init(void)
{
	HASHCTL		ctl;

	cache_context = AllocSetContextCreate(CacheMemoryContext, "iqfees triggers",
										  ALLOCSET_DEFAULT_SIZES);
	ctl.keysize = sizeof(Oid);
	ctl.entrysize = sizeof(CacheEntry);
	ctl.hcxt = cache_context;
	trigger_cache = hash_create("iqfees decoded triggers", 16, &ctl,
								HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	CacheRegisterRelcacheCallback(relcache_callback, (Datum) 0);
	CacheRegisterSyscacheCallback(NAMESPACEOID, namespace_callback, (Datum) 0);
	RegisterXactCallback(xact_callback, NULL);
	RegisterSubXactCallback(subxact_callback, NULL);
}

/* Lock the tables the arguments name, unless still locked from before. */
static void
lock_tables(CacheEntry *entry)
{
	if (entry->locked_in == lock_generation)
		return;
	if (OidIsValid(entry->info->installments))
		LockRelationOid(entry->info->installments, AccessShareLock);
	if (OidIsValid(entry->info->offers))
		LockRelationOid(entry->info->offers, AccessShareLock);
	for (int i = 0; i < entry->info->nindexes; i++)
		LockRelationOid(entry->info->indexes[i], AccessShareLock);
	entry->locked_in = lock_generation;
}

static bool
plans_valid(const IqTriggerInfo *info)
{
	for (int i = 0; i < info->nplans; i++)
		if (info->plans[i] == NULL || !SPI_plan_is_valid(info->plans[i]))
			return false;
	return true;
}

IqTriggerInfo *
iq_trigger_info(FunctionCallInfo fcinfo, const IqTriggerKind *kind,
				TriggerData **trigdata_out)
{
	TriggerData *trigdata = iq_trigger_firing(fcinfo, kind);
	Trigger    *trigger = trigdata->tg_trigger;
	CacheEntry *entry = fcinfo->flinfo->fn_extra;
	IqTriggerInfo *info;
	bool		found;

	*trigdata_out = trigdata;
	if (entry == NULL || entry->tgoid != trigger->tgoid)
	{
		entry = hash_search(trigger_cache, &trigger->tgoid, HASH_ENTER, &found);
		if (!found)
		{
			entry->valid = false;
			entry->info = NULL;
			entry->locked_in = 0;
		}
		/* entries are never removed, so the pointer stays good */
		fcinfo->flinfo->fn_extra = entry;
	}

	if (entry->info != NULL)
	{
		MemoryContext oldcxt;

		lock_tables(entry);
		if (entry->valid && plans_valid(entry->info))
			return entry->info;
		oldcxt = MemoryContextSwitchTo(TopMemoryContext);
		retired = lappend(retired, entry->info);
		MemoryContextSwitchTo(oldcxt);
		entry->info = NULL;
	}

	/*
	 * Decode again.  An invalidation arriving meanwhile clears valid, and the
	 * next firing decodes once more; a decoding that fails leaves no info
	 * behind.
	 */
	entry->valid = true;
	info = iq_decode_trigger(kind, trigdata->tg_relation, trigger->tgname,
							 trigger->tgoid, trigger->tgnargs, trigger->tgargs,
							 false, CurrentMemoryContext);
	MemoryContextSetParent(info->context, cache_context);
	entry->info = info;
	entry->locked_in = lock_generation; /* decoding locked them */
	return info;
}

uint64
iq_lock_generation(void)
{
	return lock_generation;
}

bool
iq_may_read_tables(IqReadRights *known, Oid relid, Oid other)
{
	if (known->checked_in != lock_generation)
	{
		known->may_read =
			pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK &&
			(!OidIsValid(other) ||
			 pg_class_aclcheck(other, GetUserId(), ACL_SELECT) == ACLCHECK_OK);
		known->checked_in = lock_generation;
	}
	return known->may_read;
}

void
iq_trigger_prepare(IqTriggerInfo *info, int slot, const char *sql, int nargs,
				   Oid *argtypes)
{
	SPIPlanPtr	plan;

	Assert(slot < IQ_MAX_PLANS);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = SPI_prepare(sql, nargs, argtypes);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
			 SPI_result_code_string(SPI_result));
	SPI_keepplan(plan);
	SPI_finish();
	info->plans[slot] = plan;
	info->nplans = Max(info->nplans, slot + 1);
}

void
iq_trigger_check_result(const IqTriggerInfo *info, TupleDesc desc, int natts,
						const Oid *types, const char *const *names)
{
	if (desc->natts != natts)
		elog(ERROR, "query of trigger \"%s\" returned %d columns, expected %d",
			 info->tgname, desc->natts, natts);
	for (int i = 0; i < natts; i++)
	{
		Oid			type = TupleDescAttr(desc, i)->atttypid;

		if (OidIsValid(types[i]) && type != types[i])
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" read by trigger \"%s\" on %s is of type %s, not %s",
							names[i], info->tgname, info->relname,
							format_type_be(type), format_type_be(types[i])),
					 errdetail("The column's type changed while the trigger's query was in use.")));
	}
}
