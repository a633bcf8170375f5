/*
 * installment_trigger.c
 *		iq_installment_constraint(): enforces the installment plan rules per
 *		offer on a table with one row per installment.
 *
 *		CREATE CONSTRAINT TRIGGER installment_plan
 *			AFTER INSERT OR UPDATE OR DELETE ON installment
 *			DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
 *			EXECUTE FUNCTION iq_installment_constraint(
 *				installment, offer_id, invoice_date, amount,
 *				offer, id, contract_total, contract_term, accepted_on);
 *
 * The same trigger, with the same arguments, goes on the offer table too,
 * so that changing an offer's total, term or acceptance date is checked.
 *
 * Each row event names an offer.  Checking an offer takes iqfees' lock on
 * it (offer_checks.c), so that checks of one offer take turns, then reads
 * the offer row and all its installments with a fresh snapshot
 * (offer_reads.c) and validates them as iq_installment_plan_check would.
 * An offer is checked once for all the changes one check can see: an event
 * whose change the offer's last check in this transaction already read
 * (its command came before that check's) is skipped, however the trigger
 * is fired (deferred, immediate) and whatever made the change (a
 * statement, a cascade, another trigger).
 */
#include "compat.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "installment.h"
#include "offer_checks.h"
#include "offer_reads.h"
#include "schedule_freeze.h"
#include "trigger_cache.h"
#include "violation.h"

static const IqRole constraint_roles[NROLES] = {
	{"installment_table", "installment table", IQ_ARG_TABLE, IQ_ON_INSTALLMENTS, IQ_ROLE_REQUIRED},
	{"offer_column", "offer column", IQ_ARG_KEY, IQ_ON_INSTALLMENTS, IQ_ROLE_REQUIRED},
	{"invoice_date_column", "invoice date column", IQ_ARG_DATE, IQ_ON_INSTALLMENTS, IQ_ROLE_REQUIRED},
	{"amount_column", "amount column", IQ_ARG_NUMERIC, IQ_ON_INSTALLMENTS, IQ_ROLE_REQUIRED},
	{"offer_table", "offer table", IQ_ARG_TABLE, IQ_ON_OFFERS, IQ_ROLE_REQUIRED},
	{"offer_key_column", "offer key column", IQ_ARG_KEY, IQ_ON_OFFERS, IQ_ROLE_REQUIRED},
	{"contract_total_column", "contract total column", IQ_ARG_NUMERIC, IQ_ON_OFFERS, IQ_ROLE_REQUIRED},
	{"contract_term_column", "contract term column", IQ_ARG_DATERANGE, IQ_ON_OFFERS, 0},
	{"acceptance_column", "acceptance date column", IQ_ARG_DATE, IQ_ON_OFFERS, 0},
	{"term_start_column", "term start column", IQ_ARG_DATE, IQ_ON_OFFERS, 0},
	{"term_end_column", "term end column", IQ_ARG_DATE, IQ_ON_OFFERS, 0},
	{"currency_column", "currency column", IQ_ARG_CURRENCY, IQ_ON_OFFERS, 0},
};

#define CHECK_PLAN	0			/* the reader's query */

/* What a decoded trigger keeps besides its columns and query. */
typedef struct ConstraintState
{
	/* the offer a row of the fired-on table names, by name in that table */
	AttrNumber	row_key_attnum;
	Oid			row_key_type;
	int16		row_key_typlen;
	bool		row_key_typbyval;
	AttrNumber	row_acceptance_attnum;	/* on the offer table; 0 without */

	/* hashing keys for iq_lock_offer, the same on both tables' triggers */
	bool		hash_keys;
	FmgrInfo	hash_proc;
	Oid			hash_collation;

	IqOfferReader reader;
	char	   *identity;		/* what is checked, for offer_checks.c */
	IqOfferSetCache offers;
} ConstraintState;

