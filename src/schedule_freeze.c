/*
 * schedule_freeze.c
 *		Once a buyer has accepted an offer, its payment schedule cannot change
 *		("to make changes, create a new offer").  Two trigger functions
 *		enforce that, one for each way a schema may store a schedule:
 *
 *		iq_freeze_offer_schedule(acceptance, schedule column, ...)
 *			BEFORE UPDATE OR DELETE on the offer table, for schedules kept in
 *			columns of the offer row (such as date[] and numeric[] arrays);
 *
 *		iq_freeze_installments(offer, offer table, offer key, acceptance)
 *			BEFORE INSERT OR UPDATE OR DELETE on an installment table with one
 *			row per installment.
 */
#include "compat.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"

#include "trigger_args.h"

static void
refuse_change(const char *offer_text, DateADT accepted)
{
	char	   *date = DatumGetCString(DirectFunctionCall1(date_out,
														   DateADTGetDatum(accepted)));

	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 offer_text ?
			 errmsg("the payment schedule of offer %s cannot change: the offer was accepted on %s",
					offer_text, date) :
			 errmsg("the payment schedule of this offer cannot change: the offer was accepted on %s",
					date),
			 errdetail("A payment schedule is fixed once the buyer has accepted the offer."),
			 errhint("Create a new offer with the new payment schedule instead.")));
}

static bool
same_value(Datum a, bool a_null, Datum b, bool b_null, Form_pg_attribute att)
{
	if (a_null || b_null)
		return a_null && b_null;
	return datumIsEqual(a, b, att->attbyval, att->attlen);
}

PG_FUNCTION_INFO_V1(iq_freeze_offer_schedule);
Datum
iq_freeze_offer_schedule(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata;
	Trigger    *trigger;
	Relation	rel;
	TupleDesc	desc;
	HeapTuple	old;
	Datum		accepted;
	bool		not_accepted;
	Oid			type;
	int32		typmod;
	AttrNumber	acceptance_attnum;

	trigdata = iq_trigger_data(fcinfo, "iq_freeze_offer_schedule", TRIGGER_TYPE_BEFORE,
							   TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, 2, FUNC_MAX_ARGS,
							   "Pass the acceptance date column, then every column that holds the payment schedule.");
	trigger = trigdata->tg_trigger;
	rel = trigdata->tg_relation;
	desc = RelationGetDescr(rel);
	old = trigdata->tg_trigtuple;

	acceptance_attnum = iq_trigger_column(rel, trigger, trigger->tgargs[0],
										  "acceptance date", DATEOID, &type, &typmod);
	accepted = heap_getattr(old, acceptance_attnum, desc, &not_accepted);

	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		if (!not_accepted)
			refuse_change(NULL, DatumGetDateADT(accepted));
		return PointerGetDatum(old);
	}

	/* the acceptance date belongs to the frozen schedule: no un-accepting */
	for (int i = 0; i < trigger->tgnargs && !not_accepted; i++)
	{
		AttrNumber	attnum = i == 0 ? acceptance_attnum :
			iq_trigger_column(rel, trigger, trigger->tgargs[i], "payment schedule",
							  InvalidOid, &type, &typmod);
		bool		old_null;
		bool		new_null;
		Datum		old_value = heap_getattr(old, attnum, desc, &old_null);
		Datum		new_value = heap_getattr(trigdata->tg_newtuple, attnum, desc, &new_null);

		if (!same_value(old_value, old_null, new_value, new_null,
						TupleDescAttr(desc, attnum - 1)))
			refuse_change(NULL, DatumGetDateADT(accepted));
	}
	return PointerGetDatum(trigdata->tg_newtuple);
}

enum
{
	FREEZE_OFFER_REF,
	FREEZE_OFFER_TABLE,
	FREEZE_OFFER_KEY,
	FREEZE_ACCEPTANCE,
	FREEZE_NARGS
};

typedef struct FreezePlan
{
	Oid			tgoid;			/* hash key */
	SPIPlanPtr	plan;			/* acceptance date of offer $1, locked */
} FreezePlan;

static HTAB *freeze_plans = NULL;

