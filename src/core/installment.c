/*
 * core/installment.c
 *		AWS Marketplace installment plans: generation and validation.
 *
 * Messages are meant for a billing analyst: each names the installment, the
 * offending date or amount and the limit it breaks.
 */
#include "installment.h"

#include <stdio.h>
#include <string.h>

/*
 * The invoice date offset installments after the first: first + offset *
 * frequency, months first and then days, as PostgreSQL adds an interval.  Computing it from first
 * every time keeps a clamped month end (Jan 31 -> Feb 29) from drifting.
 */
static bool
plan_date(IqDate first, IqFrequency frequency, int offset, IqDate *date)
{
	IqDate		shifted;

	return iq_date_add_months(first, (int64_t) offset * frequency.months, &shifted) &&
		iq_date_add_days(shifted, (int64_t) offset * frequency.days, date);
}

IqPlanStatus
iq_plan_generate(int64_t total_units, int payments, IqDate first,
				 IqFrequency frequency, bool has_initial, int64_t initial_units,
				 IqInstallment *out)
{
	IqDate		dates[IQ_MAX_PAYMENTS];
	int			split_from = has_initial ? 1 : 0;	/* first equal share */
	int64_t		rest;
	int			shares;
	int			i;

	if (payments < 1 || payments > IQ_MAX_PAYMENTS)
		return IQ_PLAN_BAD_COUNT;
	if (frequency.months < 0 || frequency.days < 0 ||
		(frequency.months == 0 && frequency.days == 0))
		return IQ_PLAN_BAD_FREQUENCY;
	if (!iq_date_is_finite(first))
		return IQ_PLAN_FIRST_DATE_INFINITE;
	for (i = 0; i < payments; i++)
		if (!plan_date(first, frequency, i, &dates[i]))
			return IQ_PLAN_DATE_OUT_OF_RANGE;
	if (has_initial && initial_units > total_units)
		return IQ_PLAN_INITIAL_EXCEEDS_TOTAL;
	if (has_initial && payments == 1 && initial_units != total_units)
		return IQ_PLAN_INITIAL_NOT_TOTAL;

	/* the units that do not divide go one each to the earliest shares */
	rest = has_initial ? total_units - initial_units : total_units;
	shares = payments - split_from;
	for (i = 0; i < payments; i++)
	{
		out[i].invoice_date = dates[i];
		if (i < split_from)
			out[i].units = initial_units;
		else
			out[i].units = rest / shares + (i - split_from < rest % shares);
	}
	return IQ_PLAN_OK;
}

IqDate
iq_installment_billed_on(IqDate invoice_date, IqDate acceptance)
{
	return invoice_date < acceptance ? acceptance : invoice_date;
}

/* " 2024-02-01" for a message, or nothing when values are not shown */
static void
format_shown(IqDate date, bool show, char *buf)
{
	buf[0] = '\0';
	if (show)
	{
		buf[0] = ' ';
		iq_date_to_text(date, buf + 1);
	}
}

/*
 * The per-installment rules for array position i.  A position past the end
 * of the shorter array has nothing to check on that side: length_mismatch
 * has already reported it, so it is not a NULL.  *latest is the latest
 * invoice date before position i (IQ_DATE_NOBEGIN when there is none yet):
 * a date after it cannot repeat an earlier one, which spares the search in
 * the usual plan, whose dates ascend.
 */
static void
check_installment(IqReporter *reporter, const IqPlanDate *dates, int ndates,
				  const IqListedAmount *amounts, int namounts,
				  const IqTerm *term, const IqCurrency *currency,
				  bool show_values, int i, IqDate *latest)
{
	const IqPlanDate *date = i < ndates ? &dates[i] : NULL;
	const IqListedAmount *amount = i < namounts ? &amounts[i] : NULL;
	bool		no_date = date != NULL && date->isnull;
	bool		no_amount = amount != NULL && amount->isnull;
	int			number = i + 1;

	/* formatted only for a message: most plans have none */
	char		date_text[IQ_DATE_BUFLEN + 1];
	char		limit_text[IQ_DATE_BUFLEN + 1];

	if (no_date || no_amount)
		iq_report(reporter, IQ_RULE_NULL_VALUE, number, "installment %d has %s",
				  number,
				  no_date && no_amount ? "no invoice date and no amount" :
				  no_date ? "no invoice date" : "no amount");

	if (amount != NULL)
		iq_report_amount_rules(reporter, amount, "installment", number, currency);

	if (date == NULL || date->isnull)
		return;

	/* name the first installment with the date, however many repeat it */
	for (int j = 0; j < i && date->date <= *latest; j++)
	{
		if (!dates[j].isnull && dates[j].date == date->date)
		{
			format_shown(date->date, show_values, date_text);
			iq_report(reporter, IQ_RULE_DUPLICATE_INVOICE_DATE, number,
					  "installment %d invoice date%s repeats installment %d",
					  number, date_text, j + 1);
			break;
		}
	}
	if (date->date > *latest)
		*latest = date->date;

	if (!term->upper_inf && date->date >= term->upper)
	{
		/* the term is [lower, upper): its last day is the one before upper */
		format_shown(date->date, show_values, date_text);
		format_shown(iq_date_is_finite(term->upper) ? term->upper - 1 : term->upper,
					 show_values, limit_text);
		iq_report(reporter, IQ_RULE_AFTER_CONTRACT_END, number,
				  "installment %d invoice date%s is after the contract term%s%s",
				  number, date_text, show_values ? ", which ends" : "", limit_text);
	}
}

