/*
 * core/proposal.c
 *		Fixed-price proposals and their payment requests.
 */
#include "proposal.h"

#include "money.h"

bool
iq_proposal_request(int64_t *remaining, int64_t cents)
{
	if (cents > *remaining)
		return false;
	*remaining -= cents;
	return true;
}

int
iq_proposal_validate(int64_t price_cents, const IqListedAmount *requests,
					 int nrequests, IqViolationSink sink, void *arg)
{
	IqReporter	reporter = {sink, arg, 0};
	int64_t		remaining = price_cents;

	for (int i = 0; i < nrequests; i++)
	{
		const IqListedAmount *request = &requests[i];
		int64_t		before = remaining;
		int			number = i + 1;

		if (request->isnull)
			iq_report(&reporter, IQ_RULE_NULL_VALUE, number,
					  "request %d has no amount", number);
		iq_report_amount_rules(&reporter, request, "request", number, &iq_currency_usd);

		if (iq_listed_amount_valid(request) &&
			!iq_proposal_request(&remaining, request->cents))
		{
			char		amount_text[IQ_CENTS_BUFLEN];
			char		before_text[IQ_CENTS_BUFLEN];
			char		price_text[IQ_CENTS_BUFLEN];

			iq_cents_to_text(request->cents, amount_text);
			iq_cents_to_text(before, before_text);
			iq_cents_to_text(price_cents, price_text);
			iq_report(&reporter, IQ_RULE_EXCEEDS_PROPOSAL_PRICE, number,
					  "request %d amount %s exceeds the %s left of the proposal price %s",
					  number, amount_text, before_text, price_text);
		}
	}
	return reporter.count;
}
