/*
 * pricing.c
 *		SQL-callable pricing functions: iq_expert_fee, iq_payout,
 *		iq_buyer_fee, iq_buyer_total, iq_charge and iq_fee_at.
 */
#include "compat.h"

#include "access/htup_details.h"
#include "funcapi.h"

#include "money.h"
#include "pricing.h"

/* per-expression state, in fn_extra */
typedef struct PricingCache
{
	IqFeeSchedule *schedule;
	TupleDesc	charge_desc;	/* iq_charge only */
} PricingCache;

/* inline in this file's functions, so that each computes only what it returns */
static inline const IqFeeRow *
price_request(IqFeeSchedule *schedule, Datum amount, DateADT approved_on,
			  IqPrice *price)
{
	int64		cents = iq_numeric_to_cents(amount, "amount");
	const IqFeeRow *row = iq_fee_row(schedule, approved_on);

	iq_price(cents, &row->expert, &row->buyer, price);
	return row;
}

const IqFeeRow *
iq_price_request(IqFeeSchedule *schedule, Datum amount, DateADT approved_on,
				 IqPrice *price)
{
	return price_request(schedule, amount, approved_on, price);
}

static inline PricingCache *
pricing_cache(FunctionCallInfo fcinfo)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;

	if (flinfo->fn_extra == NULL)
		flinfo->fn_extra = MemoryContextAllocZero(flinfo->fn_mcxt,
												  sizeof(PricingCache));
	return (PricingCache *) flinfo->fn_extra;
}

/* Price the function's (amount, approved_on) arguments. */
static inline const IqFeeRow *
price_args(FunctionCallInfo fcinfo, IqPrice *price)
{
	PricingCache *cache = pricing_cache(fcinfo);
	IqFeeSchedule *schedule = iq_fee_schedule(fcinfo->flinfo->fn_oid, fcinfo->flinfo->fn_mcxt,
											  &cache->schedule);

	return price_request(schedule, PG_GETARG_DATUM(0), PG_GETARG_DATEADT(1),
						 price);
}

PG_FUNCTION_INFO_V1(iq_expert_fee);
Datum
iq_expert_fee(PG_FUNCTION_ARGS)
{
	IqPrice		price;

	price_args(fcinfo, &price);
	PG_RETURN_DATUM(iq_cents_to_numeric(price.expert_fee));
}

PG_FUNCTION_INFO_V1(iq_payout);
Datum
iq_payout(PG_FUNCTION_ARGS)
{
	IqPrice		price;

	price_args(fcinfo, &price);
	PG_RETURN_DATUM(iq_cents_to_numeric(price.expert_payout));
}

PG_FUNCTION_INFO_V1(iq_buyer_fee);
Datum
iq_buyer_fee(PG_FUNCTION_ARGS)
{
	IqPrice		price;

	price_args(fcinfo, &price);
	PG_RETURN_DATUM(iq_cents_to_numeric(price.buyer_fee));
}

PG_FUNCTION_INFO_V1(iq_buyer_total);
Datum
iq_buyer_total(PG_FUNCTION_ARGS)
{
	IqPrice		price;

	price_args(fcinfo, &price);
	PG_RETURN_DATUM(iq_cents_to_numeric(price.buyer_total));
}

PG_FUNCTION_INFO_V1(iq_charge);
Datum
iq_charge(PG_FUNCTION_ARGS)
{
	PricingCache *cache = pricing_cache(fcinfo);
	IqPrice		price;
	const IqFeeRow *row = price_args(fcinfo, &price);
	Datum		values[7];
	bool		nulls[7] = {false};

	if (cache->charge_desc == NULL)
	{
		TupleDesc	desc;
		MemoryContext oldcxt;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type of iq_charge must be a row type");
		oldcxt = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		cache->charge_desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(oldcxt);
	}

	values[0] = iq_cents_to_numeric(price.amount);
	values[1] = row->expert_rate;
	values[2] = iq_cents_to_numeric(price.expert_fee);
	values[3] = iq_cents_to_numeric(price.expert_payout);
	values[4] = row->buyer_rate;
	values[5] = iq_cents_to_numeric(price.buyer_fee);
	values[6] = iq_cents_to_numeric(price.buyer_total);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(cache->charge_desc,
													  values, nulls)));
}

/* iq_fee_at(amount, rate): the fee at an explicit rate, with no schedule */
PG_FUNCTION_INFO_V1(iq_fee_at);
Datum
iq_fee_at(PG_FUNCTION_ARGS)
{
	int64		cents = iq_numeric_to_cents(PG_GETARG_DATUM(0), "amount");
	IqRate		rate;

	iq_numeric_to_rate(PG_GETARG_DATUM(1), "rate", &rate);
	PG_RETURN_DATUM(iq_cents_to_numeric(iq_fee_cents(cents, &rate)));
}
