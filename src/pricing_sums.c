/*
 * pricing_sums.c
 *		The pricing aggregates, each request priced with the fee schedule
 *		row of its own approval date: iq_payout_sum(amount, approved_on),
 *		what the experts are paid, and iq_charge_sum(amount, approved_on),
 *		every figure at once.
 *
 * Sums of cents are kept in 128 bits, which no number of rows of at most
 * 999999999999999.99 each can overflow in practice (2^127 cents is more
 * than 10^21 such rows).  Both aggregates have combine functions and are
 * parallel safe.
 */
#include "compat.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "money.h"
#include "pricing.h"

/*
 * PostgreSQL's int128, unlike a bare __int128, is declared with the
 * alignment palloc gives, so the compiler never assumes more.
 */
typedef struct CentsSum
{
	int128		total;
} CentsSum;

/* the transition function's state in fn_extra: the schedule, read once */
typedef struct PayoutSumCache
{
	IqFeeSchedule *schedule;
} PayoutSumCache;

static MemoryContext
aggregate_context(FunctionCallInfo fcinfo, const char *funcname)
{
	MemoryContext context;

	if (!AggCheckCallContext(fcinfo, &context))
		elog(ERROR, "%s called in non-aggregate context", funcname);
	return context;
}

static CentsSum *
new_sum(MemoryContext context, int128 total)
{
	CentsSum   *sum = MemoryContextAlloc(context, sizeof(CentsSum));

	sum->total = total;
	return sum;
}

/*
 * iq_payout_sum_step(state, amount, approved_on).  A row without an
 * approval date is a request not approved yet, and a row without an amount
 * has nothing to pay: both are skipped, as sum() skips NULLs.
 */
PG_FUNCTION_INFO_V1(iq_payout_sum_step);
Datum
iq_payout_sum_step(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "iq_payout_sum_step");
	CentsSum   *sum = PG_ARGISNULL(0) ? NULL : (CentsSum *) PG_GETARG_POINTER(0);
	PayoutSumCache *cache = fcinfo->flinfo->fn_extra;
	IqPrice		price;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (sum == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(sum);
	}

	if (cache == NULL)
		fcinfo->flinfo->fn_extra = cache =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PayoutSumCache));
	iq_price_request(iq_fee_schedule(fcinfo->flinfo->fn_oid, fcinfo->flinfo->fn_mcxt,
											  &cache->schedule),
					 PG_GETARG_DATUM(1), PG_GETARG_DATEADT(2), &price);

	if (sum == NULL)
		sum = new_sum(context, 0);
	sum->total += price.expert_payout;
	PG_RETURN_POINTER(sum);
}

PG_FUNCTION_INFO_V1(iq_cents_sum_combine);
Datum
iq_cents_sum_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "iq_cents_sum_combine");
	CentsSum   *a = PG_ARGISNULL(0) ? NULL : (CentsSum *) PG_GETARG_POINTER(0);
	CentsSum   *b = PG_ARGISNULL(1) ? NULL : (CentsSum *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	/* the result must live in the aggregate's context, not b's */
	if (a == NULL)
		PG_RETURN_POINTER(new_sum(context, b->total));
	a->total += b->total;
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(iq_cents_sum_serialize);
Datum
iq_cents_sum_serialize(PG_FUNCTION_ARGS)
{
	CentsSum   *sum = (CentsSum *) PG_GETARG_POINTER(0);
	uint128		bits = (uint128) sum->total;
	StringInfoData buf;

	aggregate_context(fcinfo, "iq_cents_sum_serialize");
	pq_begintypsend(&buf);
	pq_sendint64(&buf, (uint64) (bits >> 64));
	pq_sendint64(&buf, (uint64) bits);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(iq_cents_sum_deserialize);
Datum
iq_cents_sum_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "iq_cents_sum_deserialize");
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	uint128		bits;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data));
	bits = (uint128) (uint64) pq_getmsgint64(&buf) << 64;
	bits |= (uint64) pq_getmsgint64(&buf);
	pq_getmsgend(&buf);
	pfree(buf.data);
	PG_RETURN_POINTER(new_sum(context, (int128) bits));
}

