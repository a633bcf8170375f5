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
 *
 * iq_freeze_installments reads the offer's acceptance date as the latest
 * committed state shows it, without locking the offer row: a lock taken
 * after PostgreSQL has locked the installment row would make two writers
 * of one offer deadlock where they would otherwise only queue.  An
 * acceptance committed after that read is caught at commit instead, by
 * iq_installment_constraint's check of the offer (installment_trigger.c),
 * which refuses schedule changes an accepted offer did not see.
 */
#include "compat.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"

#include "calendar.h"
#include "index_lookup.h"
#include "offer_checks.h"
#include "schedule_freeze.h"
#include "trigger_cache.h"
#include "violation.h"

void
iq_refuse_schedule_change(const char *offer_text, DateADT accepted, bool show_date,
						  bool concurrently)
{
	char	   *date = show_date ?
	iq_date_to_cstring(accepted) : NULL;

	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 offer_text && date ?
			 errmsg("the payment schedule of offer %s cannot change: the offer was accepted on %s",
					offer_text, date) :
			 offer_text ?
			 errmsg("the payment schedule of offer %s cannot change: the offer was accepted",
					offer_text) :
			 errmsg("the payment schedule of this offer cannot change: the offer was accepted on %s",
					date),
			 concurrently ?
			 errdetail("Another transaction accepted the offer while this one changed its payment schedule.") :
			 errdetail("A payment schedule is fixed once the buyer has accepted the offer."),
			 errhint("Create a new offer with the new payment schedule instead.")));
}

enum
{
	OFFER_ACCEPTANCE,
	OFFER_SCHEDULE,
	OFFER_NROLES
};

static const IqRole offer_roles[OFFER_NROLES] = {
	{"acceptance_column", "acceptance date column", IQ_ARG_DATE, IQ_ON_TRIGGER_TABLE, IQ_ROLE_REQUIRED},
	{"schedule_column", "payment schedule column", IQ_ARG_ANY, IQ_ON_TRIGGER_TABLE,
	IQ_ROLE_REQUIRED | IQ_ROLE_REPEATS},
};

const IqTriggerKind iq_freeze_offer_schedule_kind = {
	.funcname = "iq_freeze_offer_schedule",
	.timing = TRIGGER_TYPE_BEFORE,
	.events = TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE,
	.nroles = OFFER_NROLES,
	.roles = offer_roles,
	.min_positional = 2,
	.max_positional = FUNC_MAX_ARGS,
	.args_hint = "Pass the acceptance date column, then every column that holds the payment schedule.",
};

PG_FUNCTION_INFO_V1(iq_freeze_offer_schedule);
Datum
iq_freeze_offer_schedule(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata;
	IqTriggerInfo *info = iq_trigger_info(fcinfo, &iq_freeze_offer_schedule_kind, &trigdata);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	old = trigdata->tg_trigtuple;
	HeapTuple	new = trigdata->tg_newtuple;
	const IqColumn *acceptance = &info->columns[OFFER_ACCEPTANCE];
	bool		not_accepted;
	Datum		accepted = heap_getattr(old, acceptance->attnum, desc, &not_accepted);
	bool		changed;

	if (not_accepted)
		return PointerGetDatum(TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ? old : new);

	/* the acceptance date belongs to the frozen schedule: no un-accepting */
	changed = TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ||
		!iq_same_column_value(old, new, desc, acceptance->attnum) ||
		!iq_same_column_value(old, new, desc, info->columns[OFFER_SCHEDULE].attnum);
	for (int i = 0; i < info->nrepeated && !changed; i++)
		changed = !iq_same_column_value(old, new, desc, info->repeated[i].attnum);
	if (changed)
		iq_refuse_schedule_change(NULL, iq_column_to_date(acceptance, accepted), true, false);
	return PointerGetDatum(new);
}

enum
{
	INSTALLMENT_OFFER,
	INSTALLMENT_OFFER_TABLE,
	INSTALLMENT_OFFER_KEY,
	INSTALLMENT_ACCEPTANCE,
	INSTALLMENT_NROLES
};