/* The term comes from one daterange column or from two day columns. */
static void
validate_constraint(IqTriggerInfo *info)
{
	bool		range = iq_role_column(info, ROLE_TERM) != NULL;
	bool		start = iq_role_column(info, ROLE_TERM_START) != NULL;
	bool		end = iq_role_column(info, ROLE_TERM_END) != NULL;

	if (range && (start || end))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 info->setup ?
				 errmsg("contract_term_column and term_start_column or term_end_column both give the contract term") :
				 errmsg("trigger \"%s\" on %s gives the contract term both as a daterange column and as day columns",
						info->tgname, info->relname),
				 errhint("Give either contract_term_column, or term_start_column and term_end_column.")));
	if (!range && !(start && end))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 info->setup ?
				 errmsg("the contract term needs contract_term_column, or both term_start_column and term_end_column") :
				 errmsg("trigger \"%s\" on %s gives no whole contract term", info->tgname, info->relname),
				 errhint("Give either contract_term_column, or term_start_column and term_end_column.")));
	iq_check_comparable(info, ROLE_OFFER_REF, ROLE_OFFER_KEY);
}

/* The offer key's hash, when both sides' key types hash alike. */
static void
prepare_hashing(IqTriggerInfo *info, ConstraintState *state)
{
	const IqColumn *ref = &info->columns[ROLE_OFFER_REF];
	const IqColumn *key = &info->columns[ROLE_OFFER_KEY];
	TypeCacheEntry *ref_hash = lookup_type_cache(ref->basetype,
												 TYPECACHE_HASH_PROC_FINFO | TYPECACHE_HASH_OPFAMILY);
	TypeCacheEntry *key_hash = lookup_type_cache(key->basetype,
												 TYPECACHE_HASH_PROC_FINFO | TYPECACHE_HASH_OPFAMILY);
	TypeCacheEntry *mine = info->side == IQ_SIDE_INSTALLMENTS ? ref_hash : key_hash;

	/*
	 * Hash functions of one hash operator family agree on equal values of its
	 * types (int4 and int8, say).  Otherwise every offer of the table gets
	 * the same lock: correct, only coarser.
	 */
	state->hash_keys = OidIsValid(ref_hash->hash_opf) &&
		ref_hash->hash_opf == key_hash->hash_opf &&
		OidIsValid(mine->hash_proc_finfo.fn_oid);
	if (state->hash_keys)
		fmgr_info_copy(&state->hash_proc, &mine->hash_proc_finfo, info->context);
	state->hash_collation = key->collation;
}

/* The column of the fired-on table (or partition) that names the offer. */
static void
prepare_row_columns(IqTriggerInfo *info, ConstraintState *state, Relation rel)
{
	const IqColumn *named = &info->columns[info->side == IQ_SIDE_INSTALLMENTS ?
										   ROLE_OFFER_REF : ROLE_OFFER_KEY];
	const IqColumn *acceptance = iq_role_column(info, ROLE_ACCEPTANCE);

	state->row_key_attnum = SPI_fnumber(RelationGetDescr(rel), named->name);
	state->row_key_type = named->type;
	get_typlenbyval(named->type, &state->row_key_typlen, &state->row_key_typbyval);
	if (info->side == IQ_SIDE_OFFERS && acceptance != NULL)
		state->row_acceptance_attnum = SPI_fnumber(RelationGetDescr(rel), acceptance->name);
}

static void
prepare_constraint(IqTriggerInfo *info, Relation rel)
{
	ConstraintState *state = palloc0(sizeof(ConstraintState));
	StringInfoData identity;

	prepare_row_columns(info, state, rel);
	prepare_hashing(info, state);
	iq_offer_reader_prepare(info, &state->reader, rel, state->row_key_type, CHECK_PLAN);

	/*
	 * A trigger and its twin on the other table make the same check; they
	 * share what they have checked when their key values have one type.
	 */
	initStringInfo(&identity);
	appendStringInfo(&identity, "%u %u %u", info->installments, info->offers,
					 state->row_key_type);
	for (int r = 0; r < NROLES; r++)
		if (info->columns[r].argno > 0 && constraint_roles[r].kind != IQ_ARG_TABLE)
			appendStringInfo(&identity, " %s=%s", constraint_roles[r].name,
							 quote_identifier(info->columns[r].name));
	state->identity = identity.data;
	info->extra = state;
}

const IqTriggerKind iq_installment_constraint_kind = {
	.funcname = "iq_installment_constraint",
	.timing = TRIGGER_TYPE_AFTER,
	.events = TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE,
	.nroles = NROLES,
	.roles = constraint_roles,
	.min_positional = ROLE_TERM + 1,
	.max_positional = ROLE_ACCEPTANCE + 1,
	.args_hint = "Pass the installment table and its offer, invoice date and amount columns, then the offer table and its key, contract total, contract term and (optionally) acceptance date columns.",
	.validate = validate_constraint,
	.prepare = prepare_constraint,
};

