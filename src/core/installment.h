/*
 * core/installment.h
 *		AWS Marketplace installment plans: generation and validation, in
 *		plain C with no server dependency.
 */
#ifndef IQFEES_CORE_INSTALLMENT_H
#define IQFEES_CORE_INSTALLMENT_H

#include "calendar.h"
#include "currency.h"
#include "money.h"
#include "violation.h"

#define IQ_MAX_PAYMENTS		60

/*
 * The longest plan iq_plan_validate is given: the duplicate-date rule
 * compares each date with the earlier ones, so callers refuse longer
 * arrays (which break payment_count anyway) instead of passing them on.
 */
#define IQ_MAX_PLAN_LENGTH	10000

/* A plan's frequency: a whole number of months plus a whole number of days. */
typedef struct IqFrequency
{
	int32_t		months;
	int32_t		days;
} IqFrequency;

typedef struct IqInstallment
{
	IqDate		invoice_date;
	int64_t		units;			/* the amount in the currency's minor units */
} IqInstallment;

/*
 * The day an installment is billed: its invoice date, or the acceptance
 * date for an invoice dated before it (AWS raises that one at acceptance).
 */
extern IqDate iq_installment_billed_on(IqDate invoice_date, IqDate acceptance);

typedef enum IqPlanStatus
{
	IQ_PLAN_OK = 0,
	IQ_PLAN_BAD_COUNT,			/* payments not in 1 .. IQ_MAX_PAYMENTS */
	IQ_PLAN_BAD_FREQUENCY,		/* negative part, or zero months and days */
	IQ_PLAN_FIRST_DATE_INFINITE,
	IQ_PLAN_DATE_OUT_OF_RANGE,	/* a later date leaves the valid range */
	IQ_PLAN_INITIAL_EXCEEDS_TOTAL,
	IQ_PLAN_INITIAL_NOT_TOTAL	/* one payment whose initial != total */
} IqPlanStatus;

/*
 * Generate a plan into out[0 .. payments-1].  Invoice date k is
 * first + (k-1) * frequency computed from first every time; the total (or
 * what the initial payment leaves) is split equally, the minor units
 * (cents, yen, fils) that do not divide going one each to the earliest of
 * those installments.  Amounts are in minor units of one currency.
 */
extern IqPlanStatus iq_plan_generate(int64_t total_units, int payments,
									 IqDate first, IqFrequency frequency,
									 bool has_initial, int64_t initial_units,
									 IqInstallment *out);

/* the plan rules' names, as users see them; the amount rules are shared */
#define IQ_RULE_PAYMENT_COUNT			"payment_count"
#define IQ_RULE_LENGTH_MISMATCH			"length_mismatch"
#define IQ_RULE_DUPLICATE_INVOICE_DATE	"duplicate_invoice_date"
#define IQ_RULE_TOTAL_MISMATCH			"total_mismatch"
#define IQ_RULE_AFTER_CONTRACT_END		"after_contract_end"
#define IQ_RULE_BACKDATED_INVOICES		"backdated_invoices"

typedef struct IqPlanDate
{
	bool		isnull;
	IqDate		date;
} IqPlanDate;

/*
 * The sum of the non-NULL amounts against the contract total.  Amounts that
 * are not whole minor units can still add up exactly, so the caller, which
 * holds the exact values, does this comparison and gives the sum as text.
 */
typedef struct IqPlanTotal
{
	bool		matches;
	int64_t		total_units;	/* the contract total, in minor units */
	const char *sum_text;		/* the exact sum of the non-NULL amounts */
} IqPlanTotal;

/*
 * With show_values false the messages name the rule and the installments
 * but show no date or amount: for a reader who may not see them.
 */

/* A contract term as a canonical daterange: [lower, upper); never empty. */
typedef struct IqTerm
{
	bool		lower_inf;
	IqDate		lower;			/* first day of the term */
	bool		upper_inf;
	IqDate		upper;			/* first day after the term */
} IqTerm;

/*
 * Report every violation of the plan, whose amounts are in currency, to
 * sink, in this order: payment_count and length_mismatch; then,
 * installment by installment, null_value, negative_amount,
 * amount_precision, duplicate_invoice_date and after_contract_end; then
 * total_mismatch and backdated_invoices.  When has_acceptance is false,
 * "backdated" means before the term's first day.  Returns the number of
 * violations reported.
 */
extern int	iq_plan_validate(const IqPlanDate *dates, int ndates,
							 const IqListedAmount *amounts, int namounts,
							 const IqPlanTotal *total, const IqTerm *term,
							 bool has_acceptance, IqDate acceptance,
							 const IqCurrency *currency,
							 bool show_values, IqViolationSink sink, void *arg);

#endif							/* IQFEES_CORE_INSTALLMENT_H */
