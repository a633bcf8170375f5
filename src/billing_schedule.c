/*
 * billing_schedule.c
 *		SQL-callable billing dates of installment plans: iq_billed_on and
 *		iq_billing_schedule.
 *
 * Buyers are invoiced at 00:00 UTC on the billing date.  That instant is
 * computed from the date alone (calendar.c), never through the session's
 * TimeZone, so both functions are IMMUTABLE.
 */
#include "compat.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#include "array_args.h"
#include "calendar.h"
#include "core/installment.h"
#include "currency.h"
#include "money.h"

/* iq_billed_on(invoice_date, acceptance_date); STRICT: not accepted, not billed */
PG_FUNCTION_INFO_V1(iq_billed_on);
Datum
iq_billed_on(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(iq_installment_billed_on(PG_GETARG_DATEADT(0),
											   PG_GETARG_DATEADT(1)));
}

static Datum
utc_midnight(DateADT date)
{
	int64_t		usecs;

	if (!iq_date_to_utc_usecs(date, &usecs))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("billing date %s is out of range for a timestamp",
						iq_date_to_cstring(date)),
				 errdetail("Timestamps end with 294276-12-31.")));
	return TimestampTzGetDatum((TimestampTz) usecs);
}

static void
null_element_error(int installment, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("installment %d has no %s", installment, what),
			 errhint("Check the schedule with iq_installment_plan_check first.")));
}

/*
 * iq_billing_schedule(invoice_dates, amounts, acceptance_date, currency):
 * each installment, in array order, with the day it is billed and the
 * instant (00:00 UTC).  Before acceptance nothing is billed: those are
 * NULL.
 */
PG_FUNCTION_INFO_V1(iq_billing_schedule);
Datum
iq_billing_schedule(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		accepted = !PG_ARGISNULL(2);
	DateADT		acceptance = accepted ? PG_GETARG_DATEADT(2) : 0;
	Datum	   *dates;
	bool	   *date_nulls;
	Datum	   *amounts;
	bool	   *amount_nulls;
	int			ndates;
	int			namounts;
	const IqCurrency *currency;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || !iq_currency_arg(fcinfo, 3, &currency))
		return (Datum) 0;		/* no rows */

	ndates = iq_array_elements(PG_GETARG_ARRAYTYPE_P(0), "invoice_dates", DATEOID,
							   &dates, &date_nulls);
	namounts = iq_array_elements(PG_GETARG_ARRAYTYPE_P(1), "amounts", NUMERICOID,
								 &amounts, &amount_nulls);
	if (ndates != namounts)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invoice_dates and amounts differ in length: %d and %d",
						ndates, namounts),
				 errdetail("Each installment has one invoice date and one amount.")));

	for (int i = 0; i < ndates; i++)
	{
		Datum		values[5];
		bool		nulls[5] = {false};
		DateADT		billed_on;

		if (date_nulls[i])
			null_element_error(i + 1, "invoice date");
		if (amount_nulls[i])
			null_element_error(i + 1, "amount");

		values[0] = Int32GetDatum(i + 1);
		values[1] = dates[i];
		if (accepted)
		{
			billed_on = iq_installment_billed_on(DatumGetDateADT(dates[i]), acceptance);
			values[2] = DateADTGetDatum(billed_on);
			values[3] = utc_midnight(billed_on);
		}
		else
			nulls[2] = nulls[3] = true;
		values[4] = iq_units_to_numeric(iq_numeric_element_to_units(amounts[i], currency,
																	"installment", i + 1),
										currency->minor_units);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
