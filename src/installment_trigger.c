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
 * For every offer whose installments or row changed, the check locks the
 * offer row, reads all its installments with a fresh snapshot and
 * validates them as iq_installment_plan_check would.  The lock makes concurrent writers to
 * one offer check one after the other, and the fresh snapshot lets the
 * second see what the first committed, at any isolation level.
 */
#include "compat.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "plan_validation.h"
#include "trigger_args.h"
#include "violation_sql.h"

#define FUNCNAME	"iq_installment_constraint"
#define ARGS_HINT	"Pass the installment table and its offer, invoice date and amount columns, then the offer table and its key, contract total, contract term and (optionally) acceptance date columns."

/* arguments, in order */
enum
{
	ARG_INSTALLMENT_TABLE,
	ARG_OFFER_REF,
	ARG_INVOICE_DATE,
	ARG_AMOUNT,
	ARG_OFFER_TABLE,
	ARG_OFFER_KEY,
	ARG_TOTAL,
	ARG_TERM,
	ARG_ACCEPTANCE,
	NARGS
};

/* The two queries of one trigger, prepared once per backend. */
typedef struct ConstraintPlans
{
	Oid			tgoid;			/* hash key */
	Oid			installment_relid;
	Oid			offer_relid;
	SPIPlanPtr	peek_plan;		/* total, term, acceptance, xmin of offer $1 */
	SPIPlanPtr	offer_plan;		/* the same, locked */
	SPIPlanPtr	rows_plan;		/* invoice dates and amounts of $1, unsorted */
} ConstraintPlans;

static HTAB *constraint_plans = NULL;

/*
 * The offers checked so far in one firing of the queued trigger events,
 * one set per check: the installment and offer tables, the columns and the
 * type of the key.  A trigger and its twin on the other table make the
 * same check, so they share a set, and an offer whose row and installments
 * both changed is checked once.  All events of one firing see the same
 * finished set of changes.  The sets live in the firing's executor memory
 * (where its tuple slots are), exactly as long as fn_extra does, and are
 * forgotten with it.
 */
typedef struct FiringChecks
{
	MemoryContext firing;
	HTAB	   *sets;			/* CheckedSet, by check */
	MemoryContextCallback forget;
} FiringChecks;

typedef struct CheckedSet
{
	const char *check;			/* hash key */
	HTAB	   *offers;			/* OfferKey */
} CheckedSet;

/* an offer key, compared by its binary image: equal images, same offer */
typedef struct OfferKey
{
	Datum		value;
	int16		typlen;
	bool		typbyval;
} OfferKey;

static FiringChecks *firing_checks = NULL;

/* per-firing state in fn_extra */
typedef struct ConstraintState
{
	Oid			tgoid;
	AttrNumber	ref_attnum;		/* the offer key in the fired-on table */
	Oid			ref_type;
	int16		ref_typlen;
	bool		ref_typbyval;
	MemoryContext firing;		/* holds this and the sets */
	HTAB	   *checked;		/* the offers this check has done */
} ConstraintState;

static uint32
string_key_hash(const void *key, Size keysize pg_attribute_unused())
{
	const char *s = *(const char *const *) key;

	return hash_bytes((const unsigned char *) s, strlen(s));
}

static int
string_key_match(const void *a, const void *b, Size keysize pg_attribute_unused())
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static uint32
offer_key_hash(const void *key, Size keysize pg_attribute_unused())
{
	const OfferKey *k = key;

	return datum_image_hash(k->value, k->typbyval, k->typlen);
}

static int
offer_key_match(const void *a, const void *b, Size keysize pg_attribute_unused())
{
	const OfferKey *ka = a;
	const OfferKey *kb = b;

	return ka->typlen == kb->typlen && ka->typbyval == kb->typbyval &&
		datum_image_eq(ka->value, kb->value, ka->typbyval, ka->typlen) ? 0 : 1;
}

static void
forget_firing_checks(void *arg)
{
	if (firing_checks == arg)
		firing_checks = NULL;
}

