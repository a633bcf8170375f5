/*
 * test_proposal.c
 *		Unit tests for proposal.c.
 */
#include "unit.h"
#include "money.h"
#include "proposal.h"


static IqListedAmount
cents(int64_t value)
{
	IqListedAmount a = {false, false, false, value, NULL};

	return a;
}


static void
test_request(void)
{
	int64_t		remaining = 100000;

	CHECK(iq_proposal_request(&remaining, 40000));
	CHECK_INT(remaining, 60000);
	CHECK(!iq_proposal_request(&remaining, 60001));
	CHECK_INT(remaining, 60000);
	CHECK(iq_proposal_request(&remaining, 60000));	/* exactly the rest */
	CHECK_INT(remaining, 0);
	CHECK(iq_proposal_request(&remaining, 0));
	CHECK(!iq_proposal_request(&remaining, 1));
	CHECK_INT(remaining, 0);

	remaining = IQ_MAX_CENTS;
	CHECK(iq_proposal_request(&remaining, IQ_MAX_CENTS));
	CHECK_INT(remaining, 0);
}

static void
test_validate(void)
{
	IqListedAmount requests[6];
	Captured	c;

	/* milestones that add up to the price exactly */
	requests[0] = cents(40000);
	requests[1] = cents(35000);
	requests[2] = cents(25000);
	memset(&c, 0, sizeof(c));
	CHECK_INT(iq_proposal_validate(100000, requests, 3, capture, &c), 0);
	CHECK_INT(iq_proposal_validate(100000, requests, 0, capture, &c), 0);

	/* the refused request leaves the balance for the next */
	requests[2] = cents(30000);
	requests[3] = cents(25000);
	requests[4] = cents(1);
	memset(&c, 0, sizeof(c));
	CHECK_INT(iq_proposal_validate(100000, requests, 5, capture, &c), 2);
	CHECK_VIOLATION(c, 0, IQ_RULE_EXCEEDS_PROPOSAL_PRICE, 3,
					"request 3 amount 300.00 exceeds the 250.00 left of the proposal price 1000.00");
	CHECK_VIOLATION(c, 1, IQ_RULE_EXCEEDS_PROPOSAL_PRICE, 5,
					"request 5 amount 0.01 exceeds the 0.00 left of the proposal price 1000.00");

	/*
	 * NULL and invalid amounts are violations of their own and leave the
	 * balance alone
	 */
	requests[0].isnull = true;
	requests[1] = cents(0);
	requests[1].negative = true;
	requests[1].subcent = true;
	requests[1].text = "-0.005";
	requests[2] = cents(0);
	requests[2].subcent = true;
	requests[2].text = "999.999";
	requests[3] = cents(100000);
	memset(&c, 0, sizeof(c));
	CHECK_INT(iq_proposal_validate(100000, requests, 4, capture, &c), 4);
	CHECK_VIOLATION(c, 0, IQ_RULE_NULL_VALUE, 1, "request 1 has no amount");
	CHECK_VIOLATION(c, 1, IQ_RULE_NEGATIVE_AMOUNT, 2, "request 2 amount -0.005 is negative");
	CHECK_VIOLATION(c, 2, IQ_RULE_AMOUNT_PRECISION, 2,
					"request 2 amount -0.005 has more than two decimal places");
	CHECK_VIOLATION(c, 3, IQ_RULE_AMOUNT_PRECISION, 3,
					"request 3 amount 999.999 has more than two decimal places");

	/* a price of zero takes only requests of zero */
	requests[0] = cents(0);
	requests[1] = cents(1);
	memset(&c, 0, sizeof(c));
	CHECK_INT(iq_proposal_validate(0, requests, 2, capture, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_EXCEEDS_PROPOSAL_PRICE, 2,
					"request 2 amount 0.01 exceeds the 0.00 left of the proposal price 0.00");
}

void
test_proposal(void)
{
	test_request();
	test_validate();
}
