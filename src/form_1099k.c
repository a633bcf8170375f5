/*
 * form_1099k.c
 *		iq_form_1099k_required: the Form 1099-K test against the row of
 *		iq_form_1099k_threshold that covers the tax year.
 *
 * Each call reads its year's row with one query through SPI, under the
 * calling statement's snapshot, and keeps nothing: a change to the table
 * is seen exactly when a query of the table would see it, from the next
 * statement on, and a row rolled back with its savepoint never is.  The
 * function is called once per payee and year, on totals that took a scan
 * of the year's payments to add up, so a query per call costs little.
 */
#include "compat.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "core/form_1099k.h"
#include "distributed.h"
#include "money.h"
#include "trigger_args.h"

static IqTableQuery threshold_query;

#define THRESHOLD_QUERY \
	"SELECT gross_threshold, transaction_threshold, tax_years::pg_catalog.text" \
	" FROM %s" \
	" WHERE tax_years OPERATOR(pg_catalog.@>) $1"

/* the query's columns, as the code below reads them */
static const Oid threshold_types[] = {NUMERICOID, INT4OID, TEXTOID};
static const char *const threshold_columns[] = {
	"gross_threshold", "transaction_threshold", "tax_years"
};

static void
threshold_row_context(void *arg)
{
	errcontext("iq_form_1099k_threshold row %s", (const char *) arg);
}

/* The threshold of the row covering tax_year, or an error naming the year. */
static void
read_threshold(Oid fn_oid, int32 tax_year, IqForm1099kThreshold *threshold)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(tax_year)};
	SPIPlanPtr	plan;
	Datum		values[3];
	bool		nulls[3];
	ErrorContextCallback errcallback;
	Oid			relid;
	int			ret;

	relid = iq_extension_table_source(get_func_namespace(fn_oid), "iq_form_1099k_threshold");
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = iq_table_query_plan(&threshold_query, relid, THRESHOLD_QUERY, 1, argtypes);
	/* two rows at most: a second one means the rows overlap */
	ret = SPI_execute_plan(plan, args, NULL, true, 2);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
	iq_table_query_check(SPI_tuptable->tupdesc, "iq_form_1099k_threshold",
						 lengthof(threshold_types), threshold_types, threshold_columns,
						 "tax_years as int4range, gross_threshold as numeric and transaction_threshold as integer");

	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no Form 1099-K threshold row covers tax year %d", tax_year),
				 errhint("Add a row to iq_form_1099k_threshold whose tax_years range contains this year.")));
	if (SPI_processed > 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("iq_form_1099k_threshold rows overlap"),
				 errdetail("More than one row of iq_form_1099k_threshold covers tax year %d.",
						   tax_year),
				 errhint("Restore the exclusion constraint on iq_form_1099k_threshold.tax_years.")));

	heap_deform_tuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, values, nulls);
	if (nulls[0])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("iq_form_1099k_threshold row %s has no gross threshold",
						TextDatumGetCString(values[2]))));

	/* the row's own check constraint holds it to the money rules too */
	errcallback.callback = threshold_row_context;
	errcallback.arg = TextDatumGetCString(values[2]);
	errcallback.previous = error_context_stack;
	error_context_stack = &errcallback;
	threshold->gross_cents = iq_numeric_to_cents(values[0], "gross_threshold");
	error_context_stack = errcallback.previous;

	threshold->counts_transactions = !nulls[1];
	threshold->transactions = nulls[1] ? 0 : DatumGetInt32(values[1]);
	SPI_finish();
}

/*
 * iq_form_1099k_required(gross_payments, transactions, tax_year): STRICT.
 * True when the year's gross payments and (where the year has a count
 * test) its number of transactions are both above the year's thresholds.
 */
PG_FUNCTION_INFO_V1(iq_form_1099k_required);
Datum
iq_form_1099k_required(PG_FUNCTION_ARGS)
{
	int64		gross = iq_numeric_to_cents(PG_GETARG_DATUM(0), "gross payments");
	int64		transactions = PG_GETARG_INT64(1);
	IqForm1099kThreshold threshold;

	if (transactions < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("transactions " INT64_FORMAT " is negative", transactions),
				 errdetail("A number of transactions is zero or more.")));

	read_threshold(fcinfo->flinfo->fn_oid, PG_GETARG_INT32(2), &threshold);
	PG_RETURN_BOOL(iq_form_1099k_reportable(gross, transactions, &threshold));
}
