/*
 * price_trigger.c
 *		iq_price_trigger(): fills the fee, payout and buyer columns of a
 *		payment-request row from its amount and approval date.
 *
 *		CREATE TRIGGER ... BEFORE INSERT OR UPDATE ON payment_request
 *			FOR EACH ROW EXECUTE FUNCTION iq_price_trigger(
 *				amount, approved_on, expert_fee, expert_payout, buyer_total);
 *
 * The named form (what iq_price_requests writes) fills whichever of the
 * four figures it names:
 *
 *			iq_price_trigger('amount_column=amount',
 *							 'approved_on_column=approved_at',
 *							 'payout_column=payout')
 */
#include "compat.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"

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
	ROLE_BUYER_FEE,				/* named form only: 1.2's positional form has
								 * five */
	NROLES
};

#define FIRST_OUTPUT	ROLE_EXPERT_FEE
#define MAX_OUTPUTS		(NROLES - FIRST_OUTPUT)

static const IqRole price_roles[NROLES] = {
	{"amount_column", "amount column", IQ_ARG_NUMERIC, IQ_ON_TRIGGER_TABLE, IQ_ROLE_REQUIRED},
	{"approved_on_column", "approval date column", IQ_ARG_DATE, IQ_ON_TRIGGER_TABLE, IQ_ROLE_REQUIRED},
	{"expert_fee_column", "fee column", IQ_ARG_OUTPUT, IQ_ON_TRIGGER_TABLE, 0},
	{"payout_column", "payout column", IQ_ARG_OUTPUT, IQ_ON_TRIGGER_TABLE, 0},
	{"buyer_total_column", "buyer total column", IQ_ARG_OUTPUT, IQ_ON_TRIGGER_TABLE, 0},
	{"buyer_fee_column", "buyer fee column", IQ_ARG_OUTPUT, IQ_ON_TRIGGER_TABLE, 0},
};

/* One filled column: which figure, and how it goes through the column's type. */
typedef struct OutputColumn
{
	int			role;
	int64		fits_below;		/* cents the typmod leaves as they are */
	void	   *domain_extra;	/* domain_check's cache */
} OutputColumn;

typedef struct PriceState
{
	int			noutputs;
	OutputColumn outputs[MAX_OUTPUTS];
	int			attnums[MAX_OUTPUTS];
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

/* The named form may leave figures out, but not all of them. */
static void
validate_price(IqTriggerInfo *info)
{
	for (int r = FIRST_OUTPUT; r < NROLES; r++)
		if (iq_role_column(info, r))
			return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 info->setup ?
			 errmsg("iq_price_requests needs at least one column to fill") :
			 errmsg("trigger \"%s\" on %s names no column to fill", info->tgname, info->relname),
			 errhint("Name one or more of the expert_fee, payout, buyer_fee and buyer_total columns.")));
}

static void
prepare_price(IqTriggerInfo *info, Relation rel pg_attribute_unused())
{
	PriceState *state = palloc0(sizeof(PriceState));

	for (int r = FIRST_OUTPUT; r < NROLES; r++)
	{
		const IqColumn *column = iq_role_column(info, r);
		OutputColumn *output = &state->outputs[state->noutputs];

		if (column == NULL)
			continue;
		output->role = r;
		output->fits_below = cents_fitting(column->typmod);
		state->attnums[state->noutputs++] = column->attnum;
	}
	info->extra = state;
}

const IqTriggerKind iq_price_trigger_kind = {
	.funcname = "iq_price_trigger",
	.timing = TRIGGER_TYPE_BEFORE,
	.events = TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE,
	.nroles = NROLES,
	.roles = price_roles,
	.min_positional = ROLE_BUYER_TOTAL + 1,
	.max_positional = ROLE_BUYER_TOTAL + 1,
	.args_hint = "Pass the names of the amount, approval date, fee, payout and buyer total columns, or role=column arguments.",
	.validate = validate_price,
	.prepare = prepare_price,
};

/* The figure a filled column takes from a price. */
static int64
figure(const IqPrice *price, int role)
{
	switch (role)
	{
		case ROLE_EXPERT_FEE:
			return price->expert_fee;
		case ROLE_PAYOUT:
			return price->expert_payout;
		case ROLE_BUYER_TOTAL:
			return price->buyer_total;
		default:
			Assert(role == ROLE_BUYER_FEE);
			return price->buyer_fee;
	}
}

/*
 * A filled value through the column's typmod and domain, as an INSERT
 * would put it; NULL goes through the domain too (NOT NULL domains).
 */
static Datum
coerce_output(IqTriggerInfo *info, OutputColumn *output, int64 cents, bool isnull)
{
	const IqColumn *column = &info->columns[output->role];
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
	IqTriggerInfo *info = iq_trigger_info(fcinfo, &iq_price_trigger_kind, &trigdata);
	PriceState *state = info->extra;
	HeapTuple	tuple;
	TupleDesc	desc;
	Datum		amount;
	Datum		approved_on;
	bool		amount_null;
	bool		date_null;
	bool		priced;
	IqPrice		price;
	Datum		values[MAX_OUTPUTS];
	bool		nulls[MAX_OUTPUTS];

	Assert(state != NULL && state->noutputs > 0);
	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
	desc = RelationGetDescr(trigdata->tg_relation);

	amount = heap_getattr(tuple, info->columns[ROLE_AMOUNT].attnum, desc, &amount_null);
	approved_on = heap_getattr(tuple, info->columns[ROLE_APPROVED_ON].attnum, desc,
							   &date_null);

	/* not priced yet: no approval date, or no amount */
	priced = !amount_null && !date_null;
	if (priced)
		iq_price_request(iq_fee_schedule(fcinfo->flinfo->fn_oid, info->context,
										 &state->schedule),
						 amount,
						 iq_column_to_date(&info->columns[ROLE_APPROVED_ON], approved_on),
						 &price);
	for (int i = 0; i < state->noutputs; i++)
	{
		OutputColumn *output = &state->outputs[i];

		nulls[i] = !priced;
		values[i] = coerce_output(info, output, priced ? figure(&price, output->role) : 0,
								  !priced);
	}

	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, state->noutputs,
													 state->attnums, values, nulls));
}
