/*
 * installment.c
 *		Installment plans at the SQL boundary: a plan given as SQL values
 *		checked against the rules of core/installment.c (shared by the plan
 *		functions and the installment constraint trigger), and the
 *		SQL-callable iq_installment_plan, iq_installment_plan_violations and
 *		iq_installment_plan_check.
 */
#include "compat.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "array_args.h"
#include "calendar.h"
#include "currency.h"
#include "installment.h"
#include "money.h"
#include "violation.h"

IqTerm
iq_range_to_term(Datum range)
{
	/*
	 * Type cache entries live as long as the backend and a range type's
	 * element type cannot change, so the entry is looked up once, not for
	 * every plan checked.
	 */
	static TypeCacheEntry *typcache = NULL;
	RangeType  *r = DatumGetRangeTypeP(range);
	RangeBound	lower;
	RangeBound	upper;
	bool		empty;
	IqTerm		term;

	if (typcache == NULL || typcache->type_id != RangeTypeGetOid(r))
		typcache = lookup_type_cache(RangeTypeGetOid(r), TYPECACHE_RANGE_INFO);
	range_deserialize(typcache, r, &lower, &upper, &empty);
	if (empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("contract term is empty"),
				 errdetail("A contract term is a daterange with at least one day in it.")));

	/*
	 * Canonical dateranges are [lower, upper), but infinite bound values keep
	 * whatever inclusivity they were given; normalise those too.
	 */
	term.lower_inf = lower.infinite ||
		DatumGetDateADT(lower.val) == DATEVAL_NOBEGIN;
	term.lower = DatumGetDateADT(lower.val);
	if (!term.lower_inf && !lower.inclusive)
	{
		if (term.lower == DATEVAL_NOEND)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("contract term starts after infinity")));
		term.lower++;
	}
	term.upper_inf = upper.infinite ||
		(upper.inclusive && DatumGetDateADT(upper.val) == DATEVAL_NOEND);
	term.upper = DatumGetDateADT(upper.val);
	if (!term.upper_inf && upper.inclusive)
		term.upper++;
	return term;
}

IqTerm
iq_days_to_term(bool has_start, DateADT start, bool has_end, DateADT end,
				Datum offer, Oid offer_type)
{
	IqTerm		term;

	term.lower_inf = !has_start || start == DATEVAL_NOBEGIN;
	term.lower = start;
	term.upper_inf = !has_end || end == DATEVAL_NOEND;
	term.upper = term.upper_inf ? end : end + 1;
	if (has_start && start == DATEVAL_NOEND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("contract term of offer %s starts after infinity",
						iq_value_to_text(offer, offer_type))));
	if ((!term.lower_inf && !term.upper_inf && end < start) ||
		(has_end && end == DATEVAL_NOBEGIN))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("contract term of offer %s ends on %s, before it starts on %s",
						iq_value_to_text(offer, offer_type), iq_date_to_cstring(end),
						has_start ? iq_date_to_cstring(start) : "-infinity"),
				 errdetail("A contract term has at least one day; its last day is on or after its first.")));
	return term;
}

/*
 * Units of 10^-scale as numeric_out shows them with dscale decimals,
 * dscale >= scale
 */
static char *
units_text(int64 units, int scale, int dscale)
{
	char		buf[IQ_CENTS_BUFLEN];
	StringInfoData text;

	iq_units_to_text(units, scale, buf);
	initStringInfo(&text);
	appendStringInfoString(&text, buf);
	if (scale == 0 && dscale > 0)
		appendStringInfoChar(&text, '.');
	for (int i = scale; i < dscale; i++)
		appendStringInfoChar(&text, '0');
	return text.data;
}

List *
iq_plan_violation_list(const IqPlanValues *plan)
{
	IqPlanDate *dates = palloc(sizeof(IqPlanDate) * Max(plan->ndates, 1));
	IqListedAmount *amounts;
	IqPlanTotal total;
	IqUnitsSum	sum = {true, 0, plan->currency->minor_units};
	List	   *violations = NIL;

	total.total_units = iq_numeric_to_units(plan->contract_total, plan->currency,
											"contract total");
	if (Max(plan->ndates, plan->namounts) > IQ_MAX_PLAN_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("installment plan has %d entries; at most %d can be checked",
						Max(plan->ndates, plan->namounts), IQ_MAX_PLAN_LENGTH),
				 errdetail("A valid plan has at most %d payments.", IQ_MAX_PAYMENTS)));

	for (int i = 0; i < plan->ndates; i++)
	{
		dates[i].isnull = plan->date_nulls[i];
		dates[i].date = plan->date_nulls[i] ? 0 : DatumGetDateADT(plan->dates[i]);
	}

	amounts = iq_numerics_to_listed_amounts(plan->amounts, plan->amount_nulls, plan->namounts,
											"installment", plan->currency, &sum);
	if (plan->hide_values)
		for (int i = 0; i < plan->namounts; i++)
			amounts[i].text = NULL;

	if (sum.exact)
	{
		total.matches = sum.units == total.total_units;
		total.sum_text = total.matches ? NULL :
			units_text(sum.units, plan->currency->minor_units, sum.dscale);
	}
	else
	{
		/*
		 * Amounts with digits past the minor unit are violations of their
		 * own, but may still add up to the total exactly: sum them in
		 * numeric.
		 */
		Datum		numeric_sum = iq_units_to_numeric(0, plan->currency->minor_units);

		for (int i = 0; i < plan->namounts; i++)
			if (!amounts[i].isnull)
				numeric_sum = DirectFunctionCall2(numeric_add, numeric_sum,
												  plan->amounts[i]);
		total.matches = DatumGetInt32(DirectFunctionCall2(numeric_cmp, numeric_sum,
														  plan->contract_total)) == 0;
		total.sum_text = total.matches ? NULL : iq_numeric_to_text(numeric_sum);
	}

	iq_plan_validate(dates, plan->ndates, amounts, plan->namounts, &total,
					 &plan->term, plan->has_acceptance, plan->acceptance,
					 plan->currency, !plan->hide_values, iq_collect_violation, &violations);
	return violations;
}

