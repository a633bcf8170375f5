/*
 * pricing_sums.c
 *		The aggregate iq_payout_sum(amount, approved_on): what the expert is
 *		paid for a set of payment requests, each priced with the fee
 *		schedule row of its own approval date.
 *
 * The state is a sum of cents in 128 bits, which no number of rows of at
 * most 999999999999999.99 each can overflow in practice (2^127 cents is
 * more than 10^21 such rows).  Combine, serialize and deserialize make the
 * aggregate parallel safe.
 */
#include "compat.h"

#include "fmgr.h"
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

#define TEN_TO_18	INT64CONST(1000000000000000000)

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

/*
 * The sum as numeric with two decimals; NULL when no row was counted, as
 * sum() gives.  A total past int64 is built as high * 10^18 + low cents.
 */
PG_FUNCTION_INFO_V1(iq_cents_sum_final);
Datum
iq_cents_sum_final(PG_FUNCTION_ARGS)
{
	CentsSum   *sum;
	Datum		high;

	aggregate_context(fcinfo, "iq_cents_sum_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	sum = (CentsSum *) PG_GETARG_POINTER(0);
	if (sum->total <= PG_INT64_MAX)
		PG_RETURN_DATUM(iq_cents_to_numeric((int64) sum->total));

	/* high * 10^18 cents is high * 10^16 dollars */
	high = DirectFunctionCall2(numeric_mul,
							   NumericGetDatum(int64_to_numeric((int64) (sum->total / TEN_TO_18))),
							   NumericGetDatum(int64_to_numeric(TEN_TO_18 / 100)));
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_add, high,
										iq_cents_to_numeric((int64) (sum->total % TEN_TO_18))));
}
