/*
 * core/proposal.h
 *		Fixed-price proposals and their payment requests, in plain C with no
 *		server dependency.
 *
 * An AWS IQ expert proposes a fixed price and raises payment requests at
 * milestones or at completion; together they may not exceed the price.
 * A request that would exceed what is left of it is refused, so it leaves
 * the balance as it was for the requests after it.
 */
#ifndef IQFEES_CORE_PROPOSAL_H
#define IQFEES_CORE_PROPOSAL_H

#include "violation.h"

#define IQ_RULE_EXCEEDS_PROPOSAL_PRICE	"exceeds_proposal_price"

/*
 * Apply a request of cents to what is left of the price (*remaining): true
 * when it fits, and *remaining is reduced; false when it exceeds it, and
 * *remaining is unchanged.
 */
extern bool iq_proposal_request(int64_t *remaining, int64_t cents);

/*
 * Report every violation of the requests, request by request: null_value,
 * negative_amount, amount_precision, exceeds_proposal_price.  Requests
 * that are NULL or not valid cents do not change the balance.  Returns the
 * number of violations reported.
 */
extern int	iq_proposal_validate(int64_t price_cents, const IqListedAmount *requests,
								 int nrequests, IqViolationSink sink, void *arg);

#endif							/* IQFEES_CORE_PROPOSAL_H */