/* ORDER BY invoice_date NULLS LAST, amount NULLS LAST */
static int
installment_cmp(const void *a, const void *b)
{
	const InstallmentRow *ra = a;
	const InstallmentRow *rb = b;

	if (ra->date_null != rb->date_null)
		return ra->date_null ? 1 : -1;
	if (!ra->date_null && DatumGetDateADT(ra->date) != DatumGetDateADT(rb->date))
		return DatumGetDateADT(ra->date) < DatumGetDateADT(rb->date) ? -1 : 1;
	if (ra->amount_null != rb->amount_null)
		return ra->amount_null ? 1 : -1;
	if (ra->amount_null)
		return 0;
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, ra->amount, rb->amount));
}

/* The installments read, as a plan numbered in date (then amount) order. */
static void
plan_from_read(OfferRead *read, IqPlanValues *plan)
{
	int			n = read->ninstallments;

	qsort(read->installments, n, sizeof(InstallmentRow), installment_cmp);
	plan->ndates = plan->namounts = n;
	plan->dates = palloc(sizeof(Datum) * Max(n, 1));
	plan->date_nulls = palloc(sizeof(bool) * Max(n, 1));
	plan->amounts = palloc(sizeof(Datum) * Max(n, 1));
	plan->amount_nulls = palloc(sizeof(bool) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		plan->dates[i] = read->installments[i].date;
		plan->date_nulls[i] = read->installments[i].date_null;
		plan->amounts[i] = read->installments[i].amount;
		plan->amount_nulls[i] = read->installments[i].amount_null;
	}
}

static uint32
key_hash(const ConstraintState *state, Datum key)
{
	if (!state->hash_keys)
		return 0;
	return DatumGetUInt32(FunctionCall1Coll((FmgrInfo *) &state->hash_proc,
											state->hash_collation, key));
}

/* May the user who fired the trigger see the values read from other rows? */
static bool
values_visible(const IqTriggerInfo *info, Oid userid)
{
	const IqColumn *c = info->columns;
	AttrNumber	offer_columns[5];
	AttrNumber	installment_columns[2];
	int			n = 0;

	offer_columns[n++] = c[ROLE_TOTAL].attnum;
	if (iq_role_column(info, ROLE_TERM))
		offer_columns[n++] = c[ROLE_TERM].attnum;
	else
	{
		offer_columns[n++] = c[ROLE_TERM_START].attnum;
		offer_columns[n++] = c[ROLE_TERM_END].attnum;
	}
	if (iq_role_column(info, ROLE_ACCEPTANCE))
		offer_columns[n++] = c[ROLE_ACCEPTANCE].attnum;
	if (iq_role_column(info, ROLE_CURRENCY))
		offer_columns[n++] = c[ROLE_CURRENCY].attnum;
	installment_columns[0] = c[ROLE_INVOICE_DATE].attnum;
	installment_columns[1] = c[ROLE_AMOUNT].attnum;
	return iq_user_may_read(userid, info->offers, offer_columns, n) &&
		iq_user_may_read(userid, info->installments, installment_columns, 2);
}

/*
 * Check one offer: lock it, read it with everything committed so far, and
 * raise 23514 when its installments break a rule (55000 when another
 * transaction accepted it while this one changed its schedule).  Runs as
 * the trigger table's owner; userid fired the trigger.  own_row is the
 * offer's latest row when this transaction wrote it (own_offer_row), or
 * NULL.  Returns the command the check read up to (it saw every change
 * made before).
 */
