/*
 * installment_plan.c
 *		SQL-callable installment plan functions: iq_installment_plan,
 *		iq_installment_plan_violations and iq_installment_plan_check.
 */
#include "compat.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "array_args.h"
#include "numeric_money.h"
#include "plan_validation.h"
#include "violation_sql.h"

static char *
date_text(DateADT date)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(date)));
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

	if (INTERVAL_NOT_FINITE(interval) || interval->time != 0)
		frequency_error(interval);
	frequency.months = interval->month;
	frequency.days = interval->day;
	return frequency;
}

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

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (int i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			return (Datum) 0;	/* no rows */

	total = iq_amount_cents(PG_GETARG_DATUM(0), "contract total");
	payments = PG_GETARG_INT32(1);
	first = PG_GETARG_DATEADT(2);
	frequency = frequency_from_interval(PG_GETARG_INTERVAL_P(3));
	if (has_initial)
		initial = iq_amount_cents(PG_GETARG_DATUM(4), "initial payment");

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
					 errmsg("first invoice date %s is not a finite date", date_text(first))));
			break;
		case IQ_PLAN_DATE_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("invoice dates of %d payments from %s fall outside the supported date range",
							payments, date_text(first))));
			break;
		case IQ_PLAN_INITIAL_EXCEEDS_TOTAL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("initial payment %s exceeds contract total %s",
							iq_numeric_text(PG_GETARG_DATUM(4)),
							iq_numeric_text(PG_GETARG_DATUM(0)))));
			break;
		case IQ_PLAN_INITIAL_NOT_TOTAL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("initial payment %s of a single-payment plan differs from contract total %s",
							iq_numeric_text(PG_GETARG_DATUM(4)),
							iq_numeric_text(PG_GETARG_DATUM(0))),
					 errdetail("With one payment, the initial payment is the whole contract total.")));
			break;
	}

	for (int i = 0; i < payments; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false};

		values[0] = Int32GetDatum(i + 1);
		values[1] = DateADTGetDatum(plan[i].invoice_date);
		values[2] = iq_cents_numeric(plan[i].cents);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * The arguments (invoice_dates, amounts, contract_total, contract_term,
 * acceptance_date) as a plan; false when a required one is NULL.
 */
static bool
plan_from_args(FunctionCallInfo fcinfo, IqPlanValues *plan)
{
	for (int i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			return false;

	plan->ndates = iq_array_elements(PG_GETARG_ARRAYTYPE_P(0), "invoice_dates",
									 DATEOID, &plan->dates, &plan->date_nulls);
	plan->namounts = iq_array_elements(PG_GETARG_ARRAYTYPE_P(1), "amounts",
									   NUMERICOID, &plan->amounts, &plan->amount_nulls);
	plan->contract_total = PG_GETARG_DATUM(2);
	plan->term = iq_term_from_range(PG_GETARG_DATUM(3));
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

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (plan_from_args(fcinfo, &plan))
		iq_violation_rows(fcinfo, iq_plan_violation_list(&plan));
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