/* The sum as numeric with two decimals; NULL when no row was counted, as sum() gives. */
PG_FUNCTION_INFO_V1(iq_cents_sum_final);
Datum
iq_cents_sum_final(PG_FUNCTION_ARGS)
{
	aggregate_context(fcinfo, "iq_cents_sum_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(iq_int128_cents_to_numeric(((CentsSum *) PG_GETARG_POINTER(0))->total));
}

/*
 * iq_charge_sum(amount, approved_on): every figure of iq_charge, summed
 * over the priced requests, in one pass.  Payout and buyer total follow
 * from the amount and the fees, so the state keeps the count and three
 * sums.  It is a bytea rather than internal, so that a distributed
 * database (Citus) can compute it partially where the rows are and
 * combine the parts: the bytes are the machine's own, and the nodes of a
 * cluster share one architecture.
 */
typedef struct ChargeTotals
{
	int64		requests;
	int128		amount;
	int128		expert_fee;
	int128		buyer_fee;
} ChargeTotals;

#define CHARGE_TOTALS_SIZE	(VARHDRSZ + sizeof(ChargeTotals))

/* the state's bytes as a struct, and back: a bytea's data is not aligned for int128 */
static inline void
read_totals(bytea *state, ChargeTotals *totals)
{
	if (VARSIZE(state) != CHARGE_TOTALS_SIZE)
		elog(ERROR, "iq_charge_sum state has %u bytes, not %zu",
			 (unsigned) VARSIZE(state), CHARGE_TOTALS_SIZE);
	memcpy(totals, VARDATA(state), sizeof(ChargeTotals));
}

static inline void
write_totals(bytea *state, const ChargeTotals *totals)
{
	memcpy(VARDATA(state), totals, sizeof(ChargeTotals));
}

static bytea *
new_totals(MemoryContext context)
{
	bytea	   *state = MemoryContextAllocZero(context, CHARGE_TOTALS_SIZE);

	SET_VARSIZE(state, CHARGE_TOTALS_SIZE);
	return state;
}

/* the transition function's cache in fn_extra: the schedule, read once */
typedef struct ChargeSumCache
{
	IqFeeSchedule *schedule;
} ChargeSumCache;

PG_FUNCTION_INFO_V1(iq_charge_sum_step);
Datum
iq_charge_sum_step(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "iq_charge_sum_step");
	bytea	   *state = PG_ARGISNULL(0) ? NULL : PG_GETARG_BYTEA_P(0);
	ChargeSumCache *cache = fcinfo->flinfo->fn_extra;
	ChargeTotals totals;
	IqPrice		price;

	/* a request without an amount or an approval date is not counted */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(state);
	}

	if (cache == NULL)
		fcinfo->flinfo->fn_extra = cache =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ChargeSumCache));
	iq_price_request(iq_fee_schedule(fcinfo->flinfo->fn_oid, fcinfo->flinfo->fn_mcxt,
									 &cache->schedule),
					 PG_GETARG_DATUM(1), PG_GETARG_DATEADT(2), &price);

	/* the state is updated in place: it lives in the aggregate's context */
	if (state == NULL)
		state = new_totals(context);
	read_totals(state, &totals);
	totals.requests++;
	totals.amount += price.amount;
	totals.expert_fee += price.expert_fee;
	totals.buyer_fee += price.buyer_fee;
	write_totals(state, &totals);
	PG_RETURN_BYTEA_P(state);
}

PG_FUNCTION_INFO_V1(iq_charge_sum_combine);
Datum
iq_charge_sum_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "iq_charge_sum_combine");
	bytea	   *a = PG_ARGISNULL(0) ? NULL : PG_GETARG_BYTEA_P(0);
	bytea	   *b = PG_ARGISNULL(1) ? NULL : PG_GETARG_BYTEA_P(1);
	ChargeTotals ta;
	ChargeTotals tb;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(a);
	}
	read_totals(b, &tb);
	/* the result must live in the aggregate's context, not b's */
	if (a == NULL)
		a = new_totals(context);
	read_totals(a, &ta);
	ta.requests += tb.requests;
	ta.amount += tb.amount;
	ta.expert_fee += tb.expert_fee;
	ta.buyer_fee += tb.buyer_fee;
	write_totals(a, &ta);
	PG_RETURN_BYTEA_P(a);
}

/* The composite iq_charge_totals; NULL when no request was counted. */
PG_FUNCTION_INFO_V1(iq_charge_sum_final);
Datum
iq_charge_sum_final(PG_FUNCTION_ARGS)
{
	ChargeTotals totals;
	TupleDesc	desc;
	Datum		values[6];
	bool		nulls[6] = {false};

	aggregate_context(fcinfo, "iq_charge_sum_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	read_totals(PG_GETARG_BYTEA_P(0), &totals);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type of iq_charge_sum must be a row type");
	desc = BlessTupleDesc(desc);

	values[0] = Int64GetDatum(totals.requests);
	values[1] = iq_int128_cents_to_numeric(totals.amount);
	values[2] = iq_int128_cents_to_numeric(totals.expert_fee);
	values[3] = iq_int128_cents_to_numeric(totals.amount - totals.expert_fee);
	values[4] = iq_int128_cents_to_numeric(totals.buyer_fee);
	values[5] = iq_int128_cents_to_numeric(totals.amount + totals.buyer_fee);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