/* The set of offers a check has done in the firing that owns memory firing. */
static HTAB *
checked_offers(MemoryContext firing, const char *check)
{
	CheckedSet *set;
	bool		found;
	HASHCTL		ctl;

	if (firing_checks == NULL || firing_checks->firing != firing)
	{
		FiringChecks *checks = MemoryContextAllocZero(firing, sizeof(FiringChecks));

		checks->firing = firing;
		ctl.keysize = sizeof(char *);
		ctl.entrysize = sizeof(CheckedSet);
		ctl.hash = string_key_hash;
		ctl.match = string_key_match;
		ctl.hcxt = firing;
		checks->sets = hash_create("iqfees checks of a trigger firing", 4, &ctl,
								   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
		checks->forget.func = forget_firing_checks;
		checks->forget.arg = checks;
		MemoryContextRegisterResetCallback(firing, &checks->forget);
		firing_checks = checks;
	}

	set = hash_search(firing_checks->sets, &check, HASH_ENTER, &found);
	if (!found)
	{
		set->check = MemoryContextStrdup(firing, check);
		ctl.keysize = sizeof(OfferKey);
		ctl.entrysize = sizeof(OfferKey);
		ctl.hash = offer_key_hash;
		ctl.match = offer_key_match;
		ctl.hcxt = firing;
		set->offers = hash_create("iqfees checked offers", 256, &ctl,
								  HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	}
	return set->offers;
}

static const char *
column_of(Relation rel, Trigger *trigger, int arg, const char *role, Oid needed)
{
	Oid			type;
	int32		typmod;

	iq_trigger_column(rel, trigger, trigger->tgargs[arg], role, needed, &type, &typmod);
	return quote_identifier(trigger->tgargs[arg]);
}

static SPIPlanPtr
prepare_plan(const char *sql, Oid ref_type)
{
	SPIPlanPtr	plan = SPI_prepare(sql, 1, &ref_type);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
			 SPI_result_code_string(SPI_result));
	return plan;
}

/*
 * The plans of a trigger; ref_type is the type of the key value the
 * trigger passes as $1.
 */
static ConstraintPlans *
prepare_plans(Relation rel, Trigger *trigger, Oid ref_type)
{
	ConstraintPlans *plans;
	bool		found;
	Oid			installment_relid;
	Oid			offer_relid;
	Relation	installment_rel;
	Relation	offer_rel;
	const char *ref;
	const char *invoice_date;
	const char *amount;
	const char *key;
	const char *total;
	const char *term;
	const char *acceptance;
	char	   *offer_sql;
	SPIPlanPtr	peek_plan;
	SPIPlanPtr	offer_plan;
	SPIPlanPtr	rows_plan;

	if (constraint_plans == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(ConstraintPlans);
		constraint_plans = hash_create("iqfees installment constraint plans", 16,
									   &ctl, HASH_ELEM | HASH_BLOBS);
	}
	plans = hash_search(constraint_plans, &trigger->tgoid, HASH_FIND, &found);
	if (found)
		return plans;

	installment_relid = iq_trigger_table(rel, trigger->tgargs[ARG_INSTALLMENT_TABLE]);
	installment_rel = table_open(installment_relid, AccessShareLock);
	ref = column_of(installment_rel, trigger, ARG_OFFER_REF, "offer", InvalidOid);
	invoice_date = column_of(installment_rel, trigger, ARG_INVOICE_DATE, "invoice date", DATEOID);
	amount = column_of(installment_rel, trigger, ARG_AMOUNT, "amount", NUMERICOID);
	table_close(installment_rel, AccessShareLock);

	offer_relid = iq_trigger_table(rel, trigger->tgargs[ARG_OFFER_TABLE]);
	offer_rel = table_open(offer_relid, AccessShareLock);
	key = column_of(offer_rel, trigger, ARG_OFFER_KEY, "offer key", InvalidOid);
	total = column_of(offer_rel, trigger, ARG_TOTAL, "contract total", NUMERICOID);
	term = column_of(offer_rel, trigger, ARG_TERM, "contract term", DATERANGEOID);
	acceptance = trigger->tgnargs > ARG_ACCEPTANCE ?
		column_of(offer_rel, trigger, ARG_ACCEPTANCE, "acceptance date", DATEOID) :
		"NULL::pg_catalog.date";
	table_close(offer_rel, AccessShareLock);

	/* the plans are all built before any is kept, so a failure leaks none */
	offer_sql = psprintf("SELECT %s, %s, %s, xmin FROM %s WHERE %s OPERATOR(pg_catalog.=) $1",
						 total, term, acceptance, iq_qualified_table_name(offer_relid),
						 key);
	peek_plan = prepare_plan(offer_sql, ref_type);
	offer_plan = prepare_plan(psprintf("%s FOR NO KEY UPDATE", offer_sql), ref_type);
	/* sorted by sort_installments: a Sort node per check costs more */
	rows_plan = prepare_plan(psprintf("SELECT %s, %s FROM %s WHERE %s OPERATOR(pg_catalog.=) $1",
									  invoice_date, amount,
									  iq_qualified_table_name(installment_relid), ref),
							 ref_type);
	SPI_keepplan(peek_plan);
	SPI_keepplan(offer_plan);
	SPI_keepplan(rows_plan);
	plans = hash_search(constraint_plans, &trigger->tgoid, HASH_ENTER, NULL);
	plans->installment_relid = installment_relid;
	plans->offer_relid = offer_relid;
	plans->peek_plan = peek_plan;
	plans->offer_plan = offer_plan;
	plans->rows_plan = rows_plan;
	return plans;
}

/* One installment as read, for sorting. */
typedef struct InstallmentRow
{
	Datum		date;
	Datum		amount;
	bool		date_null;
	bool		amount_null;
} InstallmentRow;

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

/*
 * The installments SPI read, as a plan in the order of their invoice dates
 * (then amounts), which numbers them.
 */
static void
sort_installments(IqPlanValues *plan)
{
	int			n = (int) SPI_processed;
	InstallmentRow *rows = palloc(sizeof(InstallmentRow) * Max(n, 1));

	for (int i = 0; i < n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		rows[i].date = SPI_getbinval(tuple, desc, 1, &rows[i].date_null);
		rows[i].amount = SPI_getbinval(tuple, desc, 2, &rows[i].amount_null);
	}
	qsort(rows, n, sizeof(InstallmentRow), installment_cmp);

	plan->ndates = plan->namounts = n;
	plan->dates = palloc(sizeof(Datum) * Max(n, 1));
	plan->date_nulls = palloc(sizeof(bool) * Max(n, 1));
	plan->amounts = palloc(sizeof(Datum) * Max(n, 1));
	plan->amount_nulls = palloc(sizeof(bool) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		plan->dates[i] = rows[i].date;
		plan->date_nulls[i] = rows[i].date_null;
		plan->amounts[i] = rows[i].amount;
		plan->amount_nulls[i] = rows[i].amount_null;
	}
}

/* Did this transaction write the offer row SPI read (its 4th column is xmin)? */
static bool
read_row_written_here(void)
{
	bool		isnull;
	Datum		xmin = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4,
									 &isnull);

	return !isnull && TransactionIdIsCurrentTransactionId(DatumGetTransactionId(xmin));
}

