/*
 * fee_schedule.c
 *		Loading and searching the fee schedule.
 *
 * The table is small and read-mostly, while pricing runs once per row of
 * often very large queries.  So the rows are read with one SPI query into a
 * sorted array that lives as long as the calling expression, and every
 * lookup after that is a binary search.  On a Citus node the rows are read
 * from this node's placement of the table (distributed.c).
 */
#include "compat.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "calendar.h"
#include "distributed.h"
#include "fee_schedule.h"
#include "money.h"
#include "trigger_cache.h"
#include "trigger_args.h"		/* iq_qualified_table_name */

struct IqFeeSchedule
{
	MemoryContext context;		/* holds this struct and the rate datums */

	/*
	 * What decides what the snapshot the rows were read with sees: the
	 * transactions it counts as running and this transaction's command. (Its
	 * count of ended transactions would say as much, but a copied snapshot,
	 * as the active one is, does not keep it.)
	 */
	TransactionId xmin;
	TransactionId xmax;
	CommandId	curcid;
	uint32		xcnt;
	int32		subxcnt;
	bool		suboverflowed;
	bool		takenDuringRecovery;
	TransactionId *xip;
	TransactionId *subxip;

	/*
	 * What a snapshot sees also depends on which transaction holds it, which
	 * the snapshot does not say: this transaction's own changes are seen by
	 * command, and its own xid is in no snapshot's list of running ones.  So
	 * a schedule read in one transaction is not used in the next, and rows a
	 * rolled-back subtransaction wrote disappear without changing the
	 * snapshot (in REPEATABLE READ the same snapshot is used again): the lock
	 * generation (trigger_cache.c) moves at both.
	 */
	uint64		generation;
	Oid			userid;			/* who read it: rights and policies apply */

	int			nrows;
	int			hit;			/* the row found last, for large schedules */
	IqFeeRow	rows[FLEXIBLE_ARRAY_MEMBER];
};

static IqTableQuery schedule_query;


#define SCHEDULE_QUERY \
	"SELECT pg_catalog.lower(effective), pg_catalog.upper(effective)," \
	" pg_catalog.lower_inc(effective), pg_catalog.upper_inc(effective)," \
	" pg_catalog.lower_inf(effective), pg_catalog.upper_inf(effective)," \
	" expert_fee_rate, buyer_fee_rate, effective::pg_catalog.text" \
	" FROM %s WHERE NOT pg_catalog.isempty(effective)"

static TransactionId *
copy_xids(MemoryContext context, const TransactionId *xids, int n)
{
	TransactionId *copy;

	if (n <= 0)
		return NULL;
	copy = MemoryContextAlloc(context, sizeof(TransactionId) * n);
	memcpy(copy, xids, sizeof(TransactionId) * n);
	return copy;
}

static void
snapshot_key(Snapshot snapshot, IqFeeSchedule *schedule)
{
	schedule->xmin = snapshot->xmin;
	schedule->xmax = snapshot->xmax;
	schedule->curcid = snapshot->curcid;
	schedule->xcnt = snapshot->xcnt;
	schedule->subxcnt = snapshot->subxcnt;
	schedule->suboverflowed = snapshot->suboverflowed;
	schedule->takenDuringRecovery = snapshot->takenDuringRecovery;
	schedule->xip = copy_xids(schedule->context, snapshot->xip, snapshot->xcnt);
	schedule->subxip = copy_xids(schedule->context, snapshot->subxip, snapshot->subxcnt);
	schedule->generation = iq_lock_generation();
	schedule->userid = GetUserId();
}

/*
 * Whether snapshot sees what the schedule's did.  Two snapshots with the
 * same fields and transactions see the same rows; the same transactions
 * listed in another order only make the schedule be read again.
 */
static bool
snapshot_matches(Snapshot snapshot, const IqFeeSchedule *schedule)
{
	return schedule->xmin == snapshot->xmin &&
		schedule->xmax == snapshot->xmax &&
		schedule->curcid == snapshot->curcid &&
		schedule->generation == iq_lock_generation() &&
		schedule->userid == GetUserId() &&
		schedule->xcnt == snapshot->xcnt &&
		schedule->subxcnt == snapshot->subxcnt &&
		schedule->suboverflowed == snapshot->suboverflowed &&
		schedule->takenDuringRecovery == snapshot->takenDuringRecovery &&
		(snapshot->xcnt == 0 ||
		 memcmp(schedule->xip, snapshot->xip, sizeof(TransactionId) * snapshot->xcnt) == 0) &&
		(snapshot->subxcnt <= 0 ||
		 memcmp(schedule->subxip, snapshot->subxip,
				sizeof(TransactionId) * snapshot->subxcnt) == 0);
}

/* the query's columns, as the code below reads them */
static const Oid schedule_types[] = {
	DATEOID, DATEOID, BOOLOID, BOOLOID, BOOLOID, BOOLOID, NUMERICOID, NUMERICOID, TEXTOID
};
static const char *const schedule_columns[] = {
	"effective", "effective", "effective", "effective", "effective", "effective",
	"expert_fee_rate", "buyer_fee_rate", "effective"
};

static int
row_cmp(const void *a, const void *b)
{
	const IqFeeRow *ra = a;
	const IqFeeRow *rb = b;

	return (ra->first > rb->first) - (ra->first < rb->first);
}

static void
schedule_row_context(void *arg)
{
	errcontext("fee schedule row %s", (const char *) arg);
}

static int64
bound_day(bool isnull, Datum value, bool inclusive, bool infinite, int64 unbounded,
		  int step)
{
	if (isnull || infinite)
		return unbounded;
	return (int64) DatumGetDateADT(value) + (inclusive ? 0 : step);
}

