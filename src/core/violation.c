/*
 * core/violation.c
 *		Reporting rule violations, and the rules every list of amounts shares.
 */
#include "violation.h"

#include <stdarg.h>
#include <stdio.h>

/* vsnprintf truncates a message that would not fit, never overruns it */
void
iq_report(IqReporter *reporter, const char *rule, int position,
		  const char *format,...)
{
	IqViolation violation;
	va_list		args;

	violation.rule = rule;
	violation.position = position;
	va_start(args, format);
	vsnprintf(violation.message, sizeof(violation.message), format, args);
	va_end(args);
	reporter->sink(reporter->arg, &violation);
	reporter->count++;
}

bool
iq_listed_amount_valid(const IqListedAmount *amount)
{
	return !amount->isnull && !amount->negative && !amount->subcent;
}

void
iq_report_amount_rules(IqReporter *reporter, const IqListedAmount *amount,
					   const char *subject, int position, const IqCurrency *currency)
{
	/* without its text the amount is not shown */
	const char *space = amount->text ? " " : "";
	const char *text = amount->text ? amount->text : "";

	if (amount->isnull)
		return;
	if (amount->negative)
		iq_report(reporter, IQ_RULE_NEGATIVE_AMOUNT, position,
				  "%s %d amount%s%s is negative", subject, position, space, text);
	if (amount->subcent)
	{
		char		rule[IQ_PRECISION_RULE_LEN];

		iq_currency_precision_rule(currency, rule);
		iq_report(reporter, IQ_RULE_AMOUNT_PRECISION, position, "%s %d amount%s%s %s",
				  subject, position, space, text, rule);
	}
}
