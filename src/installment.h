/*
 * installment.h
 *		Validating an installment plan given as SQL values: the SQL boundary
 *		of iq_plan_validate, shared by iq_installment_plan_violations,
 *		iq_installment_plan_check and the installment constraint trigger.
 */
#ifndef IQFEES_INSTALLMENT_H
#define IQFEES_INSTALLMENT_H

#include "compat.h"

#include "nodes/pg_list.h"
#include "utils/date.h"

#include "core/currency.h"
#include "core/installment.h"

typedef struct IqPlanValues
{
	int			ndates;
	Datum	   *dates;			/* date */
	bool	   *date_nulls;
	int			namounts;
	Datum	   *amounts;		/* numeric */
	bool	   *amount_nulls;
	Datum		contract_total; /* numeric */
	const IqCurrency *currency; /* of the total and the amounts */
	IqTerm		term;
	bool		has_acceptance;
	DateADT		acceptance;
	bool		hide_values;	/* messages without dates and amounts */
} IqPlanValues;

/* A daterange as a contract term; an empty range is an error. */
extern IqTerm iq_range_to_term(Datum range);

/*
 * A contract term given as its first and last day (inclusive), as two
 * columns keep it; a missing day leaves that side open, as
 * daterange(start, end, '[]') would.  A term that ends before it starts
 * is an error naming the offer (of type offer_type).
 */
extern IqTerm iq_days_to_term(bool has_start, DateADT start, bool has_end,
							  DateADT end, Datum offer, Oid offer_type);

/*
 * Every violation of the plan, as a List of IqViolation *; report it with
 * iq_violation_report (violation.h).
 */
extern List *iq_plan_violation_list(const IqPlanValues *plan);

#endif							/* IQFEES_INSTALLMENT_H */
