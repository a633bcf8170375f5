/*
 * trigger_setup.c
 *		The set-up functions: iq_price_requests and
 *		iq_enforce_installment_plans.  They check every table, column, type
 *		and combination at once, with the same decoder the trigger
 *		functions use (errors name the parameter), then create ordinary
 *		triggers whose arguments are in the named form (role=column), so
 *		that pg_dump and \d show what each column is for.  Run again, they
 *		replace the triggers they made before.
 */
#include "compat.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"

#include "distributed.h"
#include "trigger_args.h"

/* One trigger argument being built: role=name. */
typedef struct SetupArgs
{
	int			nargs;
	char	   *args[16];
} SetupArgs;

static void
add_arg(SetupArgs *a, const char *role, const char *value)
{
	Assert(a->nargs < lengthof(a->args));
	a->args[a->nargs++] = psprintf("%s=%s", role, value);
}

/* A required parameter may not be NULL (22004). */
static void
require_arg(FunctionCallInfo fcinfo, int argno, const char *param)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", param)));
}

/* A name parameter, or NULL when an optional one is NULL. */
static const char *
name_arg(FunctionCallInfo fcinfo, int argno, const char *param, bool required)
{
	if (required)
		require_arg(fcinfo, argno, param);
	return PG_ARGISNULL(argno) ? NULL : NameStr(*PG_GETARG_NAME(argno));
}

static Oid
table_arg(FunctionCallInfo fcinfo, int argno, const char *param)
{
	require_arg(fcinfo, argno, param);
	return PG_GETARG_OID(argno);
}

/* Check the arguments against rel, with every check the trigger makes. */
static void
check_args(const IqTriggerKind *kind, Oid relid, const char *tgname,
		   const SetupArgs *a)
{
	Relation	rel = table_open(relid, AccessShareLock);

	(void) iq_decode_trigger(kind, rel, tgname, InvalidOid, a->nargs,
							 (char **) a->args, true, CurrentMemoryContext);
	table_close(rel, NoLock);
}

/* "schema".iq_price_trigger: the extension's own function, whatever search_path says */
static char *
extension_function(FunctionCallInfo fcinfo, const char *name)
{
	return quote_qualified_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)),
									  name);
}

static char *
quoted_args(const SetupArgs *a)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < a->nargs; i++)
		appendStringInfo(&buf, "%s%s", i > 0 ? ", " : "", quote_literal_cstr(a->args[i]));
	return buf.data;
}

/*
 * Drop the trigger tgname on relid if one of iqfees' trigger functions
 * (those of the extension schema) runs it; refuse to touch a trigger of
 * that name that is not iqfees'.
 */
static void
drop_own_trigger(FunctionCallInfo fcinfo, Oid relid, const char *tgname)
{
	Oid			namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	Relation	pg_trigger = table_open(TriggerRelationId, AccessShareLock);
	ScanKeyData key[2];
	SysScanDesc scan;
	HeapTuple	tuple;
	bool		found = false;
	bool		ours = false;

	ScanKeyInit(&key[0], Anum_pg_trigger_tgrelid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(relid));
	ScanKeyInit(&key[1], Anum_pg_trigger_tgname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum(tgname));
	scan = systable_beginscan(pg_trigger, TriggerRelidNameIndexId, true, NULL, 2, key);
	if (HeapTupleIsValid(tuple = systable_getnext(scan)))
	{
		Oid			func = ((Form_pg_trigger) GETSTRUCT(tuple))->tgfoid;
		char	   *funcname = get_func_name(func);

		found = true;
		ours = get_func_namespace(func) == namespace && funcname != NULL &&
			(strcmp(funcname, "iq_price_trigger") == 0 ||
			 strcmp(funcname, "iq_installment_constraint") == 0 ||
			 strcmp(funcname, "iq_freeze_installments") == 0 ||
			 strcmp(funcname, "iq_freeze_offer_schedule") == 0);
	}
	systable_endscan(scan);
	table_close(pg_trigger, AccessShareLock);

	if (found && !ours)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("trigger \"%s\" on %s already exists and is not one of iqfees' triggers",
						tgname, iq_qualified_table_name(relid)),
				 errhint("Rename or drop that trigger first.")));
	if (found &&
		SPI_execute(psprintf("DROP TRIGGER %s ON %s", quote_identifier(tgname),
							 iq_qualified_table_name(relid)), false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not drop trigger \"%s\"", tgname);
}