static void
frequency_error(Interval *interval)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("frequency %s is not a positive number of days, months or years",
					DatumGetCString(DirectFunctionCall1(interval_out,
														IntervalPGetDatum(interval)))),
			 errdetail("A frequency is whole months and days, none of them negative and not all zero, such as '1 month', '3 months', '1 year' or '14 days'.")));
}

/* The core takes whole months and days; a time part has no meaning here. */
static IqFrequency
frequency_from_interval(Interval *interval)
{
	IqFrequency frequency;

	if (!iq_interval_is_finite(interval) || interval->time != 0)
		frequency_error(interval);
	frequency.months = interval->month;
	frequency.days = interval->day;
	return frequency;
}

/*
 * iq_installment_plan(contract_total, payments, first_invoice_date,
 * frequency, initial_payment, currency)
 */
PG_FUNCTION_INFO_V1(iq_installment_plan);
Datum
iq_installment_plan(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	IqInstallment plan[IQ_MAX_PAYMENTS];
	int64		total;
	int32		payments;
	DateADT		first;
	IqFrequency frequency;
	bool		has_initial = !PG_ARGISNULL(4);
	int64		initial = 0;
	const IqCurrency *currency;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (int i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			return (Datum) 0;	/* no rows */
	if (!iq_currency_arg(fcinfo, 5, &currency))
		return (Datum) 0;

	total = iq_numeric_to_units(PG_GETARG_DATUM(0), currency, "contract total");
	payments = PG_GETARG_INT32(1);
	first = PG_GETARG_DATEADT(2);
	frequency = frequency_from_interval(PG_GETARG_INTERVAL_P(3));
	if (has_initial)
		initial = iq_numeric_to_units(PG_GETARG_DATUM(4), currency, "initial payment");

	switch (iq_plan_generate(total, payments, first, frequency, has_initial,
							 initial, plan))
	{
		case IQ_PLAN_OK:
			break;
		case IQ_PLAN_BAD_COUNT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("an installment plan has from 1 to %d payments, not %d",
							IQ_MAX_PAYMENTS, payments)));
			break;
		case IQ_PLAN_BAD_FREQUENCY:
			frequency_error(PG_GETARG_INTERVAL_P(3));
			break;
		case IQ_PLAN_FIRST_DATE_INFINITE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("first invoice date %s is not a finite date", iq_date_to_cstring(first))));
			break;
		case IQ_PLAN_DATE_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("invoice dates of %d payments from %s fall outside the supported date range",
							payments, iq_date_to_cstring(first))));
			break;
		case IQ_PLAN_INITIAL_EXCEEDS_TOTAL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("initial payment %s exceeds contract total %s",
							iq_numeric_to_text(PG_GETARG_DATUM(4)),
							iq_numeric_to_text(PG_GETARG_DATUM(0)))));
			break;
		case IQ_PLAN_INITIAL_NOT_TOTAL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("initial payment %s of a single-payment plan differs from contract total %s",
							iq_numeric_to_text(PG_GETARG_DATUM(4)),
							iq_numeric_to_text(PG_GETARG_DATUM(0))),
					 errdetail("With one payment, the initial payment is the whole contract total.")));
			break;
	}

	for (int i = 0; i < payments; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false};

		values[0] = Int32GetDatum(i + 1);
		values[1] = DateADTGetDatum(plan[i].invoice_date);
		values[2] = iq_units_to_numeric(plan[i].units, currency->minor_units);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * The arguments (invoice_dates, amounts, contract_total, contract_term,
 * acceptance_date, currency) as a plan; false when a required one is NULL.
 */
static bool
plan_from_args(FunctionCallInfo fcinfo, IqPlanValues *plan)
{
	for (int i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			return false;
	if (!iq_currency_arg(fcinfo, 5, &plan->currency))
		return false;

	plan->ndates = iq_array_elements(PG_GETARG_ARRAYTYPE_P(0), "invoice_dates",
									 DATEOID, &plan->dates, &plan->date_nulls);
	plan->namounts = iq_array_elements(PG_GETARG_ARRAYTYPE_P(1), "amounts",
									   NUMERICOID, &plan->amounts, &plan->amount_nulls);
	plan->contract_total = PG_GETARG_DATUM(2);
	plan->term = iq_range_to_term(PG_GETARG_DATUM(3));
	plan->has_acceptance = !PG_ARGISNULL(4);
	plan->acceptance = plan->has_acceptance ? PG_GETARG_DATEADT(4) : 0;
	plan->hide_values = false;
	return true;
}

PG_FUNCTION_INFO_V1(iq_installment_plan_violations);
Datum
iq_installment_plan_violations(PG_FUNCTION_ARGS)
{
	IqPlanValues plan;

	iq_violation_rows(fcinfo, plan_from_args(fcinfo, &plan) ?
					  iq_plan_violation_list(&plan) : NIL);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(iq_installment_plan_check);
Datum
iq_installment_plan_check(PG_FUNCTION_ARGS)
{
	IqPlanValues plan;

	if (!plan_from_args(fcinfo, &plan))
		PG_RETURN_NULL();
	iq_violation_report(iq_plan_violation_list(&plan), "installment plan");
	PG_RETURN_BOOL(true);
}
