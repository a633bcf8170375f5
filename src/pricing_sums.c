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
 * parallel safe.  Their states are a bytea rather than internal, so that
 * a distributed database (Citus) can compute them partially where the rows
 * are and combine the parts: the bytes are the machine's own, and the
 * nodes of a cluster share one architecture.
 */
#include "compat.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "money.h"
#include "pricing.h"

static MemoryContext
aggregate_context(FunctionCallInfo fcinfo, const char *funcname)
{
	MemoryContext context;

	if (!AggCheckCallContext(fcinfo, &context))
		elog(ERROR, "%s called in non-aggregate context", funcname);
	return context;
}

/* A state of size bytes after the header, zeroed, in the aggregate's context. */
static bytea *
new_state(MemoryContext context, Size size)
{
	bytea	   *state = MemoryContextAllocZero(context, VARHDRSZ + size);

	SET_VARSIZE(state, VARHDRSZ + size);
	return state;
}

/* the state's bytes as a struct, and back: a bytea's data is not aligned for int128 */
static inline void
read_state(bytea *state, void *data, Size size, const char *aggregate)
{
	if (VARSIZE(state) != VARHDRSZ + size)
		elog(ERROR, "%s state has %u bytes, not %zu",
			 aggregate, (unsigned) VARSIZE(state), VARHDRSZ + size);
	memcpy(data, VARDATA(state), size);
}

static inline void
write_state(bytea *state, const void *data, Size size)
{
	memcpy(VARDATA(state), data, size);
}

/*
 * The state to add to, read into data: argument 0, or a new one in the
 * aggregate's context while none exists.  A state that exists is updated in
 * place: it lives in the aggregate's context.
 */
static inline bytea *
open_state(FunctionCallInfo fcinfo, MemoryContext context, void *data, Size size,
		   const char *aggregate)
{
	bytea	   *state = PG_ARGISNULL(0) ? new_state(context, size) : PG_GETARG_BYTEA_P(0);

	read_state(state, data, size, aggregate);
	return state;
}

/* The state as it is, argument 0: NULL while no row has counted. */
static Datum
state_unchanged(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_BYTEA_P(PG_GETARG_BYTEA_P(0));
}

/*
 * The schedule the transition functions price with.  It is kept here
 * rather than in fn_extra: Citus computes an aggregate partially on its
 * workers through a new FmgrInfo for every row (worker_partial_agg), where
 * fn_extra would start empty each time.  iq_fee_schedule reads the table
 * again whenever the snapshot is not the one the rows were read with.
 */
static IqFeeSchedule *step_schedule = NULL;

static void
price_step(FunctionCallInfo fcinfo, IqPrice *price)
{
	iq_price_request(iq_fee_schedule(fcinfo->flinfo->fn_oid, TopMemoryContext,
									 &step_schedule),
					 PG_GETARG_DATUM(1), PG_GETARG_DATEADT(2), price);
}

/*
 * iq_payout_sum(amount, approved_on): what the experts are paid; the state
 * is the sum of the payouts in cents.
 */
typedef struct CentsSum
{
	int128		total;
} CentsSum;

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
	bytea	   *state;
	CentsSum	sum;
	IqPrice		price;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return state_unchanged(fcinfo);
	price_step(fcinfo, &price);

	state = open_state(fcinfo, context, &sum, sizeof(CentsSum), "iq_payout_sum");
	sum.total += price.expert_payout;
	write_state(state, &sum, sizeof(CentsSum));
	PG_RETURN_BYTEA_P(state);
}

PG_FUNCTION_INFO_V1(iq_cents_sum_combine);
Datum
iq_cents_sum_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "iq_cents_sum_combine");
	bytea	   *a;
	CentsSum	sa;
	CentsSum	sb;

	if (PG_ARGISNULL(1))
		return state_unchanged(fcinfo);
	read_state(PG_GETARG_BYTEA_P(1), &sb, sizeof(CentsSum), "iq_payout_sum");
	/* the result lives in the aggregate's context, never in b's */
	a = open_state(fcinfo, context, &sa, sizeof(CentsSum), "iq_payout_sum");
	sa.total += sb.total;
	write_state(a, &sa, sizeof(CentsSum));
	PG_RETURN_BYTEA_P(a);
}

