/*
 * test_form_1099k.c
 *		Unit tests for form_1099k.c.
 */
#include "unit.h"
#include "form_1099k.h"
#include "money.h"

/* more than 20,000.00 and more than 200 transactions */
static const IqForm1099kThreshold both = {2000000, true, 200};

/* more than 5,000.00, however many transactions */
static const IqForm1099kThreshold gross_only = {500000, false, 0};

static void
test_both_tests(void)
{
	/* exactly at either threshold is not over it */
	CHECK(!iq_form_1099k_reportable(2000000, 200, &both));
	CHECK(!iq_form_1099k_reportable(2000000, 201, &both));
	CHECK(!iq_form_1099k_reportable(2000001, 200, &both));
	CHECK(iq_form_1099k_reportable(2000001, 201, &both));
	/* far above one and below the other */
	CHECK(!iq_form_1099k_reportable(IQ_MAX_CENTS, 0, &both));
	CHECK(!iq_form_1099k_reportable(0, INT64_MAX, &both));
	CHECK(iq_form_1099k_reportable(IQ_MAX_CENTS, INT64_MAX, &both));
}

static void
test_gross_only(void)
{
	CHECK(!iq_form_1099k_reportable(500000, INT64_MAX, &gross_only));
	CHECK(iq_form_1099k_reportable(500001, 0, &gross_only));
	CHECK(iq_form_1099k_reportable(500001, 1, &gross_only));
	CHECK(!iq_form_1099k_reportable(0, 0, &gross_only));
}

static void
test_edges(void)
{
	IqForm1099kThreshold zero = {0, true, 0};
	IqForm1099kThreshold top = {IQ_MAX_CENTS, false, 0};

	/* a zero threshold reports any payment at all */
	CHECK(!iq_form_1099k_reportable(0, 0, &zero));
	CHECK(!iq_form_1099k_reportable(1, 0, &zero));
	CHECK(!iq_form_1099k_reportable(0, 1, &zero));
	CHECK(iq_form_1099k_reportable(1, 1, &zero));
	/* nothing exceeds the largest amount */
	CHECK(!iq_form_1099k_reportable(IQ_MAX_CENTS, INT64_MAX, &top));
	/* the count is ignored without a count test, whatever it holds */
	zero.counts_transactions = false;
	zero.transactions = INT64_MAX;
	CHECK(iq_form_1099k_reportable(1, 0, &zero));
}

void
test_form_1099k(void)
{
	test_both_tests();
	test_gross_only();
	test_edges();
}