static void
run(const char *sql)
{
	if (SPI_execute(sql, false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not run \"%s\"", sql);
}

/*
 * iq_price_requests(request_table, amount_column, approved_on_column,
 * expert_fee_column, payout_column, buyer_fee_column, buyer_total_column)
 */
PG_FUNCTION_INFO_V1(iq_price_requests);
Datum
iq_price_requests(PG_FUNCTION_ARGS)
{
	static const char *const params[] = {
		"request_table", "amount_column", "approved_on_column", "expert_fee_column",
		"payout_column", "buyer_fee_column", "buyer_total_column"
	};
	Oid			relid = table_arg(fcinfo, 0, params[0]);
	SetupArgs	a = {0};
	int			guc_level;

	for (int i = 1; i < (int) lengthof(params); i++)
	{
		const char *column = name_arg(fcinfo, i, params[i], i <= 2);

		if (column != NULL)
			add_arg(&a, params[i], column);
	}
	check_args(&iq_price_trigger_kind, relid, "iq_price_requests", &a);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	guc_level = iq_allow_shard_triggers();
	drop_own_trigger(fcinfo, relid, "iq_price_requests");
	run(psprintf("CREATE TRIGGER iq_price_requests BEFORE INSERT OR UPDATE ON %s"
				 " FOR EACH ROW EXECUTE FUNCTION %s(%s)",
				 iq_qualified_table_name(relid),
				 extension_function(fcinfo, "iq_price_trigger"), quoted_args(&a)));
	AtEOXact_GUC(true, guc_level);
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * iq_enforce_installment_plans(installment_table, offer_column,
 * invoice_date_column, amount_column, offer_table, offer_key_column,
 * contract_total_column, contract_term_column, term_start_column,
 * term_end_column, acceptance_column, freeze, currency_column)
 */
enum
{
	P_INSTALLMENT_TABLE,
	P_OFFER_COLUMN,
	P_INVOICE_DATE,
	P_AMOUNT,
	P_OFFER_TABLE,
	P_OFFER_KEY,
	P_TOTAL,
	P_TERM,
	P_TERM_START,
	P_TERM_END,
	P_ACCEPTANCE,
	P_FREEZE,
	P_CURRENCY,
	NPARAMS
};

static const char *const plan_params[NPARAMS] = {
	"installment_table", "offer_column", "invoice_date_column", "amount_column",
	"offer_table", "offer_key_column", "contract_total_column",
	"contract_term_column", "term_start_column", "term_end_column",
	"acceptance_column", "freeze", "currency_column"
};

/* the triggers iq_enforce_installment_plans makes, by table */
static const char *const installment_triggers[] = {
	"iq_installment_plan", "iq_installment_plan_update", "iq_installment_plan_delete",
	"iq_installments_frozen"
};
static const char *const offer_triggers[] = {
	"iq_installment_plan", "iq_offer_frozen"
};

PG_FUNCTION_INFO_V1(iq_enforce_installment_plans);
Datum
iq_enforce_installment_plans(PG_FUNCTION_ARGS)
{
	Oid			installments = table_arg(fcinfo, P_INSTALLMENT_TABLE, plan_params[P_INSTALLMENT_TABLE]);
	Oid			offers = table_arg(fcinfo, P_OFFER_TABLE, plan_params[P_OFFER_TABLE]);
	const char *column[NPARAMS] = {0};
	bool		freeze;
	SetupArgs	plan = {0};
	SetupArgs	frozen_installments = {0};
	SetupArgs	frozen_offer = {0};
	const char *ref;
	char	   *installment_name = iq_qualified_table_name(installments);
	char	   *offer_name = iq_qualified_table_name(offers);
	char	   *constraint_function = extension_function(fcinfo, "iq_installment_constraint");
	int			guc_level;

	for (int i = P_OFFER_COLUMN; i < NPARAMS; i++)
		if (i != P_OFFER_TABLE && i != P_FREEZE)
			column[i] = name_arg(fcinfo, i, plan_params[i], i <= P_TOTAL);
	require_arg(fcinfo, P_FREEZE, plan_params[P_FREEZE]);
	freeze = PG_GETARG_BOOL(P_FREEZE);

	/* the constraint trigger's arguments, checked as it will check them */
	add_arg(&plan, "installment_table", installment_name);
	add_arg(&plan, "offer_table", offer_name);
	for (int i = P_OFFER_COLUMN; i < NPARAMS; i++)
		if (column[i] != NULL)
			add_arg(&plan, plan_params[i], column[i]);
	check_args(&iq_installment_constraint_kind, installments, "iq_installment_plan", &plan);

	/* freezing needs an acceptance date to freeze on */
	freeze = freeze && column[P_ACCEPTANCE] != NULL;
	if (freeze)
	{
		add_arg(&frozen_installments, "offer_column", column[P_OFFER_COLUMN]);
		add_arg(&frozen_installments, "offer_table", offer_name);
		add_arg(&frozen_installments, "offer_key_column", column[P_OFFER_KEY]);
		add_arg(&frozen_installments, "acceptance_column", column[P_ACCEPTANCE]);
		check_args(&iq_freeze_installments_kind, installments, "iq_installments_frozen",
				   &frozen_installments);
		add_arg(&frozen_offer, "acceptance_column", column[P_ACCEPTANCE]);
		/* the total, the term and the currency the amounts are in */
		for (int i = P_TOTAL; i < NPARAMS; i++)
			if (column[i] != NULL && i != P_ACCEPTANCE)
				add_arg(&frozen_offer, "schedule_column", column[i]);
		check_args(&iq_freeze_offer_schedule_kind, offers, "iq_offer_frozen", &frozen_offer);
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	guc_level = iq_allow_shard_triggers();
	for (int i = 0; i < (int) lengthof(installment_triggers); i++)
		drop_own_trigger(fcinfo, installments, installment_triggers[i]);
	for (int i = 0; i < (int) lengthof(offer_triggers); i++)
		drop_own_trigger(fcinfo, offers, offer_triggers[i]);

	/*
	 * On the installment table, one trigger per event, so that each can have
	 * a WHEN clause: a statement queues one event per offer, not one per
	 * installment (iq_offer_event_needed).
	 */
	ref = quote_identifier(column[P_OFFER_COLUMN]);
	run(psprintf("CREATE CONSTRAINT TRIGGER iq_installment_plan AFTER INSERT ON %s"
				 " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
				 " WHEN (%s(NEW.%s)) EXECUTE FUNCTION %s(%s)",
				 installment_name, extension_function(fcinfo, "iq_offer_event_needed"), ref,
				 constraint_function, quoted_args(&plan)));
	run(psprintf("CREATE CONSTRAINT TRIGGER iq_installment_plan_update AFTER UPDATE ON %s"
				 " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
				 " WHEN (%s(OLD.%s) OR %s(NEW.%s)) EXECUTE FUNCTION %s(%s)",
				 installment_name,
				 extension_function(fcinfo, "iq_offer_event_needed"), ref,
				 extension_function(fcinfo, "iq_offer_event_needed"), ref,
				 constraint_function, quoted_args(&plan)));
	run(psprintf("CREATE CONSTRAINT TRIGGER iq_installment_plan_delete AFTER DELETE ON %s"
				 " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
				 " WHEN (%s(OLD.%s)) EXECUTE FUNCTION %s(%s)",
				 installment_name, extension_function(fcinfo, "iq_offer_event_needed"), ref,
				 constraint_function, quoted_args(&plan)));
	run(psprintf("CREATE CONSTRAINT TRIGGER iq_installment_plan AFTER INSERT OR UPDATE ON %s"
				 " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION %s(%s)",
				 offer_name, constraint_function, quoted_args(&plan)));
	if (freeze)
	{
		run(psprintf("CREATE TRIGGER iq_installments_frozen"
					 " BEFORE INSERT OR UPDATE OR DELETE ON %s"
					 " FOR EACH ROW EXECUTE FUNCTION %s(%s)",
					 installment_name, extension_function(fcinfo, "iq_freeze_installments"),
					 quoted_args(&frozen_installments)));
		run(psprintf("CREATE TRIGGER iq_offer_frozen BEFORE UPDATE OR DELETE ON %s"
					 " FOR EACH ROW EXECUTE FUNCTION %s(%s)",
					 offer_name, extension_function(fcinfo, "iq_freeze_offer_schedule"),
					 quoted_args(&frozen_offer)));
	}
	AtEOXact_GUC(true, guc_level);
	SPI_finish();
	PG_RETURN_VOID();
}
