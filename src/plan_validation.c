/*
 * plan_validation.c
 *		Installment plan validation at the SQL boundary.
 */
#include "compat.h"

#include "common/int.h"
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

static void
collect(void *arg, const IqViolation *violation)
{
	List	  **list = arg;
	IqViolation *copy = palloc(sizeof(IqViolation));

	memcpy(copy, violation, sizeof(IqViolation));
	*list = lappend(*list, copy);
}

/*
 * An element's amount, as the core needs it; too large is an error.
 * Returns true for whole cents, negative ones included, whose signed
 * number amount->cents then holds; *dscale is numeric's display scale.
 */
static bool
decode_amount(Datum value, int position, IqPlanAmount *amount, int *dscale)
{
	IqDecimal	decimal;
	IqAmountStatus status;

	if (!iq_numeric_decimal(value, &decimal))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("installment %d amount %s is not a finite number",
						position, iq_numeric_text(value))));
	*dscale = decimal.dscale;

	/* the magnitude, so that negative amounts are counted in cents too */
	amount->negative = decimal.negative;
	decimal.negative = false;
	status = iq_decimal_to_cents(&decimal, &amount->cents);
	if (status == IQ_AMOUNT_OK && amount->cents == 0)
		amount->negative = false;	/* numeric has no -0, but be sure */
	if (status == IQ_AMOUNT_SUBCENT)
		amount->subcent = true;
	/* a negative amount of any size breaks negative_amount instead */
	if (status == IQ_AMOUNT_TOO_LARGE && !amount->negative)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("installment %d amount %s is too large", position,
						iq_numeric_text(value)),
				 errdetail("The largest amount iqfees handles exactly is 999999999999999.99.")));

	if (amount->negative || amount->subcent)
		amount->text = iq_numeric_text(value);
	if (status != IQ_AMOUNT_OK)
		return false;
	if (amount->negative)
		amount->cents = -amount->cents;
	return true;
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
	IqPlanAmount *amounts = palloc0(sizeof(IqPlanAmount) * Max(plan->namounts, 1));
	IqPlanTotal total;
	int64		sum_cents = 0;
	int			sum_dscale = 2; /* numeric's, of 0.00 plus the amounts */
	bool		whole_cents = true; /* every amount so far, and their sum */
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

	for (int i = 0; i < plan->namounts; i++)
	{
		int			dscale;

		amounts[i].isnull = plan->amount_nulls[i];
		if (amounts[i].isnull)
			continue;
		whole_cents = decode_amount(plan->amounts[i], i + 1, &amounts[i], &dscale) &&
			whole_cents &&
			!pg_add_s64_overflow(sum_cents, amounts[i].cents, &sum_cents);
		sum_dscale = Max(sum_dscale, dscale);
	}

	if (whole_cents)
	{
		total.matches = sum_cents == total.total_cents;
		total.sum_text = total.matches ? NULL : cents_text(sum_cents, sum_dscale);
	}
	else
	{
		/*
		 * Amounts with sub-cent digits are violations of their own, but may
		 * still add up to the total exactly: sum them in numeric.
		 */
		Datum		sum = iq_cents_numeric(0);

		for (int i = 0; i < plan->namounts; i++)
			if (!amounts[i].isnull)
				sum = DirectFunctionCall2(numeric_add, sum, plan->amounts[i]);
		total.matches = DatumGetInt32(DirectFunctionCall2(numeric_cmp, sum,
														  plan->contract_total)) == 0;
		total.sum_text = total.matches ? NULL : iq_numeric_text(sum);
	}

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
