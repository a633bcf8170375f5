/*
 * plan_validation.c
 *		Installment plan validation at the SQL boundary.
 */
#include "compat.h"

#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

#include "numeric_money.h"
#include "plan_validation.h"
#include "violation_sql.h"

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

List *
iq_plan_violation_list(const IqPlanValues *plan)
{
	IqPlanDate *dates = palloc(sizeof(IqPlanDate) * Max(plan->ndates, 1));
	IqListedAmount *amounts = palloc0(sizeof(IqListedAmount) * Max(plan->namounts, 1));
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
		iq_listed_amount(plan->amounts[i], "installment", i + 1, &amounts[i]);
		sum = DirectFunctionCall2(numeric_add, sum, plan->amounts[i]);
	}
	total.matches = DatumGetInt32(DirectFunctionCall2(numeric_cmp, sum,
													  plan->contract_total)) == 0;
	total.sum_text = total.matches ? NULL : iq_numeric_text(sum);

	iq_plan_validate(dates, plan->ndates, amounts, plan->namounts, &total,
					 &plan->term, plan->has_acceptance, plan->acceptance,
					 iq_collect_violation, &violations);
	return violations;
}
