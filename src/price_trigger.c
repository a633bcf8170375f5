/*
 * price_trigger.c
 *		iq_price_trigger(): fills the fee, payout and buyer-total columns of a
 *		payment-request row from its amount and approval date.
 *
 *		CREATE TRIGGER ... BEFORE INSERT OR UPDATE ON payment_request
 *			FOR EACH ROW EXECUTE FUNCTION iq_price_trigger(
 *				amount, approved_on, expert_fee, expert_payout, buyer_total);
 */
#include "compat.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "money.h"
#include "pricing.h"
#include "trigger_cache.h"

enum
{
	ROLE_AMOUNT,
	ROLE_APPROVED_ON,
	ROLE_EXPERT_FEE,
	ROLE_PAYOUT,
	ROLE_BUYER_TOTAL,
	NROLES
};

#define FIRST_OUTPUT	ROLE_EXPERT_FEE
#define NOUTPUTS		(NROLES - FIRST_OUTPUT)

static const IqRole price_roles[NROLES] = {
	{"amount_column", "amount column", IQ_ARG_NUMERIC, IQ_ON_TRIGGER_TABLE, IQ_ROLE_REQUIRED},
	{"approved_on_column", "approval date column", IQ_ARG_DATE, IQ_ON_TRIGGER_TABLE, IQ_ROLE_REQUIRED},
	{"expert_fee_column", "fee column", IQ_ARG_OUTPUT, IQ_ON_TRIGGER_TABLE, IQ_ROLE_REQUIRED},
	{"payout_column", "payout column", IQ_ARG_OUTPUT, IQ_ON_TRIGGER_TABLE, IQ_ROLE_REQUIRED},
	{"buyer_total_column", "buyer total column", IQ_ARG_OUTPUT, IQ_ON_TRIGGER_TABLE, IQ_ROLE_REQUIRED},
};

/* One filled column: how its value goes through the column's typmod and domain. */
typedef struct OutputColumn
{
	int64		fits_below;		/* cents the typmod leaves as they are */
	void	   *domain_extra;	/* domain_check's cache */
} OutputColumn;

typedef struct PriceState
{
	OutputColumn outputs[NOUTPUTS];
	int			attnums[NOUTPUTS];
	IqFeeSchedule *schedule;	/* as the last firing's snapshot saw it */
} PriceState;

/*
 * Results below this many cents, which have two decimals, come out of the
 * typmod's coercion unchanged: the typmod is numeric(p, 2) and they have
 * fewer than p digits.  0 for any other typmod.
 */
static int64
cents_fitting(int32 typmod)
{
	char	   *text;
	int			precision;
	int			scale;
	int64		limit = 1;

	if (typmod < 0)
		return 0;
	text = DatumGetCString(DirectFunctionCall1(numerictypmodout, Int32GetDatum(typmod)));
	if (sscanf(text, "(%d,%d)", &precision, &scale) != 2 || scale != 2)
		return 0;
	/* past 10^18 cents every amount iqfees prices fits anyway */
	for (int i = 0; i < precision && limit <= PG_INT64_MAX / 10; i++)
		limit *= 10;
	return limit;
}

static void
prepare_price(IqTriggerInfo *info, Relation rel pg_attribute_unused())
{
	PriceState *state = palloc0(sizeof(PriceState));

	for (int i = 0; i < NOUTPUTS; i++)
	{
		const IqColumn *column = &info->columns[FIRST_OUTPUT + i];

		state->attnums[i] = column->attnum;
		state->outputs[i].fits_below = cents_fitting(column->typmod);
	}
	info->extra = state;
}

static const IqTriggerKind price_kind = {
	.funcname = "iq_price_trigger",
	.timing = TRIGGER_TYPE_BEFORE,
	.events = TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE,
	.nroles = NROLES,
	.roles = price_roles,
	.min_positional = NROLES,
	.max_positional = NROLES,
	.args_hint = "Pass the names of the amount, approval date, fee, payout and buyer total columns.",
	.prepare = prepare_price,
};

/*
 * A filled value through the column's typmod and domain, as an INSERT
 * would put it; NULL goes through the domain too (NOT NULL domains).
 */
static Datum
coerce_output(IqTriggerInfo *info, int i, int64 cents, bool isnull)
{
	const IqColumn *column = &info->columns[FIRST_OUTPUT + i];
	OutputColumn *output = &((PriceState *) info->extra)->outputs[i];
	Datum		value = (Datum) 0;

	if (!isnull)
	{
		value = iq_cents_to_numeric(cents);
		if (column->typmod >= 0 && !(cents >= 0 && cents < output->fits_below))
			value = DirectFunctionCall2(numeric, value, Int32GetDatum(column->typmod));
	}
	if (column->type != NUMERICOID)
		domain_check(value, isnull, column->type, &output->domain_extra,
					 info->context);
	return value;
}

PG_FUNCTION_INFO_V1(iq_price_trigger);
Datum
iq_price_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata;
	IqTriggerInfo *info = iq_trigger_info(fcinfo, &price_kind, &trigdata);
	PriceState *state = info->extra;
	HeapTuple	tuple;
	TupleDesc	desc;
	Datum		amount;
	Datum		approved_on;
	bool		amount_null;
	bool		date_null;
	Datum		values[NOUTPUTS];
	bool		nulls[NOUTPUTS];

	Assert(state != NULL);
	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
	desc = RelationGetDescr(trigdata->tg_relation);

	amount = heap_getattr(tuple, info->columns[ROLE_AMOUNT].attnum, desc, &amount_null);
	approved_on = heap_getattr(tuple, info->columns[ROLE_APPROVED_ON].attnum, desc,
							   &date_null);

	if (amount_null || date_null)
	{
		/* not priced yet: no approval date, or no amount */
		for (int i = 0; i < NOUTPUTS; i++)
		{
			nulls[i] = true;
			values[i] = coerce_output(info, i, 0, true);
		}
	}
	else
	{
		IqPrice		price;

		iq_price_request(iq_fee_schedule(fcinfo->flinfo->fn_oid, info->context,
										 &state->schedule),
						 amount, iq_column_to_date(&info->columns[ROLE_APPROVED_ON], approved_on),
						 &price);
		nulls[0] = nulls[1] = nulls[2] = false;
		values[0] = coerce_output(info, 0, price.expert_fee, false);
		values[1] = coerce_output(info, 1, price.expert_payout, false);
		values[2] = coerce_output(info, 2, price.buyer_total, false);
	}

	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, NOUTPUTS,
													 state->attnums, values, nulls));
}
