/*
 * fee_schedule.h
 *		The AWS IQ fee schedule (table iq_fee_schedule), read once per query.
 */
#ifndef IQFEES_FEE_SCHEDULE_H
#define IQFEES_FEE_SCHEDULE_H

#include "compat.h"

#include "fmgr.h"
#include "utils/date.h"

#include "core/money.h"

/* One schedule row; first and last are the inclusive days it covers. */
typedef struct IqFeeRow
{
	int64		first;
	int64		last;
	IqRate		expert;
	IqRate		buyer;
	Datum		expert_rate;	/* the stored numeric, for iq_charge */
	Datum		buyer_rate;
} IqFeeRow;

typedef struct IqFeeSchedule IqFeeSchedule;

/*
 * The schedule as the current snapshot sees it, for a function fn_oid of
 * the extension (whose schema holds the table).  *cache is where the
 * caller keeps it: it is loaded into a context under parent on first use,
 * and loaded again whenever the snapshot does not see what the one it was
 * read with saw, another user asks, or a transaction ended or a
 * subtransaction was rolled back since (which the snapshot does not
 * show): a query reads the table once, and never sees rows that are not
 * visible to it.
 */
extern IqFeeSchedule *iq_fee_schedule(Oid fn_oid, MemoryContext parent,
									  IqFeeSchedule **cache);

/* The row covering the date, or an error naming the date. */
extern const IqFeeRow *iq_fee_row(IqFeeSchedule *schedule, DateADT approved_on);

#endif							/* IQFEES_FEE_SCHEDULE_H */