static const IqRole installment_roles[INSTALLMENT_NROLES] = {
	{"offer_column", "offer column", IQ_ARG_KEY, IQ_ON_TRIGGER_TABLE, IQ_ROLE_REQUIRED},
	{"offer_table", "offer table", IQ_ARG_TABLE, IQ_ON_OFFERS, IQ_ROLE_REQUIRED},
	{"offer_key_column", "offer key column", IQ_ARG_KEY, IQ_ON_OFFERS, IQ_ROLE_REQUIRED},
	{"acceptance_column", "acceptance date column", IQ_ARG_DATE, IQ_ON_OFFERS, IQ_ROLE_REQUIRED},
};

#define ACCEPTANCE_PLAN	0

/* what the trigger keeps besides its columns and query */
typedef struct FreezeState
{
	IqIndexLookup offer_lookup;
	IqReadRights rights;		/* the owner may read the offer table whole */
	int16		key_typlen;
	bool		key_typbyval;
} FreezeState;

static void
validate_installments(IqTriggerInfo *info)
{
	iq_check_comparable(info, INSTALLMENT_OFFER, INSTALLMENT_OFFER_KEY);
}

/*
 * The offer's key and acceptance date, by the installment's offer column:
 * through an index of the offer table when it has one, else a query.
 */
static void
prepare_installments(IqTriggerInfo *info, Relation rel)
{
	const IqColumn *ref = &info->columns[INSTALLMENT_OFFER];
	const IqColumn *key = &info->columns[INSTALLMENT_OFFER_KEY];
	FreezeState *state = palloc0(sizeof(FreezeState));
	Relation	offers = table_open(info->offers, NoLock);

	iq_index_lookup_prepare(&state->offer_lookup, offers, key->attnum,
							ref->basetype, RelationGetForm(rel)->relowner);
	if (OidIsValid(state->offer_lookup.indexoid))
		info->indexes[info->nindexes++] = state->offer_lookup.indexoid;
	table_close(offers, NoLock);
	get_typlenbyval(key->type, &state->key_typlen, &state->key_typbyval);
	info->extra = state;

	iq_trigger_prepare(info, ACCEPTANCE_PLAN,
					   psprintf("SELECT %s, %s FROM %s WHERE %s OPERATOR(pg_catalog.=) $1",
								quote_identifier(info->columns[INSTALLMENT_OFFER_KEY].name),
								quote_identifier(info->columns[INSTALLMENT_ACCEPTANCE].name),
								iq_qualified_table_name(info->offers),
								quote_identifier(info->columns[INSTALLMENT_OFFER_KEY].name)),
					   1, (Oid *) &ref->type);
}

const IqTriggerKind iq_freeze_installments_kind = {
	.funcname = "iq_freeze_installments",
	.timing = TRIGGER_TYPE_BEFORE,
	.events = TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE,
	.nroles = INSTALLMENT_NROLES,
	.roles = installment_roles,
	.min_positional = INSTALLMENT_NROLES,
	.max_positional = INSTALLMENT_NROLES,
	.args_hint = "Pass the installment table's offer column, then the offer table, its key column and its acceptance date column.",
	.validate = validate_installments,
	.prepare = prepare_installments,
};

/*
 * The offer's key and acceptance date as the latest committed state and
 * this transaction's own changes show them; false when there is no offer.
 */
