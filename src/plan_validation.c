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
#include "violation_sql.h"

IqTerm
iq_term_from_range(Datum range)
{
	/*
	 * Type cache entries live as long as the backend and a range type's
	 * element type cannot change, so the entry is looked up once, not for
	 * every plan checked.
	 */
	static TypeCacheEntry *typcache = NULL;
	RangeType  *r = DatumGetRangeTypeP(range);
	RangeBound	lower;
	RangeBound	upper;
	bool		empty;
	IqTerm		term;

	if (typcache == NULL || typcache->type_id != RangeTypeGetOid(r))
		typcache = lookup_type_cache(RangeTypeGetOid(r), TYPECACHE_RANGE_INFO);
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

/* cents as numeric_out shows them with dscale decimals, dscale >= 2 */
static char *
cents_text(int64 cents, int dscale)
{
	char		buf[IQ_CENTS_BUFLEN];
	StringInfoData text;

	iq_cents_format(cents, buf);
	initStringInfo(&text);
	appendStringInfoString(&text, buf);
	for (int i = 2; i < dscale; i++)
		appendStringInfoChar(&text, '0');
	return text.data;
}

List *
iq_plan_violation_list(const IqPlanValues *plan)
{
	IqPlanDate *dates = palloc(sizeof(IqPlanDate) * Max(plan->ndates, 1));
	IqListedAmount *amounts;
	IqPlanTotal total;
	IqCentsSum	sum = {true, 0, 2};
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

	amounts = iq_listed_amounts(plan->amounts, plan->amount_nulls, plan->namounts,
								"installment", &sum);
	if (plan->hide_values)
		for (int i = 0; i < plan->namounts; i++)
			amounts[i].text = NULL;

	if (sum.exact)
	{
		total.matches = sum.cents == total.total_cents;
		total.sum_text = total.matches ? NULL : cents_text(sum.cents, sum.dscale);
	}
	else
	{
		/*
		 * Amounts with sub-cent digits are violations of their own, but may
		 * still add up to the total exactly: sum them in numeric.
		 */
		Datum		numeric_sum = iq_cents_numeric(0);

		for (int i = 0; i < plan->namounts; i++)
			if (!amounts[i].isnull)
				numeric_sum = DirectFunctionCall2(numeric_add, numeric_sum,
												  plan->amounts[i]);
		total.matches = DatumGetInt32(DirectFunctionCall2(numeric_cmp, numeric_sum,
														  plan->contract_total)) == 0;
		total.sum_text = total.matches ? NULL : iq_numeric_text(numeric_sum);
	}

	iq_plan_validate(dates, plan->ndates, amounts, plan->namounts, &total,
					 &plan->term, plan->has_acceptance, plan->acceptance,
					 !plan->hide_values, iq_collect_violation, &violations);
	return violations;
}
