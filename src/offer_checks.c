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

/*
 * An offer key in one set, or in the schedule changes of one offer table.
 * Every event looks its offer up, so the entries sit in an open-addressing
 * table: one probe, mostly, and no pointer to chase.
 */
typedef struct MemoKey
{
	Datum		value;
	Oid			offer_relid;	/* InvalidOid in a set of checks */
	int16		typlen;
	bool		typbyval;
} MemoKey;

typedef struct MemoEntry
{
	MemoKey		key;
	uint32		hash;
	CommandId	read_before;	/* checks: the check read all commands before */
	SubTransactionId subid;		/* made or last checked in */
	char		status;			/* simplehash's */
} MemoEntry;

static inline uint32
memo_key_hash(const MemoKey *key)
{
	uint32		hash;

	if (key->typbyval)
	{
		uint64		v = (uint64) key->value;

		hash = hash_combine(murmurhash32((uint32) v), murmurhash32((uint32) (v >> 32)));
	}
	else
		hash = datum_image_hash(key->value, false, key->typlen);
	return hash_combine(hash, key->offer_relid);
}

static inline bool
memo_key_equal(const MemoKey *a, const MemoKey *b)
{
	if (a->offer_relid != b->offer_relid || a->typlen != b->typlen ||
		a->typbyval != b->typbyval)
		return false;
	if (a->typbyval)
		return a->value == b->value;
	return datum_image_eq(a->value, b->value, false, a->typlen);
}

#define SH_PREFIX		memo
#define SH_ELEMENT_TYPE MemoEntry
#define SH_KEY_TYPE		MemoKey
#define SH_KEY			key
#define SH_HASH_KEY(tb, k) memo_key_hash(&(k))
#define SH_EQUAL(tb, a, b) memo_key_equal(&(a), &(b))
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

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
	memo_hash  *offers;
};

static MemoryContext memo_context = NULL;
static HTAB *sets = NULL;		/* IqOfferSet, by identity */
static memo_hash *schedule_changes = NULL;	/* by offer table and key */
static HTAB *table_locks = NULL;	/* TableLocks, by offer table */
static uint64 transaction_count = 1;	/* tells transactions apart */
static SubTransactionId latest_subid = InvalidSubTransactionId;

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
	schedule_changes = memo_create(memo_context, 64, NULL);
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
		set->offers = memo_create(memo_context, 256, NULL);
	}
	cache->transaction = transaction_count;
	cache->set = set;
	return set;
}

static MemoKey
memo_key(Oid offer_relid, const IqOfferKey *key)
{
	MemoKey		k;

	k.value = key->value;
	k.offer_relid = offer_relid;
	k.typlen = key->typlen;
	k.typbyval = key->typbyval;
	return k;
}

/*
 * The entry for key, copied into the memo when new and then marked with
 * the subtransaction it was made in: a rollback of that subtransaction
 * removes it, and an entry made before stays with its older mark.  The
 * entry is valid until the next entry is made or removed.
 */
static MemoEntry *
enter(memo_hash *table, Oid offer_relid, const IqOfferKey *key)
{
	MemoKey		copy = memo_key(offer_relid, key);
	MemoEntry  *entry;
	bool		found;

	entry = memo_lookup(table, copy);
	if (entry != NULL)
		return entry;

	/* the key's copy first: an error after the entry is made would leave it */
	if (!key->typbyval)
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(memo_context);
		Datum		value = key->value;

		/* a copy of its own, never a pointer into TOAST */
		if (key->typlen == -1)
			value = PointerGetDatum(PG_DETOAST_DATUM_PACKED(value));
		copy.value = datumCopy(value, false, key->typlen);
		MemoryContextSwitchTo(oldcxt);
	}
	entry = memo_insert(table, copy, &found);
	Assert(!found);
	entry->read_before = FirstCommandId;	/* nothing read: no change seen */
	entry->subid = GetCurrentSubTransactionId();
	latest_subid = Max(latest_subid, entry->subid);
	return entry;
}

bool
iq_offer_seen(IqOfferSet *set, const IqOfferKey *key, CommandId changed)
{
	MemoEntry  *entry = memo_lookup(set->offers, memo_key(InvalidOid, key));

	return entry != NULL && changed < entry->read_before;
}

/* a check made in a subtransaction that rolls back is forgotten */
void
iq_offer_checked(IqOfferSet *set, const IqOfferKey *key, CommandId read_before)
{
	MemoEntry  *entry = enter(set->offers, InvalidOid, key);

	entry->read_before = read_before;
	entry->subid = GetCurrentSubTransactionId();
	latest_subid = Max(latest_subid, entry->subid);
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
	if (schedule_changes == NULL)
		return false;
	return memo_lookup(schedule_changes, memo_key(offer_relid, key)) != NULL;
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
end_subxact(memo_hash *table, bool commit, SubTransactionId subid, SubTransactionId parent)
{
	memo_iterator iter;
	MemoEntry  *entry;

	/* simplehash lets an iteration remove the entry it is at */
	memo_start_iterate(table, &iter);
	while ((entry = memo_iterate(table, &iter)) != NULL)
	{
		if (entry->subid != subid)
			continue;
		if (commit)
			entry->subid = parent;
		else
			memo_delete_item(table, entry);
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
