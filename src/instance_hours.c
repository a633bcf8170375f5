/*
 * instance_hours.c
 *		SQL-callable functions for AMI offers with a custom duration: the
 *		aggregate iq_additional_instance_hours and iq_instance_hours_charge.
 */
#include "compat.h"

#include "common/int.h"
#include "fmgr.h"

#include "core/instance_hours.h"
#include "money.h"

static void
count_error(const char *what, int32 value)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s %d is negative", what, value),
			 errdetail("Instance counts are zero or more.")));
}

/*
 * iq_additional_instance_hours_step(state, running, contracted): adds the
 * instances running beyond the contracted count in one hour.  A row with a
 * NULL count is skipped, as sum() skips NULLs; with none counted the
 * aggregate is NULL.  Its combine function is int8pl.
 */
PG_FUNCTION_INFO_V1(iq_additional_instance_hours_step);
Datum
iq_additional_instance_hours_step(PG_FUNCTION_ARGS)
{
	int32		running;
	int32		contracted;
	int64		hours;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_INT64(PG_GETARG_INT64(0));
	}

	running = PG_GETARG_INT32(1);
	contracted = PG_GETARG_INT32(2);
	if (running < 0)
		count_error("running instances", running);
	if (contracted < 0)
		count_error("contracted instances", contracted);

	hours = iq_additional_instances(running, contracted);
	if (!PG_ARGISNULL(0) && pg_add_s64_overflow(PG_GETARG_INT64(0), hours, &hours))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("additional instance-hours are out of range for bigint")));
	PG_RETURN_INT64(hours);
}

/* iq_instance_hours_charge(hours, hourly_price): STRICT */
PG_FUNCTION_INFO_V1(iq_instance_hours_charge);
Datum
iq_instance_hours_charge(PG_FUNCTION_ARGS)
{
	int64		hours = PG_GETARG_INT64(0);
	Datum		price = PG_GETARG_DATUM(1);
	IqDecimal	decimal;
	int64_t		micros = 0;
	int64_t		cents;

	if (hours < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("instance-hours " INT64_FORMAT " is negative", hours)));

	if (!iq_numeric_to_decimal(price, &decimal))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hourly price %s is not a finite number", iq_numeric_to_text(price))));
	switch (iq_decimal_to_micros(&decimal, &micros))
	{
		case IQ_AMOUNT_OK:
			break;
		case IQ_AMOUNT_NEGATIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("hourly price %s is negative", iq_numeric_to_text(price))));
			break;
		case IQ_AMOUNT_SUBCENT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("hourly price %s has more than %d decimal places",
							iq_numeric_to_text(price), IQ_PRICE_MAX_SCALE),
					 errdetail("Hourly prices are kept exactly, to a millionth of a dollar.")));
			break;
		case IQ_AMOUNT_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("hourly price %s is too large", iq_numeric_to_text(price)),
					 errdetail("The largest hourly price is 999999999999.999999.")));
			break;
	}

	if (!iq_hours_charge_cents(hours, micros, &cents))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("charge for " INT64_FORMAT " instance-hours at %s is too large",
						hours, iq_numeric_to_text(price)),
				 errdetail("The largest amount iqfees handles exactly is 999999999999999.99.")));
	PG_RETURN_DATUM(iq_cents_to_numeric(cents));
}