static IqFeeSchedule *
load_schedule(Oid fn_oid, MemoryContext parent, Snapshot snapshot)
{
	Oid			relid = iq_extension_table_source(get_func_namespace(fn_oid), "iq_fee_schedule");
	SPIPlanPtr	plan;
	IqFeeSchedule *schedule;
	MemoryContext context;
	int			ret;

	/*
	 * Made in the caller's memory and moved under parent once complete, so
	 * that a load that fails leaves nothing behind in a long-lived parent.
	 */
	context = AllocSetContextCreate(CurrentMemoryContext, "iqfees fee schedule",
									ALLOCSET_SMALL_SIZES);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = iq_table_query_plan(&schedule_query, relid, SCHEDULE_QUERY, 0, NULL);
	ret = SPI_execute_plan(plan, NULL, NULL, true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
	iq_table_query_check(SPI_tuptable->tupdesc, "iq_fee_schedule", lengthof(schedule_types),
						 schedule_types, schedule_columns,
						 "effective as daterange and the rates as numeric");

	schedule = MemoryContextAllocZero(context, offsetof(IqFeeSchedule, rows) +
									  SPI_processed * sizeof(IqFeeRow));
	schedule->context = context;
	snapshot_key(snapshot, schedule);

	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		IqFeeRow   *row = &schedule->rows[schedule->nrows];
		Datum		values[9];
		bool		nulls[9];
		ErrorContextCallback errcallback;

		heap_deform_tuple(tuple, desc, values, nulls);
		errcallback.callback = schedule_row_context;
		errcallback.arg = TextDatumGetCString(values[8]);
		errcallback.previous = error_context_stack;
		error_context_stack = &errcallback;

		if (nulls[6] || nulls[7])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("fee schedule row %s has no rate", (char *) errcallback.arg)));
		iq_numeric_to_rate(values[6], "expert_fee_rate", &row->expert);
		iq_numeric_to_rate(values[7], "buyer_fee_rate", &row->buyer);
		{
			MemoryContext oldcxt = MemoryContextSwitchTo(context);

			row->expert_rate = datumCopy(values[6], false, -1);
			row->buyer_rate = datumCopy(values[7], false, -1);
			MemoryContextSwitchTo(oldcxt);
		}
		row->first = bound_day(nulls[0], values[0], DatumGetBool(values[2]),
							   DatumGetBool(values[4]), PG_INT32_MIN, 1);
		row->last = bound_day(nulls[1], values[1], DatumGetBool(values[3]),
							  DatumGetBool(values[5]), PG_INT32_MAX, -1);
		error_context_stack = errcallback.previous;

		/* a range such as (infinity,) holds no date at all */
		if (row->first <= row->last)
			schedule->nrows++;
	}
	SPI_finish();

	/*
	 * the exclusion constraint forbids overlaps; a dropped one must not make
	 * the answer depend on the row order
	 */
	qsort(schedule->rows, schedule->nrows, sizeof(IqFeeRow), row_cmp);
	for (int i = 1; i < schedule->nrows; i++)
		if (schedule->rows[i].first <= schedule->rows[i - 1].last)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("fee schedule rows overlap"),
					 errdetail("More than one row of iq_fee_schedule covers %s.",
							   iq_date_to_cstring((DateADT) schedule->rows[i].first)),
					 errhint("Restore the exclusion constraint on iq_fee_schedule.effective.")));
	MemoryContextSetParent(context, parent);
	return schedule;
}

IqFeeSchedule *
iq_fee_schedule(Oid fn_oid, MemoryContext parent, IqFeeSchedule **cache)
{
	bool		pushed = false;
	Snapshot	snapshot;

	if (!ActiveSnapshotSet())
	{
		PushActiveSnapshot(GetTransactionSnapshot());
		pushed = true;
	}
	snapshot = GetActiveSnapshot();

	if (*cache == NULL || !snapshot_matches(snapshot, *cache))
	{
		if (*cache != NULL)
			MemoryContextDelete((*cache)->context);
		*cache = NULL;			/* stay consistent if loading fails */
		*cache = load_schedule(fn_oid, parent, snapshot);
	}

	if (pushed)
		PopActiveSnapshot();
	return *cache;
}

/*
 * A schedule this small is searched by counting the rows that start on or
 * before the date: no branch depends on the date, so requests in random
 * date order cost what sorted ones do.  The shipped schedule has 3 rows.
 */
#define SMALL_SCHEDULE_ROWS		8

const IqFeeRow *
iq_fee_row(IqFeeSchedule *schedule, DateADT approved_on)
{
	int			candidate;		/* the last row starting on or before the date */

	if (schedule->nrows <= SMALL_SCHEDULE_ROWS)
	{
		int			starting = 0;

		for (int i = 0; i < schedule->nrows; i++)
			starting += schedule->rows[i].first <= approved_on;
		candidate = starting - 1;
	}
	else
	{
		const IqFeeRow *row = &schedule->rows[schedule->hit];
		int			lo = 0;
		int			hi = schedule->nrows - 1;

		if (row->first <= approved_on && approved_on <= row->last)
			return row;
		while (lo <= hi)
		{
			int			mid = lo + (hi - lo) / 2;

			if (schedule->rows[mid].first <= approved_on)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
		candidate = hi;
	}
	Assert(candidate < schedule->nrows);
	if (candidate >= 0 && approved_on <= schedule->rows[candidate].last)
	{
		schedule->hit = candidate;
		return &schedule->rows[candidate];
	}

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("no fee schedule row covers approval date %s",
					iq_date_to_cstring(approved_on)),
			 errhint("Add a row to iq_fee_schedule whose effective range contains this date.")));
	return NULL;				/* keep compiler quiet */
}
