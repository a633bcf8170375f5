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
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
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
	SPIPlanPtr	offer_plan;		/* total, term, acceptance of $1, locked */
	SPIPlanPtr	rows_plan;		/* invoice dates and amounts of $1 */
} ConstraintPlans;

static HTAB *constraint_plans = NULL;

/* per-firing state in fn_extra: the offers already checked */
typedef struct ConstraintState
{
	Oid			tgoid;
	AttrNumber	ref_attnum;		/* the offer key in the fired-on table */
	Oid			ref_type;
	HTAB	   *checked;		/* offer keys as text */
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

static const char *
column_of(Relation rel, Trigger *trigger, int arg, const char *role, Oid needed)
{
	Oid			type;
	int32		typmod;

	iq_trigger_column(rel, trigger, trigger->tgargs[arg], role, needed, &type, &typmod);
	return quote_identifier(trigger->tgargs[arg]);
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
	char	   *sql;

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

	/* both plans are built before either is kept, so a failure leaks none */
	sql = psprintf("SELECT %s, %s, %s FROM %s WHERE %s OPERATOR(pg_catalog.=) $1"
				   " FOR NO KEY UPDATE",
				   total, term, acceptance, iq_qualified_table_name(offer_relid), key);
	{
		SPIPlanPtr	offer_plan = SPI_prepare(sql, 1, &ref_type);
		SPIPlanPtr	rows_plan;

		if (offer_plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		sql = psprintf("SELECT %s, %s FROM %s WHERE %s OPERATOR(pg_catalog.=) $1"
					   " ORDER BY %s NULLS LAST, %s NULLS LAST",
					   invoice_date, amount,
					   iq_qualified_table_name(installment_relid), ref,
					   invoice_date, amount);
		rows_plan = SPI_prepare(sql, 1, &ref_type);
		if (rows_plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(offer_plan);
		SPI_keepplan(rows_plan);
		plans = hash_search(constraint_plans, &trigger->tgoid, HASH_ENTER, NULL);
		plans->installment_relid = installment_relid;
		plans->offer_relid = offer_relid;
		plans->offer_plan = offer_plan;
		plans->rows_plan = rows_plan;
	}
	return plans;
}

/* Check one offer's installments; raise 23514 when they break a rule. */
static void
check_offer(Relation rel, Trigger *trigger, Oid ref_type, Datum offer,
			const char *offer_text)
{
	ConstraintPlans *plans;
	IqPlanValues plan;
	HeapTuple	tuple;
	TupleDesc	desc;
	bool		total_null;
	bool		term_null;
	bool		acceptance_null;
	Datum		term;
	int			n;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plans = prepare_plans(rel, trigger, ref_type);

	if (SPI_execute_plan(plans->offer_plan, &offer, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not lock offer %s", offer_text);
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
		elog(ERROR, "could not read the installments of offer %s", offer_text);
	if (SPI_processed > IQ_MAX_PLAN_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("offer %s has " UINT64_FORMAT " installments; at most %d can be checked",
						offer_text, SPI_processed, IQ_MAX_PLAN_LENGTH)));
	n = (int) SPI_processed;
	plan.ndates = plan.namounts = n;
	plan.dates = palloc(sizeof(Datum) * Max(n, 1));
	plan.date_nulls = palloc(sizeof(bool) * Max(n, 1));
	plan.amounts = palloc(sizeof(Datum) * Max(n, 1));
	plan.amount_nulls = palloc(sizeof(bool) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		tuple = SPI_tuptable->vals[i];
		desc = SPI_tuptable->tupdesc;
		plan.dates[i] = SPI_getbinval(tuple, desc, 1, &plan.date_nulls[i]);
		plan.amounts[i] = SPI_getbinval(tuple, desc, 2, &plan.amount_nulls[i]);
	}

	iq_violation_report(iq_plan_violation_list(&plan),
						psprintf("installment plan of offer %s", offer_text));
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
		MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;
		HASHCTL		ctl;
		int32		typmod;
		int			key_arg;

		/* on the installment table the key is the offer column, else the key */
		if (iq_trigger_table(rel, trigger->tgargs[ARG_INSTALLMENT_TABLE]) == RelationGetRelid(rel))
			key_arg = ARG_OFFER_REF;
		else if (iq_trigger_table(rel, trigger->tgargs[ARG_OFFER_TABLE]) == RelationGetRelid(rel))
			key_arg = ARG_OFFER_KEY;
		else
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("trigger \"%s\" is on relation \"%s\", but %s must be on the installment table \"%s\" or the offer table \"%s\" its arguments name",
							trigger->tgname, RelationGetRelationName(rel), FUNCNAME,
							trigger->tgargs[ARG_INSTALLMENT_TABLE],
							trigger->tgargs[ARG_OFFER_TABLE])));

		state = MemoryContextAllocZero(mcxt, sizeof(ConstraintState));
		state->tgoid = trigger->tgoid;
		state->ref_attnum = iq_trigger_column(rel, trigger, trigger->tgargs[key_arg],
											  key_arg == ARG_OFFER_REF ? "offer" : "offer key",
											  InvalidOid, &state->ref_type, &typmod);
		ctl.keysize = sizeof(char *);
		ctl.entrysize = sizeof(char *);
		ctl.hash = string_key_hash;
		ctl.match = string_key_match;
		ctl.hcxt = mcxt;
		state->checked = hash_create("iqfees checked offers", 256, &ctl,
									 HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
		fcinfo->flinfo->fn_extra = state;
	}
	return state;
}

/*
 * Check the offer a row refers to, unless this firing already has: all
 * events of one firing see the same finished set of changes.
 */
static void
check_row_offer(FunctionCallInfo fcinfo, TriggerData *trigdata,
				ConstraintState *state, HeapTuple row)
{
	bool		isnull;
	Datum		offer = heap_getattr(row, state->ref_attnum,
									 RelationGetDescr(trigdata->tg_relation), &isnull);
	char	   *text;
	bool		found;
	IqSavedUser saved;

	if (isnull)
		return;					/* belongs to no offer */
	text = iq_value_text(offer, state->ref_type);
	hash_search(state->checked, &text, HASH_FIND, &found);
	if (found)
		return;

	iq_trigger_become_owner(trigdata->tg_relation, &saved);
	check_offer(trigdata->tg_relation, trigdata->tg_trigger, state->ref_type,
				offer, text);
	iq_trigger_restore_user(&saved);
	text = MemoryContextStrdup(fcinfo->flinfo->fn_mcxt, text);
	hash_search(state->checked, &text, HASH_ENTER, NULL);
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
		check_row_offer(fcinfo, trigdata, state, trigdata->tg_trigtuple);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		check_row_offer(fcinfo, trigdata, state, trigdata->tg_newtuple);
	else if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		check_row_offer(fcinfo, trigdata, state, trigdata->tg_trigtuple);

	return PointerGetDatum(NULL);
}
