/*
 * plan_validation.h
 *		Validating an installment plan given as SQL values: the SQL boundary
 *		of iq_plan_validate, shared by iq_installment_plan_violations,
 *		iq_installment_plan_check and the installment constraint trigger.
 */
#ifndef IQFEES_PLAN_VALIDATION_H
#define IQFEES_PLAN_VALIDATION_H

#include "compat.h"

#include "nodes/pg_list.h"
#include "utils/date.h"

#include "installment.h"

typedef struct IqPlanValues
{
	int			ndates;
	Datum	   *dates;			/* date */
	bool	   *date_nulls;
	int			namounts;
	Datum	   *amounts;		/* numeric */
	bool	   *amount_nulls;
	Datum		contract_total; /* numeric */
	IqTerm		term;
	bool		has_acceptance;
	DateADT		acceptance;
} IqPlanValues;

/* A daterange as a contract term; an empty range is an error. */
extern IqTerm iq_term_from_range(Datum range);

/* Every violation of the plan, as a List of IqViolation *. */
extern List *iq_plan_violation_list(const IqPlanValues *plan);

/*
 * Raise 23514 for a non-empty violation list: the first violation as the
 * message, all of them in the detail.  subject names the plan ("installment
 * plan", "installment plan of offer 42").
 */
extern void iq_plan_report(List *violations, const char *subject);

#endif							/* IQFEES_PLAN_VALIDATION_H */
