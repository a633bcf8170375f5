/*
 * plan_validation.c
 *		Installment plan validation at the SQL boundary.
 */
#include "compat.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

#include "numeric_money.h"
#include "plan_validation.h"

IqTerm
iq_term_from_range(Datum range)
{
	RangeType  *r = DatumGetRangeTypeP(range);
	TypeCacheEntry *typcache = lookup_type_cache(RangeTypeGetOid(r), TYPECACHE_RANGE_INFO);
	RangeBound	lower;
	RangeBound	upper;
	bool		empty;
	IqTerm		term;

	range_deserialize(typcache, r, &lower, &upper, &empty);
	if (empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("contract term is empty"),
				 errdetail("A contract term is a daterange with at least one day in it.")));

	/*
	 * Canonical dateranges are [lower, upper), but infinite bound values
	 * keep whatever inclusivity they were given; normalise those too.
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

static void
collect(void *arg, const IqViolation *violation)
{
	List	  **list = arg;
	IqViolation *copy = palloc(sizeof(IqViolation));

	memcpy(copy, violation, sizeof(IqViolation));
	*list = lappend(*list, copy);
}

/* An element's amount, as the core needs it; too large is an error. */
static void
decode_amount(Datum value, int position, IqPlanAmount *amount)
{
	IqDecimal	decimal;

	if (!iq_numeric_decimal(value, &decimal))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("installment %d amount %s is not a finite number",
						position, iq_numeric_text(value))));
	switch (iq_decimal_to_cents(&decimal, &amount->cents))
	{
		case IQ_AMOUNT_OK:
			return;
		case IQ_AMOUNT_NEGATIVE:
			amount->negative = true;
			amount->subcent = iq_decimal_has_subcent(&decimal);
			break;
		case IQ_AMOUNT_SUBCENT:
			amount->subcent = true;
			break;
		case IQ_AMOUNT_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("installment %d amount %s is too large", position,
							iq_numeric_text(value)),
					 errdetail("The largest amount iqfees handles exactly is 999999999999999.99.")));
	}
	amount->text = iq_numeric_text(value);
}

List *
iq_plan_violation_list(const IqPlanValues *plan)
{
	IqPlanDate *dates = palloc(sizeof(IqPlanDate) * Max(plan->ndates, 1));
	IqPlanAmount *amounts = palloc0(sizeof(IqPlanAmount) * Max(plan->namounts, 1));
	IqPlanTotal total;
	Datum		sum = iq_cents_numeric(0);
	List	   *violations = NIL;

	total.total_cents = iq_amount_cents(plan->contract_total, "contract total");
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

	/*
	 * The sum is taken in numeric: amounts with sub-cent digits are
	 * violations of their own, but may still add up to the total exactly.
	 */
	for (int i = 0; i < plan->namounts; i++)
	{
		amounts[i].isnull = plan->amount_nulls[i];
		if (amounts[i].isnull)
			continue;
		decode_amount(plan->amounts[i], i + 1, &amounts[i]);
		sum = DirectFunctionCall2(numeric_add, sum, plan->amounts[i]);
	}
	total.matches = DatumGetInt32(DirectFunctionCall2(numeric_cmp, sum,
													  plan->contract_total)) == 0;
	total.sum_text = total.matches ? NULL : iq_numeric_text(sum);

	iq_plan_validate(dates, plan->ndates, amounts, plan->namounts, &total,
					 &plan->term, plan->has_acceptance, plan->acceptance,
					 collect, &violations);
	return violations;
}

void
iq_plan_report(List *violations, const char *subject)
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
						 iq_plan_rule_name(v->rule), v->message);
	}
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("%s breaks rule %s: %s", subject,
					iq_plan_rule_name(first->rule), first->message),
			 errdetail_internal("%s", detail.data)));
}