/*
 * Check one offer's installments; raise 23514 when they break a rule.  The
 * offer's key is turned into text only for a message.
 */
static void
check_offer(Relation rel, Trigger *trigger, Oid ref_type, Datum offer)
{
	ConstraintPlans *plans;
	IqPlanValues plan;
	HeapTuple	tuple;
	TupleDesc	desc;
	bool		total_null;
	bool		term_null;
	bool		acceptance_null;
	Datum		term;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plans = prepare_plans(rel, trigger, ref_type);

	/*
	 * Lock the offer row, so that writers of one offer's installments check
	 * one after the other.  A row this transaction wrote needs no lock:
	 * until it commits nobody else sees a new row, and an updated one is
	 * locked by the update; locking it would only cost a WAL record.
	 */
	if (SPI_execute_plan(plans->peek_plan, &offer, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read offer %s", iq_value_text(offer, ref_type));
	if (SPI_processed == 0 || !read_row_written_here())
	{
		if (SPI_execute_plan(plans->offer_plan, &offer, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not lock offer %s", iq_value_text(offer, ref_type));
	}
	if (SPI_processed == 0)
	{
		/* the offer is gone; its own constraints decide about that */
		SPI_finish();
		return;
	}
	tuple = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	plan.contract_total = SPI_getbinval(tuple, desc, 1, &total_null);
	term = SPI_getbinval(tuple, desc, 2, &term_null);
	plan.acceptance = DatumGetDateADT(SPI_getbinval(tuple, desc, 3, &acceptance_null));
	plan.has_acceptance = !acceptance_null;
	if (total_null || term_null)
	{
		/* like a CHECK constraint, an unknown total or term is no violation */
		SPI_finish();
		return;
	}
	plan.term = iq_term_from_range(term);

	if (SPI_execute_snapshot(plans->rows_plan, &offer, NULL, GetLatestSnapshot(),
							 InvalidSnapshot, true, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the installments of offer %s",
			 iq_value_text(offer, ref_type));
	if (SPI_processed > IQ_MAX_PLAN_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("offer %s has " UINT64_FORMAT " installments; at most %d can be checked",
						iq_value_text(offer, ref_type), SPI_processed,
						IQ_MAX_PLAN_LENGTH)));
	sort_installments(&plan);
	plan.hide_values = false;

	iq_violation_report(iq_plan_violation_list(&plan),
						psprintf("installment plan of offer %s",
								 iq_value_text(offer, ref_type)));
	SPI_finish();
}

static ConstraintState *
constraint_state(FunctionCallInfo fcinfo, TriggerData *trigdata)
{
	ConstraintState *state = fcinfo->flinfo->fn_extra;
	Trigger    *trigger = trigdata->tg_trigger;
	Relation	rel = trigdata->tg_relation;

	if (state == NULL || state->tgoid != trigger->tgoid)
	{
		/*
		 * The firing's executor memory: the trigger manager keeps the
		 * slots of a firing there, with the FmgrInfo whose fn_extra this
		 * is.  (Only constraint triggers fire deferred, and foreign
		 * tables, whose slots live elsewhere, cannot have them.)
		 */
		MemoryContext firing = trigdata->tg_trigslot->tts_mcxt;
		Oid			installment_relid = iq_trigger_table(rel, trigger->tgargs[ARG_INSTALLMENT_TABLE]);
		Oid			offer_relid = iq_trigger_table(rel, trigger->tgargs[ARG_OFFER_TABLE]);
		StringInfoData check;
		int32		typmod;
		int			key_arg;

		/* on the installment table the key is the offer column, else the key */
		if (installment_relid == RelationGetRelid(rel))
			key_arg = ARG_OFFER_REF;
		else if (offer_relid == RelationGetRelid(rel))
			key_arg = ARG_OFFER_KEY;
		else
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("trigger \"%s\" is on relation \"%s\", but %s must be on the installment table \"%s\" or the offer table \"%s\" its arguments name",
							trigger->tgname, RelationGetRelationName(rel), FUNCNAME,
							trigger->tgargs[ARG_INSTALLMENT_TABLE],
							trigger->tgargs[ARG_OFFER_TABLE])));

		state = MemoryContextAllocZero(firing, sizeof(ConstraintState));
		state->tgoid = trigger->tgoid;
		state->firing = firing;
		state->ref_attnum = iq_trigger_column(rel, trigger, trigger->tgargs[key_arg],
											  key_arg == ARG_OFFER_REF ? "offer" : "offer key",
											  InvalidOid, &state->ref_type, &typmod);
		get_typlenbyval(state->ref_type, &state->ref_typlen, &state->ref_typbyval);

		/* what is checked: the tables, the columns and the key's type */
		initStringInfo(&check);
		appendStringInfo(&check, "%u %u %u", installment_relid, offer_relid,
						 state->ref_type);
		for (int i = 0; i < trigger->tgnargs; i++)
			if (i != ARG_INSTALLMENT_TABLE && i != ARG_OFFER_TABLE)
				appendStringInfo(&check, " %s", quote_identifier(trigger->tgargs[i]));
		state->checked = checked_offers(firing, check.data);
		fcinfo->flinfo->fn_extra = state;
	}
	return state;
}

/*
 * Check the offer a row refers to, unless this firing already has: all
 * events of one firing see the same finished set of changes.
 */
static void
check_row_offer(TriggerData *trigdata, ConstraintState *state, HeapTuple row)
{
	OfferKey	key;
	OfferKey   *entry;
	bool		isnull;
	bool		found;
	IqSavedUser saved;

	key.value = heap_getattr(row, state->ref_attnum,
							 RelationGetDescr(trigdata->tg_relation), &isnull);
	if (isnull)
		return;					/* belongs to no offer */
	key.typlen = state->ref_typlen;
	key.typbyval = state->ref_typbyval;
	hash_search(state->checked, &key, HASH_FIND, &found);
	if (found)
		return;

	iq_trigger_become_owner(trigdata->tg_relation, &saved);
	check_offer(trigdata->tg_relation, trigdata->tg_trigger, state->ref_type,
				key.value);
	iq_trigger_restore_user(&saved);
	entry = hash_search(state->checked, &key, HASH_ENTER, NULL);
	if (!key.typbyval)
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(state->firing);

		if (key.typlen == -1)
			key.value = PointerGetDatum(PG_DETOAST_DATUM_PACKED(key.value));
		entry->value = datumCopy(key.value, false, key.typlen);
		MemoryContextSwitchTo(oldcxt);
	}
}

PG_FUNCTION_INFO_V1(iq_installment_constraint);
Datum
iq_installment_constraint(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata;
	ConstraintState *state;

	trigdata = iq_trigger_data(fcinfo, FUNCNAME, TRIGGER_TYPE_AFTER,
							   TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE,
							   NARGS - 1, NARGS, ARGS_HINT);
	state = constraint_state(fcinfo, trigdata);

	/* an update may move an installment, or change an offer's key */
	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		check_row_offer(trigdata, state, trigdata->tg_trigtuple);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		check_row_offer(trigdata, state, trigdata->tg_newtuple);
	else if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		check_row_offer(trigdata, state, trigdata->tg_trigtuple);

	return PointerGetDatum(NULL);
}
