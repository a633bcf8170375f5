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
	IqTerm		term;
	bool		has_acceptance;
	DateADT		acceptance;
	bool		hide_values;	/* messages without dates and amounts */
} IqPlanValues;

/* A daterange as a contract term; an empty range is an error. */
extern IqTerm iq_range_to_term(Datum range);

/*
 * Every violation of the plan, as a List of IqViolation *; report it with
 * iq_violation_report (violation.h).
 */
extern List *iq_plan_violation_list(const IqPlanValues *plan);

#endif							/* IQFEES_INSTALLMENT_H */
