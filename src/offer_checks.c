/*
 * offer_checks.c
 *		The offers a transaction's triggers have checked or changed.
 *
 * Everything here lives in the transaction's memory and goes with it.  A
 * subtransaction that is rolled back takes its entries along: a check made
 * inside it read rows that no longer exist, and a schedule changed inside
 * it was changed back.  Entries made in a subtransaction that commits
 * become its parent's.
 */
#include "compat.h"

#include "access/xact.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "fmgr.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "offer_checks.h"

typedef struct OfferEntry
{
	IqOfferKey	key;			/* hash key */
	Oid			offer_relid;	/* hash key of the schedule changes */
	CommandId	read_before;	/* checks: the check read all commands before */
	SubTransactionId subid;		/* made or last changed in */
} OfferEntry;

/* The offer locks a transaction holds on one offer table. */
typedef struct TableLocks
{
	Oid			relid;			/* hash key */
	int			offers;			/* offer locks taken */
	bool		whole_table;	/* holds the table's exclusive lock */
	SubTransactionId subid;		/* where whole_table was taken */
} TableLocks;

struct IqOfferSet
{
	char	   *identity;		/* hash key */
	HTAB	   *offers;
};

static MemoryContext memo_context = NULL;
static HTAB *sets = NULL;		/* IqOfferSet, by identity */
static HTAB *schedule_changes = NULL;	/* OfferEntry, by offer table and key */
static HTAB *table_locks = NULL;	/* TableLocks, by offer table */
static uint64 transaction_count = 1;	/* tells transactions apart */
static SubTransactionId latest_subid = InvalidSubTransactionId;

static uint32
offer_hash(const void *key, Size keysize pg_attribute_unused())
{
	const OfferEntry *e = key;

	return hash_combine(datum_image_hash(e->key.value, e->key.typbyval, e->key.typlen),
						e->offer_relid);
}

static int
offer_match(const void *a, const void *b, Size keysize pg_attribute_unused())
{
	const OfferEntry *ea = a;
	const OfferEntry *eb = b;

	return ea->offer_relid == eb->offer_relid &&
		ea->key.typlen == eb->key.typlen && ea->key.typbyval == eb->key.typbyval &&
		datum_image_eq(ea->key.value, eb->key.value, ea->key.typbyval,
					   ea->key.typlen) ? 0 : 1;
}

static uint32
identity_hash(const void *key, Size keysize pg_attribute_unused())
{
	const char *s = *(const char *const *) key;

	return hash_bytes((const unsigned char *) s, strlen(s));
}