static CommandId
check_offer(IqTriggerInfo *info, Datum offer, TupleTableSlot *own_row, Oid userid)
{
	ConstraintState *state = info->extra;
	OfferRead	read;
	IqPlanValues plan;
	IqOfferKey	offer_key;
	List	   *violations;

	iq_lock_offer(info->offers, key_hash(state, offer));

	iq_read_offer(info, &state->reader, offer, own_row, &read);

	/* the offer is gone; its own constraints decide about that */
	if (!read.found)
		return GetCurrentCommandId(false);

	/*
	 * Accepted by another transaction after this one changed the schedule:
	 * the acceptance did not see the change.
	 */
	offer_key.value = read.key;
	offer_key.typlen = state->reader.key_typlen;
	offer_key.typbyval = state->reader.key_typbyval;
	if (!read.acceptance_null && !TransactionIdIsCurrentTransactionId(read.xmin) &&
		iq_schedule_changed_here(info->offers, &offer_key))
		iq_refuse_schedule_change(iq_value_to_text(offer, state->row_key_type),
								  read.acceptance,
								  values_visible(info, userid), true);

	/*
	 * Like a CHECK constraint, an unknown total or term is no violation; an
	 * offer without installments has no plan to check.
	 */
	if (read.total_null || read.ninstallments == 0 ||
		(iq_role_column(info, ROLE_TERM) && read.term_null))
		return GetCurrentCommandId(false);

	if (read.currency == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("offer %s has no currency", iq_value_to_text(offer, state->row_key_type)),
				 errdetail("Its installment plan is checked in the currency of column \"%s\" of %s.",
						   info->columns[ROLE_CURRENCY].name,
						   iq_qualified_table_name(info->offers))));
	plan.contract_total = read.total;
	plan.currency = read.currency;
	if (iq_role_column(info, ROLE_TERM))
		plan.term = iq_range_to_term(read.term);
	else
		plan.term = iq_days_to_term(!read.term_start_null, read.term_start,
									!read.term_end_null, read.term_end,
									offer, state->row_key_type);
	plan.has_acceptance = !read.acceptance_null;
	plan.acceptance = read.acceptance_null ? 0 : read.acceptance;
	plan.hide_values = false;
	plan_from_read(&read, &plan);

	violations = iq_plan_violation_list(&plan);
	if (violations != NIL && !values_visible(info, userid))
	{
		plan.hide_values = true;
		violations = iq_plan_violation_list(&plan);
	}
	if (violations != NIL)
		iq_violation_report(violations,
							psprintf("installment plan of offer %s",
									 iq_value_to_text(offer, state->row_key_type)));
	return GetCurrentCommandId(false);
}

/*
 * The command that made the change an event reports: a row's inserting
 * (or updating) command, or a deleted row's deleting one.  InvalidCommandId
 * when the row does not tell (it was not written by this transaction, as
 * far as its header shows).
 */
static CommandId
change_command(TriggerData *trigdata)
{
	HeapTupleHeader header;

	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		header = trigdata->tg_trigtuple->t_data;
		if (!TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetUpdateXid(header)))
			return InvalidCommandId;
		return HeapTupleHeaderGetCmax(header);
	}
	header = (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
			  trigdata->tg_newtuple : trigdata->tg_trigtuple)->t_data;
	if (!TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetRawXmin(header)))
		return InvalidCommandId;
	return HeapTupleHeaderGetCmin(header);
}

/*
 * An offer table's row as an event reports it, when it is the offer's
 * latest version and this transaction wrote it: inserted or updated here
 * and neither updated nor deleted since (a lock leaves it the latest).  No
 * other transaction can see such a row, let alone change it, so a check
 * may take the offer from it instead of looking it up.  NULL otherwise.
 */
static TupleTableSlot *
own_offer_row(const IqTriggerInfo *info, TriggerData *trigdata, HeapTuple row,
			  TupleTableSlot *slot)
{
	uint16		infomask = row->t_data->t_infomask;

	if (info->side != IQ_SIDE_OFFERS ||
		RelationGetRelid(trigdata->tg_relation) != info->offers ||
		!TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetRawXmin(row->t_data)))
		return NULL;
	if (!(infomask & HEAP_XMAX_INVALID) && !HEAP_XMAX_IS_LOCKED_ONLY(infomask))
		return NULL;
	return slot;
}

/* Check the offer a row names, unless its last check saw the change. */
static void
check_row_offer(IqTriggerInfo *info, TriggerData *trigdata, HeapTuple row,
				TupleTableSlot *slot, CommandId changed)
{
	ConstraintState *state = info->extra;
	IqOfferSet *set = iq_offer_set(state->identity, &state->offers);
	IqOfferKey	key;
	bool		isnull;
	IqSavedUser saved;
	CommandId	read_before;

	key.value = heap_getattr(row, state->row_key_attnum,
							 RelationGetDescr(trigdata->tg_relation), &isnull);
	if (isnull)
		return;					/* belongs to no offer */
	key.typlen = state->row_key_typlen;
	key.typbyval = state->row_key_typbyval;
	if (changed != InvalidCommandId && iq_offer_seen(set, &key, changed))
		return;

	iq_become_owner(trigdata->tg_relation, &saved);
	read_before = check_offer(info, key.value, own_offer_row(info, trigdata, row, slot),
							  saved.userid);
	iq_restore_user(&saved);
	iq_offer_checked(set, &key, read_before);
}

