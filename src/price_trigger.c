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

#include "numeric_money.h"
#include "pricing.h"
#include "trigger_args.h"

#define NARGS		5
#define NOUTPUTS	3

static const char *const arg_roles[NARGS] = {
	"amount", "approval date", "fee", "payout", "buyer total"
};

typedef struct OutputColumn
{
	Oid			type;			/* numeric or a domain over it */
	int32		typmod;			/* of the column, or of the domain's base */
	int64		fits_below;		/* cents the typmod leaves as they are */
	void	   *domain_extra;	/* domain_check's cache */
} OutputColumn;

/* per-statement state, in fn_extra */
typedef struct PriceTriggerCache
{
	Oid			tgoid;
	Oid			relid;
	int			attnums[NARGS];
	OutputColumn outputs[NOUTPUTS];
	IqFeeSchedule *schedule;
} PriceTriggerCache;

/*
 * Results below this many cents, which have two decimals, come out of the
 * typmod's coercion unchanged: the typmod is numeric(p, 2) and they have
 * fewer than p digits.  0 for any other typmod.  The typmod is read with
 * numeric's own typmod output, "(p,s)".
 */
static int64
cents_fitting(int32 typmod)
{
	char	   *text = DatumGetCString(DirectFunctionCall1(numerictypmodout,
														   Int32GetDatum(typmod)));
	int			precision;
	int			scale;
	int64		limit = 1;

	if (sscanf(text, "(%d,%d)", &precision, &scale) != 2 || scale != 2)
		return 0;
	/* past 10^18 cents every amount iqfees prices fits anyway */
	for (int i = 0; i < precision && limit <= PG_INT64_MAX / 10; i++)
		limit *= 10;
	return limit;
}

static PriceTriggerCache *
trigger_cache(FunctionCallInfo fcinfo, TriggerData *trigdata)
{
	Trigger    *trigger = trigdata->tg_trigger;
	Relation	rel = trigdata->tg_relation;
	PriceTriggerCache *cache = fcinfo->flinfo->fn_extra;

	if (cache != NULL && cache->tgoid == trigger->tgoid &&
		cache->relid == RelationGetRelid(rel))
		return cache;

	if (cache == NULL)
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
									   sizeof(PriceTriggerCache));
	else
		memset(cache, 0, sizeof(PriceTriggerCache));

	for (int i = 0; i < NARGS; i++)
	{
		Oid			type;
		int32		typmod;
		Form_pg_attribute att;

		cache->attnums[i] = iq_trigger_column(rel, trigger, trigger->tgargs[i],
											  arg_roles[i],
											  i == 1 ? DATEOID : NUMERICOID,
											  &type, &typmod);
		for (int j = 0; j < i; j++)
			if (cache->attnums[j] == cache->attnums[i])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("trigger \"%s\" names column \"%s\" as both the %s and the %s column",
								trigger->tgname, trigger->tgargs[i],
								arg_roles[j], arg_roles[i])));
		if (i < NARGS - NOUTPUTS)
			continue;

		att = TupleDescAttr(RelationGetDescr(rel), cache->attnums[i] - 1);
		if (att->attgenerated)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("column \"%s\" of relation \"%s\" is a generated column",
							trigger->tgargs[i], RelationGetRelationName(rel)),
					 errdetail("iq_price_trigger can only fill ordinary columns.")));
		cache->outputs[i - (NARGS - NOUTPUTS)].type = type;
		cache->outputs[i - (NARGS - NOUTPUTS)].typmod = typmod;
		cache->outputs[i - (NARGS - NOUTPUTS)].fits_below =
			typmod >= 0 ? cents_fitting(typmod) : 0;
	}
	cache->tgoid = trigger->tgoid;
	cache->relid = RelationGetRelid(rel);
	fcinfo->flinfo->fn_extra = cache;
	return cache;
}

/* Apply the column's typmod and domain, as an INSERT would. */
static Datum
coerce_output(FunctionCallInfo fcinfo, OutputColumn *column, int64 cents)
{
	Datum		value = iq_cents_numeric(cents);

	if (column->typmod >= 0 && !(cents >= 0 && cents < column->fits_below))
		value = DirectFunctionCall2(numeric, value, Int32GetDatum(column->typmod));
	if (column->type != NUMERICOID)
		domain_check(value, false, column->type, &column->domain_extra,
					 fcinfo->flinfo->fn_mcxt);
	return value;
}

PG_FUNCTION_INFO_V1(iq_price_trigger);
Datum
iq_price_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata;
	PriceTriggerCache *cache;
	HeapTuple	tuple;
	TupleDesc	desc;
	Datum		amount;
	Datum		approved_on;
	bool		amount_null;
	bool		date_null;
	Datum		values[NOUTPUTS];
	bool		nulls[NOUTPUTS] = {false};

	trigdata = iq_trigger_data(fcinfo, "iq_price_trigger", TRIGGER_TYPE_BEFORE,
							   TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE,
							   NARGS, NARGS,
							   "Pass the names of the amount, approval date, fee, payout and buyer total columns.");
	cache = trigger_cache(fcinfo, trigdata);
	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
	desc = RelationGetDescr(trigdata->tg_relation);

	amount = heap_getattr(tuple, cache->attnums[0], desc, &amount_null);
	approved_on = heap_getattr(tuple, cache->attnums[1], desc, &date_null);

	if (amount_null || date_null)
	{
		/* not priced yet: no approval date, or no amount */
		for (int i = 0; i < NOUTPUTS; i++)
		{
			values[i] = (Datum) 0;
			nulls[i] = true;
		}
	}
	else
	{
		IqPrice		price;

		iq_price_request(iq_fee_schedule(fcinfo->flinfo->fn_oid, fcinfo->flinfo->fn_mcxt,
										 &cache->schedule),
						 amount, DatumGetDateADT(approved_on), &price);
		values[0] = coerce_output(fcinfo, &cache->outputs[0], price.expert_fee);
		values[1] = coerce_output(fcinfo, &cache->outputs[1], price.expert_payout);
		values[2] = coerce_output(fcinfo, &cache->outputs[2], price.buyer_total);
	}

	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, NOUTPUTS,
													 &cache->attnums[NARGS - NOUTPUTS],
													 values, nulls));
}
