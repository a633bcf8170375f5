/*
 * offer_checks.h
 *		What a transaction knows about the offers its triggers have seen:
 *		which offers a check has already read, up to which command, and
 *		which offers' schedules it changed while they were not accepted;
 *		and the lock that makes checks of one offer take turns.
 */
#ifndef IQFEES_OFFER_CHECKS_H
#define IQFEES_OFFER_CHECKS_H

#include "compat.h"

/* An offer key as stored: equal images are the same offer. */
typedef struct IqOfferKey
{
	Datum		value;
	int16		typlen;
	bool		typbyval;
} IqOfferKey;

/*
 * The offers one check (one installment table, offer table and set of
 * columns, named by identity) has done in this transaction.  The set
 * found is valid until the transaction ends; *cache may hold it meanwhile
 * (start it zeroed).
 */
typedef struct IqOfferSet IqOfferSet;

typedef struct IqOfferSetCache
{
	uint64		transaction;	/* which transaction set belongs to */
	IqOfferSet *set;
} IqOfferSetCache;

extern IqOfferSet *iq_offer_set(const char *identity, IqOfferSetCache *cache);

/*
 * true when the last check of the offer in the set read it after the
 * change made by command changed, so that checking again would read the
 * same.  A subtransaction rolled back forgets the checks made in it.
 */
extern bool iq_offer_seen(IqOfferSet *set, const IqOfferKey *key, CommandId changed);

/* A check of the offer read everything before command read_before. */
extern void iq_offer_checked(IqOfferSet *set, const IqOfferKey *key,
							 CommandId read_before);

/*
 * Checks of one offer take turns: before a check reads an offer it takes
 * this transaction-level lock on it, held until the transaction ends.  The
 * locks are advisory locks of iqfees' own classes (pg_locks shows locktype
 * advisory, objsubid IQ_LOCK_CLASS for an offer, IQ_TABLE_LOCK_CLASS for a
 * whole offer table), not row locks, so they never wait for a writer that
 * is still at work: only for another transaction's check.  A transaction
 * that checks many offers of one table trades their locks for one on the
 * whole table, once no other transaction is checking offers of it, so the
 * lock table never fills.
 */
#define IQ_LOCK_CLASS		18769	/* "IQ" */
#define IQ_TABLE_LOCK_CLASS	18770
extern void iq_lock_offer(Oid offer_relid, uint32 key_hash);

/*
 * The freeze trigger notes the offers whose installments this transaction
 * changed while the offer was not accepted; the check at commit refuses
 * the change if another transaction accepted the offer since.
 */
extern void iq_schedule_changed(Oid offer_relid, const IqOfferKey *key);
extern bool iq_schedule_changed_here(Oid offer_relid, const IqOfferKey *key);

/* Register the transaction callbacks; from _PG_init. */
extern void iq_offer_checks_init(void);

#endif							/* IQFEES_OFFER_CHECKS_H */