#define BACKDATED_FORMAT \
	"%d invoice dates (installments %s) are before %s%s; at most 1 may be"
#define LIST_ELLIPSIS ", ..."

/*
 * One invoice date may precede acceptance (AWS raises it at acceptance);
 * more than one is a single plan-wide violation listing them all, or as
 * many as fit in the message.
 */
static void
check_backdated(IqReporter *reporter, const IqPlanDate *dates, int ndates,
				const IqTerm *term, bool has_acceptance, IqDate acceptance,
				bool show_values)
{
	IqDate		reference;
	const char *reference_name;
	char		reference_text[IQ_DATE_BUFLEN + 1];
	char		list[IQ_MESSAGE_LEN];
	int			budget;
	int			length = 0;
	int			count = 0;
	int			listed = 0;
	int			i;

	if (has_acceptance)
	{
		reference = acceptance;
		reference_name = "the acceptance date";
	}
	else if (!term->lower_inf)
	{
		reference = term->lower;
		reference_name = "the contract start";
	}
	else
		return;

	for (i = 0; i < ndates; i++)
		if (!dates[i].isnull && dates[i].date < reference)
			count++;
	if (count <= 1)
		return;

	/* what the message leaves for the list of installment numbers */
	format_shown(reference, show_values, reference_text);
	budget = IQ_MESSAGE_LEN - 1 -
		snprintf(NULL, 0, BACKDATED_FORMAT, count, "", reference_name, reference_text);

	list[0] = '\0';
	for (i = 0; i < ndates && listed < count; i++)
	{
		char		item[16];	/* ", " and any int */
		int			item_length;
		int			reserve;

		if (dates[i].isnull || dates[i].date >= reference)
			continue;
		item_length = snprintf(item, sizeof(item), listed > 0 ? ", %d" : "%d", i + 1);
		listed++;
		/* every number but the last keeps room for the ellipsis after it */
		reserve = listed < count ? (int) strlen(LIST_ELLIPSIS) : 0;
		if (length + item_length + reserve > budget)
		{
			memcpy(list + length, LIST_ELLIPSIS, sizeof(LIST_ELLIPSIS));
			break;
		}
		memcpy(list + length, item, (size_t) item_length + 1);
		length += item_length;
	}

	iq_report(reporter, IQ_RULE_BACKDATED_INVOICES, 0, BACKDATED_FORMAT,
			  count, list, reference_name, reference_text);
}

int
iq_plan_validate(const IqPlanDate *dates, int ndates,
				 const IqListedAmount *amounts, int namounts,
				 const IqPlanTotal *total, const IqTerm *term,
				 bool has_acceptance, IqDate acceptance,
				 const IqCurrency *currency,
				 bool show_values, IqViolationSink sink, void *arg)
{
	IqReporter	reporter = {sink, arg, 0};
	int			positions = ndates > namounts ? ndates : namounts;
	IqDate		latest = IQ_DATE_NOBEGIN;
	int			i;

	if (ndates < 1)
		iq_report(&reporter, IQ_RULE_PAYMENT_COUNT, 0,
				  "the plan has no invoice dates; at least 1 is required");
	else if (ndates > IQ_MAX_PAYMENTS)
		iq_report(&reporter, IQ_RULE_PAYMENT_COUNT, 0,
				  "the plan has %d invoice dates; at most %d are allowed",
				  ndates, IQ_MAX_PAYMENTS);

	if (ndates != namounts)
		iq_report(&reporter, IQ_RULE_LENGTH_MISMATCH, 0,
				  "there %s %d invoice date%s but %d amount%s",
				  ndates == 1 ? "is" : "are", ndates, ndates == 1 ? "" : "s",
				  namounts, namounts == 1 ? "" : "s");

	for (i = 0; i < positions; i++)
		check_installment(&reporter, dates, ndates, amounts, namounts, term,
						  currency, show_values, i, &latest);

	if (!total->matches && show_values)
	{
		char		total_text[IQ_CENTS_BUFLEN];

		iq_units_to_text(total->total_units, currency->minor_units, total_text);
		iq_report(&reporter, IQ_RULE_TOTAL_MISMATCH, 0,
				  "the amounts add up to %s, not the contract total %s",
				  total->sum_text, total_text);
	}
	else if (!total->matches)
		iq_report(&reporter, IQ_RULE_TOTAL_MISMATCH, 0,
				  "the amounts do not add up to the contract total");

	check_backdated(&reporter, dates, ndates, term, has_acceptance, acceptance,
					show_values);
	return reporter.count;
}