/* The sum as numeric with two decimals; NULL when no row was counted, as sum() gives. */
PG_FUNCTION_INFO_V1(iq_cents_sum_final);
Datum
iq_cents_sum_final(PG_FUNCTION_ARGS)
{
	CentsSum	sum;

	aggregate_context(fcinfo, "iq_cents_sum_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	read_state(PG_GETARG_BYTEA_P(0), &sum, sizeof(CentsSum), "iq_payout_sum");
	PG_RETURN_DATUM(iq_int128_cents_to_numeric(sum.total));
}

/*
 * 1.2 declared iq_payout_sum's state internal, with these two to pass it
 * between parallel workers.  The chain of install scripts still creates
 * those declarations before 1.3 replaces them, and a database not yet
 * updated still calls them: the state they pass is the bytea above, so
 * each copies it.
 */
PG_FUNCTION_INFO_V1(iq_cents_sum_serialize);
Datum
iq_cents_sum_serialize(PG_FUNCTION_ARGS)
{
	aggregate_context(fcinfo, "iq_cents_sum_serialize");
	PG_RETURN_BYTEA_P(DatumGetByteaPCopy(PG_GETARG_DATUM(0)));
}

PG_FUNCTION_INFO_V1(iq_cents_sum_deserialize);
Datum
iq_cents_sum_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "iq_cents_sum_deserialize");
	MemoryContext oldcxt = MemoryContextSwitchTo(context);
	bytea	   *state = DatumGetByteaPCopy(PG_GETARG_DATUM(0));

	MemoryContextSwitchTo(oldcxt);
	PG_RETURN_BYTEA_P(state);
}

/*
 * iq_charge_sum(amount, approved_on): every figure of iq_charge, summed
 * over the priced requests, in one pass.  Payout and buyer total follow
 * from the amount and the fees, so the state keeps the count and three
 * sums.
 */
typedef struct ChargeTotals
{
	int64		requests;
	int128		amount;
	int128		expert_fee;
	int128		buyer_fee;
} ChargeTotals;

PG_FUNCTION_INFO_V1(iq_charge_sum_step);
Datum
iq_charge_sum_step(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "iq_charge_sum_step");
	bytea	   *state;
	ChargeTotals totals;
	IqPrice		price;

	/* a request without an amount or an approval date is not counted */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return state_unchanged(fcinfo);
	price_step(fcinfo, &price);

	state = open_state(fcinfo, context, &totals, sizeof(ChargeTotals), "iq_charge_sum");
	totals.requests++;
	totals.amount += price.amount;
	totals.expert_fee += price.expert_fee;
	totals.buyer_fee += price.buyer_fee;
	write_state(state, &totals, sizeof(ChargeTotals));
	PG_RETURN_BYTEA_P(state);
}

PG_FUNCTION_INFO_V1(iq_charge_sum_combine);
Datum
iq_charge_sum_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "iq_charge_sum_combine");
	bytea	   *a;
	ChargeTotals ta;
	ChargeTotals tb;

	if (PG_ARGISNULL(1))
		return state_unchanged(fcinfo);
	read_state(PG_GETARG_BYTEA_P(1), &tb, sizeof(ChargeTotals), "iq_charge_sum");
	/* the result lives in the aggregate's context, never in b's */
	a = open_state(fcinfo, context, &ta, sizeof(ChargeTotals), "iq_charge_sum");
	ta.requests += tb.requests;
	ta.amount += tb.amount;
	ta.expert_fee += tb.expert_fee;
	ta.buyer_fee += tb.buyer_fee;
	write_state(a, &ta, sizeof(ChargeTotals));
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
	read_state(PG_GETARG_BYTEA_P(0), &totals, sizeof(ChargeTotals), "iq_charge_sum");
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
