/*
 * fee_schedule.h
 *		The AWS IQ fee schedule (table iq_fee_schedule), read once per query.
 */
#ifndef IQFEES_FEE_SCHEDULE_H
#define IQFEES_FEE_SCHEDULE_H

#include "compat.h"

#include "fmgr.h"
#include "utils/date.h"

#include "money.h"

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
 * The schedule as the current snapshot sees it.  *cache is where the caller
 * keeps it (normally inside fn_extra); it is loaded into flinfo->fn_mcxt on
 * first use and loaded again only when the snapshot has changed since, so a
 * query reads the table once and still sees changes made before it.
 */
extern IqFeeSchedule *iq_fee_schedule(FmgrInfo *flinfo, IqFeeSchedule **cache);

/* The row covering the date, or an error naming the date. */
extern const IqFeeRow *iq_fee_row(IqFeeSchedule *schedule, DateADT approved_on);

#endif							/* IQFEES_FEE_SCHEDULE_H */