static bool
read_offer(IqTriggerInfo *info, Datum offer, Datum *key, Datum *accepted,
		   bool *not_accepted)
{
	FreezeState *state = info->extra;
	const IqColumn *key_column = &info->columns[INSTALLMENT_OFFER_KEY];
	const IqColumn *acceptance = &info->columns[INSTALLMENT_ACCEPTANCE];
	bool		found;
	bool		isnull;

	if (OidIsValid(state->offer_lookup.indexoid) &&
		iq_may_read_tables(&state->rights, info->offers, InvalidOid))
	{
		IqIndexScan scan;
		Snapshot	snapshot;

		/* as a query would: the statement's own changes show */
		CommandCounterIncrement();
		snapshot = RegisterSnapshot(GetLatestSnapshot());
		/* locked since the firing began (trigger_cache.c) */
		iq_index_scan_begin(&scan, &state->offer_lookup, info->offers, snapshot, offer, false);
		found = iq_index_scan_next(&scan);
		if (found)
		{
			*key = datumCopy(slot_getattr(scan.slot, key_column->attnum, &isnull),
							 state->key_typbyval, state->key_typlen);
			*accepted = slot_getattr(scan.slot, acceptance->attnum, not_accepted);
		}
		iq_index_scan_end(&scan);
		UnregisterSnapshot(snapshot);
		return found;
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/*
	 * read-write: the command counter moves on, so the statement's changes
	 * show
	 */
	if (SPI_execute_snapshot(info->plans[ACCEPTANCE_PLAN], &offer, NULL,
							 GetLatestSnapshot(), InvalidSnapshot,
							 false, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the offer of an installment");
	{
		Oid			types[2];
		const char *names[2];

		types[0] = key_column->type;
		types[1] = acceptance->type;
		names[0] = key_column->name;
		names[1] = acceptance->name;
		iq_trigger_check_result(info, SPI_tuptable->tupdesc, 2, types, names);
	}
	found = SPI_processed > 0;
	if (found)
	{
		HeapTuple	tuple = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		*key = SPI_datumTransfer(SPI_getbinval(tuple, desc, 1, &isnull),
								 state->key_typbyval, state->key_typlen);
		*accepted = SPI_getbinval(tuple, desc, 2, not_accepted);
	}
	SPI_finish();
	return found;
}

/*
 * Refuse the change when the row's offer has been accepted; otherwise note
 * that this transaction changed the offer's schedule while it was open.
 */
static void
check_offer_open(IqTriggerInfo *info, Relation rel, HeapTuple row)
{
	FreezeState *state = info->extra;
	const IqColumn *acceptance = &info->columns[INSTALLMENT_ACCEPTANCE];
	bool		isnull;
	Datum		offer = heap_getattr(row, info->columns[INSTALLMENT_OFFER].attnum,
									 RelationGetDescr(rel), &isnull);
	IqSavedUser saved;
	IqOfferKey	offer_key;
	Datum		accepted;
	bool		not_accepted;

	if (isnull)
		return;					/* belongs to no offer */

	iq_become_owner(rel, &saved);
	if (read_offer(info, offer, &offer_key.value, &accepted, &not_accepted))
	{
		/* an acceptance date is a date, timestamp or timestamptz: by value */
		if (!not_accepted)
			iq_refuse_schedule_change(iq_value_to_text(offer, info->columns[INSTALLMENT_OFFER].type),
									  iq_column_to_date(acceptance, accepted),
									  iq_user_may_read(saved.userid, info->offers,
													   &acceptance->attnum, 1),
									  false);
		offer_key.typlen = state->key_typlen;
		offer_key.typbyval = state->key_typbyval;
		iq_schedule_changed(info->offers, &offer_key);
	}
	iq_restore_user(&saved);
}

PG_FUNCTION_INFO_V1(iq_freeze_installments);
Datum
iq_freeze_installments(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata;
	IqTriggerInfo *info = iq_trigger_info(fcinfo, &iq_freeze_installments_kind, &trigdata);
	Relation	rel = trigdata->tg_relation;

	/* an update may move an installment between offers: both must be open */
	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		check_offer_open(info, rel, trigdata->tg_trigtuple);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		if (!iq_same_column_value(trigdata->tg_trigtuple, trigdata->tg_newtuple,
								  RelationGetDescr(rel),
								  info->columns[INSTALLMENT_OFFER].attnum))
			check_offer_open(info, rel, trigdata->tg_newtuple);
		return PointerGetDatum(trigdata->tg_newtuple);
	}
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		check_offer_open(info, rel, trigdata->tg_trigtuple);
	return PointerGetDatum(trigdata->tg_trigtuple);
}
