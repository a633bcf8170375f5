/*
 * violation.c
 *		Rule violations at the SQL boundary.
 */
#include "compat.h"

#include "common/int.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "money.h"
#include "violation.h"

/* One element into *amount, which iq_numerics_to_listed_amounts hands over zeroed. */
static void
listed_amount(Datum value, const char *subject, int position, const IqCurrency *currency,
			  IqListedAmount *amount, IqUnitsSum *sum)
{
	IqDecimal	decimal;
	IqAmountStatus status;
	int64_t		units = 0;
	bool		negative;
	bool		subcent;

	if (!iq_numeric_to_decimal(value, &decimal))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %d amount %s is not a finite number",
						subject, position, iq_numeric_to_text(value))));

	/*
	 * The magnitude, so that negative amounts are counted in units too. (The
	 * flags are decided in locals: reading them back from *amount right after
	 * the byte-wide stores stalls this hot loop.)
	 */
	negative = decimal.negative;
	decimal.negative = false;
	status = iq_decimal_to_units(&decimal, currency->minor_units, (uint64_t) IQ_MAX_UNITS,
								 &units);
	if (status == IQ_AMOUNT_OK && units == 0)
		negative = false;		/* numeric has no -0, but be sure */
	subcent = (status == IQ_AMOUNT_SUBCENT);
	if (status == IQ_AMOUNT_TOO_LARGE && !negative)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %d amount %s is too large", subject, position,
						iq_numeric_to_text(value)),
				 errdetail_internal("%s", iq_too_large_detail(currency))));

	amount->negative = negative;
	amount->subcent = subcent;
	if (negative || subcent)
		amount->text = iq_numeric_to_text(value);
	else
		amount->cents = units;

	if (sum != NULL)
	{
		sum->exact = sum->exact && status == IQ_AMOUNT_OK &&
			!pg_add_s64_overflow(sum->units, negative ? -units : units, &sum->units);
		sum->dscale = Max(sum->dscale, decimal.dscale);
	}
}

IqListedAmount *
iq_numerics_to_listed_amounts(const Datum *values, const bool *nulls, int n,
							  const char *subject, const IqCurrency *currency,
							  IqUnitsSum *sum)
{
	IqListedAmount *amounts = palloc0(sizeof(IqListedAmount) * Max(n, 1));

	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			amounts[i].isnull = true;
		else
			listed_amount(values[i], subject, i + 1, currency, &amounts[i], sum);
	}
	return amounts;
}

void
iq_collect_violation(void *arg, const IqViolation *violation)
{
	List	  **list = arg;
	IqViolation *copy = palloc(sizeof(IqViolation));

	memcpy(copy, violation, sizeof(IqViolation));
	*list = lappend(*list, copy);
}

void
iq_violation_rows(FunctionCallInfo fcinfo, List *violations)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ListCell   *lc;

	/*
	 * Most checks find nothing: a result left without a tuple store is an
	 * empty set, which spares a store and a copy of the row type per call.
	 */
	if (violations == NIL && rsinfo != NULL && IsA(rsinfo, ReturnSetInfo) &&
		(rsinfo->allowedModes & SFRM_Materialize) != 0)
	{
		rsinfo->returnMode = SFRM_Materialize;
		return;
	}
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	foreach(lc, violations)
	{
		IqViolation *v = lfirst(lc);
		Datum		values[3];
		bool		nulls[3] = {false};

		values[0] = CStringGetTextDatum(v->rule);
		values[1] = Int32GetDatum(v->position);
		nulls[1] = (v->position == 0);
		values[2] = CStringGetTextDatum(v->message);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

char *
iq_value_to_text(Datum value, Oid type)
{
	Oid			output;
	bool		varlena;

	getTypeOutputInfo(type, &output, &varlena);
	return OidOutputFunctionCall(output, value);
}

void
iq_violation_report(List *violations, const char *subject)
{
	IqViolation *first;
	StringInfoData detail;
	ListCell   *lc;

	if (violations == NIL)
		return;

	first = linitial(violations);
	initStringInfo(&detail);
	foreach(lc, violations)
	{
		IqViolation *v = lfirst(lc);

		appendStringInfo(&detail, "%s%s: %s.", detail.len > 0 ? "\n" : "",
						 v->rule, v->message);
	}
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("%s breaks rule %s: %s", subject, first->rule, first->message),
			 errdetail_internal("%s", detail.data)));
}
