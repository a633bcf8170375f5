/*
 * violation.h
 *		Rule violations at the SQL boundary, shared by every ..._violations
 *		and ..._check function and the installment constraint trigger:
 *		amounts of a list decoded for the rules, violations collected into
 *		a List, returned as rows, or raised as one 23514 error.
 */
#ifndef IQFEES_VIOLATION_H
#define IQFEES_VIOLATION_H

#include "compat.h"

#include "fmgr.h"
#include "nodes/pg_list.h"

#include "core/violation.h"

/*
 * The sum of a list's amounts in minor units, for as long as every amount
 * is a whole number of minor units (negative ones too) and the sum fits;
 * dscale is the largest display scale, so the sum can be shown as numeric
 * would.  Start it as {true, 0, the currency's decimals}.
 */
typedef struct IqUnitsSum
{
	bool		exact;
	int64		units;
	int			dscale;
} IqUnitsSum;

/*
 * The n elements of a list of amounts in currency, as the rules need them,
 * their non-NULL ones added to *sum unless sum is NULL.  Amounts past the
 * minor unit and negative ones are left to the rules; NaN, the infinities
 * (22023) and amounts too large to hold (22003; a negative one breaks
 * negative_amount instead) are errors naming subject and position
 * ("installment 3 amount NaN is not a finite number").
 */
extern IqListedAmount *iq_numerics_to_listed_amounts(const Datum *values, const bool *nulls,
													 int n, const char *subject,
													 const IqCurrency *currency,
													 IqUnitsSum *sum);

/* An IqViolationSink that appends a copy to the List * that arg points to. */
extern void iq_collect_violation(void *arg, const IqViolation *violation);

/*
 * The result of a set-returning function in materialize mode: the
 * violations as rows (rule, position, message); position 0 is NULL.
 */
extern void iq_violation_rows(FunctionCallInfo fcinfo, List *violations);

/* A value of any type as text, for messages. */
extern char *iq_value_to_text(Datum value, Oid type);

/*
 * Raise 23514 for a non-empty violation list: the first violation as the
 * message, all of them in the detail.  subject names what was checked
 * ("installment plan", "installment plan of offer 42", "expert").
 */
extern void iq_violation_report(List *violations, const char *subject);

#endif							/* IQFEES_VIOLATION_H */