static int
identity_match(const void *a, const void *b, Size keysize pg_attribute_unused())
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static HTAB *
offer_table(const char *name)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(OfferEntry);
	ctl.entrysize = sizeof(OfferEntry);
	ctl.hash = offer_hash;
	ctl.match = offer_match;
	ctl.hcxt = memo_context;
	return hash_create(name, 256, &ctl,
					   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

/* The memo of this transaction, made on first use. */
static void
ensure_memo(void)
{
	HASHCTL		ctl;

	if (memo_context != NULL)
		return;
	memo_context = AllocSetContextCreate(TopTransactionContext, "iqfees offer checks",
										 ALLOCSET_DEFAULT_SIZES);
	ctl.keysize = sizeof(char *);
	ctl.entrysize = sizeof(IqOfferSet);
	ctl.hash = identity_hash;
	ctl.match = identity_match;
	ctl.hcxt = memo_context;
	sets = hash_create("iqfees checks", 4, &ctl,
					   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	schedule_changes = offer_table("iqfees schedule changes");
	ctl.keysize = sizeof(Oid);
	ctl.entrysize = sizeof(TableLocks);
	ctl.hcxt = memo_context;
	table_locks = hash_create("iqfees offer locks", 4, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

IqOfferSet *
iq_offer_set(const char *identity, IqOfferSetCache *cache)
{
	IqOfferSet *set;
	bool		found;

	if (cache->transaction == transaction_count && cache->set != NULL)
		return cache->set;
	ensure_memo();
	set = hash_search(sets, &identity, HASH_ENTER, &found);
	if (!found)
	{
		set->identity = MemoryContextStrdup(memo_context, identity);
		set->offers = offer_table("iqfees checked offers");
	}
	cache->transaction = transaction_count;
	cache->set = set;
	return set;
}

/*
 * The entry for key, copied into the memo when new and then marked with
 * the subtransaction it was made in: a rollback of that subtransaction
 * removes it, and an entry made before stays with its older mark.
 */
static OfferEntry *
enter(HTAB *table, Oid offer_relid, const IqOfferKey *key)
{
	OfferEntry	probe;
	OfferEntry *entry;
	bool		found;

	probe.key = *key;
	probe.offer_relid = offer_relid;
	entry = hash_search(table, &probe, HASH_ENTER, &found);
	if (found)
		return entry;
	if (!key->typbyval)
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(memo_context);
		Datum		value = key->value;

		/* a copy of its own, never a pointer into TOAST */
		if (key->typlen == -1)
			value = PointerGetDatum(PG_DETOAST_DATUM_PACKED(value));
		entry->key.value = datumCopy(value, false, key->typlen);
		MemoryContextSwitchTo(oldcxt);
	}
	entry->read_before = FirstCommandId;	/* nothing read: no change seen */
	entry->subid = GetCurrentSubTransactionId();
	latest_subid = Max(latest_subid, entry->subid);
	return entry;
}

IqOfferMemo *
iq_offer_memo(IqOfferSet *set, const IqOfferKey *key)
{
	return enter(set->offers, InvalidOid, key);
}

bool
iq_offer_seen(const IqOfferMemo *memo, CommandId changed)
{
	return changed < memo->read_before;
}

/* a check made in a subtransaction that rolls back is forgotten */
void
iq_offer_checked(IqOfferMemo *memo, CommandId read_before)
{
	memo->read_before = read_before;
	memo->subid = GetCurrentSubTransactionId();
	latest_subid = Max(latest_subid, memo->subid);
}

void
iq_schedule_changed(Oid offer_relid, const IqOfferKey *key)
{
	ensure_memo();
	(void) enter(schedule_changes, offer_relid, key);
}

bool
iq_schedule_changed_here(Oid offer_relid, const IqOfferKey *key)
{
	OfferEntry	probe;

	if (schedule_changes == NULL)
		return false;
	probe.key = *key;
	probe.offer_relid = offer_relid;
	return hash_search(schedule_changes, &probe, HASH_FIND, NULL) != NULL;
}

/*
 * Every check holds a shared lock on its offer table and an exclusive one
 * on its offer.  After every ESCALATE_EVERY offers of a table, the
 * transaction tries for the table's exclusive lock, without waiting: it is
 * granted once no other transaction is checking offers of that table, and
 * then covers all of them.  Never waiting for it keeps two transactions
 * that each hold offer locks from waiting for each other's table lock.
 */
#define ESCALATE_EVERY	64

static void
set_table_tag(LOCKTAG *tag, Oid relid)
{
	SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, relid, 0, IQ_TABLE_LOCK_CLASS);
}

void
iq_lock_offer(Oid offer_relid, uint32 key_hash)
{
	LOCKTAG		tag;
	TableLocks *locks;
	bool		found;

	ensure_memo();
	locks = hash_search(table_locks, &offer_relid, HASH_ENTER, &found);
	if (!found)
	{
		locks->offers = 0;
		locks->whole_table = false;
	}

	set_table_tag(&tag, offer_relid);
	(void) LockAcquire(&tag, RowShareLock, false, false);
	if (locks->whole_table)
		return;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, offer_relid, key_hash, IQ_LOCK_CLASS);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);

	if (++locks->offers % ESCALATE_EVERY == 0)
	{
		set_table_tag(&tag, offer_relid);
		if (LockAcquire(&tag, ExclusiveLock, false, true) != LOCKACQUIRE_NOT_AVAIL)
		{
			locks->whole_table = true;
			locks->subid = GetCurrentSubTransactionId();
			latest_subid = Max(latest_subid, locks->subid);
		}
	}
}

/* A subtransaction ends: drop its entries, or hand them to its parent. */
static void
end_subxact(HTAB *table, bool commit, SubTransactionId subid, SubTransactionId parent)
{
	HASH_SEQ_STATUS status;
	OfferEntry *entry;

	hash_seq_init(&status, table);
	while ((entry = hash_seq_search(&status)) != NULL)
	{
		if (entry->subid != subid)
			continue;
		if (commit)
			entry->subid = parent;
		else
			hash_search(table, entry, HASH_REMOVE, NULL);
	}
}

static void
subxact_callback(SubXactEvent event, SubTransactionId subid,
				 SubTransactionId parent, void *arg pg_attribute_unused())
{
	HASH_SEQ_STATUS status;
	IqOfferSet *set;
	TableLocks *locks;
	bool		commit = (event == SUBXACT_EVENT_COMMIT_SUB);

	if ((event != SUBXACT_EVENT_COMMIT_SUB && event != SUBXACT_EVENT_ABORT_SUB) ||
		memo_context == NULL || latest_subid < subid)
		return;					/* nothing was noted in it */

	end_subxact(schedule_changes, commit, subid, parent);
	hash_seq_init(&status, sets);
	while ((set = hash_seq_search(&status)) != NULL)
		end_subxact(set->offers, commit, subid, parent);

	/* a rolled-back subtransaction's locks are released with it */
	hash_seq_init(&status, table_locks);
	while ((locks = hash_seq_search(&status)) != NULL)
		if (locks->whole_table && locks->subid == subid)
		{
			locks->whole_table = commit;
			locks->subid = parent;
		}
	/* every entry left belongs to the parent or to one of its ancestors */
	latest_subid = parent;
}

static void
xact_callback(XactEvent event, void *arg pg_attribute_unused())
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			/* the memory goes with TopTransactionContext */
			memo_context = NULL;
			sets = NULL;
			schedule_changes = NULL;
			table_locks = NULL;
			latest_subid = InvalidSubTransactionId;
			transaction_count++;
			break;
		default:
			break;
	}
}

void
iq_offer_checks_init(void)
{
	RegisterXactCallback(xact_callback, NULL);
	RegisterSubXactCallback(subxact_callback, NULL);
}
