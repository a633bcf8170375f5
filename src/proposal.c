/*
 * proposal.c
 *		SQL-callable functions for fixed-price proposals:
 *		iq_proposal_requests, iq_proposal_violations and iq_proposal_check.
 */
#include "compat.h"

#include "catalog/pg_type.h"
#include "funcapi.h"

#include "array_args.h"
#include "money.h"
#include "core/proposal.h"
#include "violation.h"

/* The request amounts argument; element i is request i + 1. */
static int
request_amounts(FunctionCallInfo fcinfo, Datum **values, bool **nulls)
{
	return iq_array_elements(PG_GETARG_ARRAYTYPE_P(1), "request_amounts",
							 NUMERICOID, values, nulls);
}

/*
 * iq_proposal_requests(proposal_price, request_amounts): each request in
 * order, whether it exceeds what is left of the price, and the balance
 * after it.  STRICT, so NULL arguments give no rows.
 */
PG_FUNCTION_INFO_V1(iq_proposal_requests);
Datum
iq_proposal_requests(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		price;
	int64		remaining;
	Datum	   *amounts;
	bool	   *amount_nulls;
	int			n;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	price = iq_numeric_to_cents(PG_GETARG_DATUM(0), "proposal price");
	n = request_amounts(fcinfo, &amounts, &amount_nulls);

	remaining = price;
	for (int i = 0; i < n; i++)
	{
		Datum		values[5];
		bool		nulls[5] = {false};

		values[0] = Int32GetDatum(i + 1);
		if (amount_nulls[i])
		{
			/* a request with no amount yet changes nothing */
			nulls[1] = nulls[2] = true;
		}
		else
		{
			int64		cents = iq_numeric_element_to_units(amounts[i], &iq_currency_usd, "request", i + 1);

			values[1] = iq_cents_to_numeric(cents);
			values[2] = BoolGetDatum(!iq_proposal_request(&remaining, cents));
		}
		values[3] = iq_cents_to_numeric(price - remaining);
		values[4] = iq_cents_to_numeric(remaining);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* Every violation of the (STRICT) arguments, as a List of IqViolation *. */
static List *
proposal_violations(FunctionCallInfo fcinfo)
{
	int64		price = iq_numeric_to_cents(PG_GETARG_DATUM(0), "proposal price");
	Datum	   *amounts;
	bool	   *amount_nulls;
	int			n = request_amounts(fcinfo, &amounts, &amount_nulls);
	IqListedAmount *requests = iq_numerics_to_listed_amounts(amounts, amount_nulls, n,
															 "request", &iq_currency_usd,
															 NULL);
	List	   *violations = NIL;

	iq_proposal_validate(price, requests, n, iq_collect_violation, &violations);
	return violations;
}

PG_FUNCTION_INFO_V1(iq_proposal_violations);
Datum
iq_proposal_violations(PG_FUNCTION_ARGS)
{
	iq_violation_rows(fcinfo, proposal_violations(fcinfo));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(iq_proposal_check);
Datum
iq_proposal_check(PG_FUNCTION_ARGS)
{
	iq_violation_report(proposal_violations(fcinfo), "proposal");
	PG_RETURN_BOOL(true);
}