static SPIPlanPtr
freeze_plan(Relation rel, Trigger *trigger, Oid ref_type)
{
	FreezePlan *entry;
	bool		found;
	Oid			offer_relid;
	Relation	offer_rel;
	Oid			type;
	int32		typmod;
	char	   *sql;
	SPIPlanPtr	plan;

	if (freeze_plans == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(FreezePlan);
		freeze_plans = hash_create("iqfees schedule freeze plans", 16, &ctl,
								   HASH_ELEM | HASH_BLOBS);
	}
	entry = hash_search(freeze_plans, &trigger->tgoid, HASH_FIND, &found);
	if (found)
		return entry->plan;

	offer_relid = iq_trigger_table(rel, trigger->tgargs[FREEZE_OFFER_TABLE]);
	offer_rel = table_open(offer_relid, AccessShareLock);
	iq_trigger_column(offer_rel, trigger, trigger->tgargs[FREEZE_OFFER_KEY],
					  "offer key", InvalidOid, &type, &typmod);
	iq_trigger_column(offer_rel, trigger, trigger->tgargs[FREEZE_ACCEPTANCE],
					  "acceptance date", DATEOID, &type, &typmod);
	table_close(offer_rel, AccessShareLock);

	/*
	 * Accepting the offer is an UPDATE of its row, which this lock makes
	 * wait for this transaction (or which this transaction waits for and
	 * sees).  It is the lock iq_installment_constraint takes at commit:
	 * with a weaker shared lock, two transactions adding installments to
	 * one offer would each wait at commit for the other's lock, a deadlock.
	 */
	sql = psprintf("SELECT %s FROM %s WHERE %s OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE",
				   quote_identifier(trigger->tgargs[FREEZE_ACCEPTANCE]),
				   iq_qualified_table_name(offer_relid),
				   quote_identifier(trigger->tgargs[FREEZE_OFFER_KEY]));
	plan = SPI_prepare(sql, 1, &ref_type);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
			 SPI_result_code_string(SPI_result));
	SPI_keepplan(plan);
	entry = hash_search(freeze_plans, &trigger->tgoid, HASH_ENTER, NULL);
	entry->plan = plan;
	return plan;
}

/* Refuse the change when the row's offer has been accepted. */
static void
check_offer_open(Relation rel, Trigger *trigger, AttrNumber ref_attnum,
				 Oid ref_type, HeapTuple row)
{
	bool		isnull;
	Datum		offer = heap_getattr(row, ref_attnum, RelationGetDescr(rel), &isnull);
	SPIPlanPtr	plan;
	IqSavedUser saved;

	if (isnull)
		return;
	iq_trigger_become_owner(rel, &saved);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = freeze_plan(rel, trigger, ref_type);
	if (SPI_execute_plan(plan, &offer, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the offer of an installment");
	if (SPI_processed > 0)
	{
		Datum		accepted = SPI_getbinval(SPI_tuptable->vals[0],
											 SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			refuse_change(iq_value_text(offer, ref_type), DatumGetDateADT(accepted));
	}
	SPI_finish();
	iq_trigger_restore_user(&saved);
}

PG_FUNCTION_INFO_V1(iq_freeze_installments);
Datum
iq_freeze_installments(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata;
	Trigger    *trigger;
	Relation	rel;
	Oid			ref_type;
	int32		typmod;
	AttrNumber	ref_attnum;

	trigdata = iq_trigger_data(fcinfo, "iq_freeze_installments", TRIGGER_TYPE_BEFORE,
							   TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE,
							   FREEZE_NARGS, FREEZE_NARGS,
							   "Pass the installment table's offer column, then the offer table, its key column and its acceptance date column.");
	trigger = trigdata->tg_trigger;
	rel = trigdata->tg_relation;
	ref_attnum = iq_trigger_column(rel, trigger, trigger->tgargs[FREEZE_OFFER_REF],
								   "offer", InvalidOid, &ref_type, &typmod);

	/* an update may move an installment between offers: both must be open */
	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		check_offer_open(rel, trigger, ref_attnum, ref_type, trigdata->tg_trigtuple);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		check_offer_open(rel, trigger, ref_attnum, ref_type, trigdata->tg_newtuple);
		return PointerGetDatum(trigdata->tg_newtuple);
	}
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		check_offer_open(rel, trigger, ref_attnum, ref_type, trigdata->tg_trigtuple);
	return PointerGetDatum(trigdata->tg_trigtuple);
}
