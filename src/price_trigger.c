/*
 * price_trigger.c
 *		iq_price_trigger(): fills the fee, payout and buyer-total columns of a
 *		payment-request row from its amount and approval date.
 *
 *		CREATE TRIGGER ... BEFORE INSERT OR UPDATE ON payment_requests
 *			FOR EACH ROW EXECUTE FUNCTION iq_price_trigger(
 *				amount, approved_on, expert_fee, expert_payout, buyer_total);
 */
#include "compat.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "numeric_money.h"
#include "pricing.h"

#define NARGS		5
#define NOUTPUTS	3

static const char *const arg_names[NARGS] = {
	"amount", "approval date", "fee", "payout", "buyer total"
};

typedef struct OutputColumn
{
	Oid			type;			/* numeric or a domain over it */
	int32		typmod;			/* of the column, or of the domain's base */
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

/* Resolve one argument to a column whose base type is the one needed. */
static int
resolve_column(Relation rel, const char *tgname, const char *column,
			   const char *role, Oid needed, Oid *type, int32 *typmod)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			attnum = SPI_fnumber(desc, column);
	Form_pg_attribute att;
	Oid			base;

	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						column, RelationGetRelationName(rel)),
				 errdetail("Trigger \"%s\" names it as the %s column.",
						   tgname, role)));

	att = TupleDescAttr(desc, attnum - 1);
	*typmod = att->atttypmod;
	base = getBaseTypeAndTypmod(att->atttypid, typmod);
	if (att->atttypmod >= 0)
		*typmod = att->atttypmod;
	if (base != needed)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of relation \"%s\" is of type %s, but the %s column must be of type %s",
						column, RelationGetRelationName(rel),
						format_type_be(att->atttypid), role, format_type_be(needed))));
	if (att->attgenerated)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("column \"%s\" of relation \"%s\" is a generated column",
						column, RelationGetRelationName(rel)),
				 errdetail("iq_price_trigger can only fill ordinary columns.")));
	*type = att->atttypid;
	return attnum;
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

	if (trigger->tgnargs != NARGS)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on relation \"%s\" has %d arguments, but iq_price_trigger needs %d",
						trigger->tgname, RelationGetRelationName(rel),
						trigger->tgnargs, NARGS),
				 errhint("Pass the names of the amount, approval date, fee, payout and buyer total columns.")));

	if (cache == NULL)
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
									   sizeof(PriceTriggerCache));
	else
		memset(cache, 0, sizeof(PriceTriggerCache));

	for (int i = 0; i < NARGS; i++)
	{
		Oid			needed = (i == 1) ? DATEOID : NUMERICOID;
		Oid			type;
		int32		typmod;

		cache->attnums[i] = resolve_column(rel, trigger->tgname, trigger->tgargs[i],
										   arg_names[i], needed, &type, &typmod);
		for (int j = 0; j < i; j++)
			if (cache->attnums[j] == cache->attnums[i])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("trigger \"%s\" names column \"%s\" as both the %s and the %s column",
								trigger->tgname, trigger->tgargs[i],
								arg_names[j], arg_names[i])));
		if (i >= 2)
		{
			cache->outputs[i - 2].type = type;
			cache->outputs[i - 2].typmod = typmod;
		}
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

	if (column->typmod >= 0)
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
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	PriceTriggerCache *cache;
	HeapTuple	tuple;
	TupleDesc	desc;
	Datum		amount;
	Datum		approved_on;
	bool		amount_null;
	bool		date_null;
	Datum		values[NOUTPUTS];
	bool		nulls[NOUTPUTS] = {false};

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("iq_price_trigger: not called by trigger manager")));
	if (!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) ||
		  TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("iq_price_trigger must be fired before insert or update, for each row")));

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

		iq_price_request(iq_fee_schedule(fcinfo->flinfo, &cache->schedule),
						 amount, DatumGetDateADT(approved_on), &price);
		values[0] = coerce_output(fcinfo, &cache->outputs[0], price.expert_fee);
		values[1] = coerce_output(fcinfo, &cache->outputs[1], price.expert_payout);
		values[2] = coerce_output(fcinfo, &cache->outputs[2], price.buyer_total);
	}

	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, NOUTPUTS,
													 &cache->attnums[2],
													 values, nulls));
}