/*
 * An update of an offer row that another transaction accepted, by a
 * transaction that changed the offer's schedule before: the acceptance
 * did not see that change.  (Once this transaction's own row version is
 * the latest, the check cannot tell any more whose acceptance it was.)
 */
static void
check_accepted_meanwhile(IqTriggerInfo *info, TriggerData *trigdata)
{
	ConstraintState *state = info->extra;
	HeapTuple	old = trigdata->tg_trigtuple;
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	bool		isnull;
	bool		not_accepted;
	Datum		accepted;
	IqOfferKey	key;

	if (state->row_acceptance_attnum <= 0 ||
		TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetRawXmin(old->t_data)))
		return;
	accepted = heap_getattr(old, state->row_acceptance_attnum, desc, &not_accepted);
	key.value = heap_getattr(old, state->row_key_attnum, desc, &isnull);
	if (not_accepted || isnull)
		return;
	key.typlen = state->row_key_typlen;
	key.typbyval = state->row_key_typbyval;
	if (iq_schedule_changed_here(info->offers, &key))
		iq_refuse_schedule_change(iq_value_to_text(key.value, state->row_key_type),
								  iq_column_to_date(&info->columns[ROLE_ACCEPTANCE], accepted),
								  values_visible(info, GetUserId()), true);
}

PG_FUNCTION_INFO_V1(iq_installment_constraint);
Datum
iq_installment_constraint(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata;
	IqTriggerInfo *info = iq_trigger_info(fcinfo, &iq_installment_constraint_kind, &trigdata);
	CommandId	changed = change_command(trigdata);

	/* decoding refused a trigger on any other table */
	Assert(info->side == IQ_SIDE_INSTALLMENTS || info->side == IQ_SIDE_OFFERS);

	if (info->side == IQ_SIDE_OFFERS && TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		check_accepted_meanwhile(info, trigdata);

	/* an update may move an installment, or change an offer's key */
	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		check_row_offer(info, trigdata, trigdata->tg_trigtuple, trigdata->tg_trigslot,
						changed);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		check_row_offer(info, trigdata, trigdata->tg_newtuple, trigdata->tg_newslot,
						changed);
	else if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		check_row_offer(info, trigdata, trigdata->tg_trigtuple, trigdata->tg_trigslot,
						changed);

	return PointerGetDatum(NULL);
}

/*
 * iq_offer_event_needed(offer anyelement): for the WHEN clause of an
 * installment table's constraint trigger, false when the previous row the
 * same statement changed (as this WHEN clause saw it) names the same offer.
 * That row's event is queued already and fires no earlier than the end of
 * the statement, so its check sees this row too: a statement that inserts
 * an offer's installments one after another queues one event per offer,
 * not one per installment.  NULL names no offer: false.
 */
typedef struct LastOffer
{
	bool		valid;
	Datum		value;
	int16		typlen;
	bool		typbyval;
} LastOffer;

PG_FUNCTION_INFO_V1(iq_offer_event_needed);
Datum
iq_offer_event_needed(PG_FUNCTION_ARGS)
{
	LastOffer  *last = fcinfo->flinfo->fn_extra;
	Datum		value;
	MemoryContext oldcxt;

	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(false);
	value = PG_GETARG_DATUM(0);
	if (last == NULL)
	{
		last = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(LastOffer));
		get_typlenbyval(get_fn_expr_argtype(fcinfo->flinfo, 0), &last->typlen,
						&last->typbyval);
		fcinfo->flinfo->fn_extra = last;
	}
	else if (last->valid &&
			 datum_image_eq(last->value, value, last->typbyval, last->typlen))
		PG_RETURN_BOOL(false);

	if (last->valid && !last->typbyval)
		pfree(DatumGetPointer(last->value));
	oldcxt = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	last->value = datumCopy(value, last->typbyval, last->typlen);
	MemoryContextSwitchTo(oldcxt);
	last->valid = true;
	PG_RETURN_BOOL(true);
}
