/*
 * test_currency.c
 *		Unit tests of core/currency.c and of amounts in minor units other
 *		than cents: the ISO 4217 list, the precision rule's wording, text,
 *		numeric digits and plan splits in yen, fils and dollars.
 */
#include "unit.h"

#include <ctype.h>

#include "currency.h"
#include "installment.h"
#include "money.h"

static void
test_lookup(void)
{
	const IqCurrency *all;
	int			n;

	CHECK_INT(iq_currency_find("USD", 3)->minor_units, 2);
	CHECK_INT(iq_currency_find("EUR", 3)->minor_units, 2);
	CHECK_INT(iq_currency_find("GBP", 3)->minor_units, 2);
	CHECK_INT(iq_currency_find("AUD", 3)->minor_units, 2);
	CHECK_INT(iq_currency_find("INR", 3)->minor_units, 2);
	CHECK_INT(iq_currency_find("JPY", 3)->minor_units, 0);
	CHECK_STR(iq_currency_find("JPY", 3)->unit, "yen");
	CHECK_INT(iq_currency_find("KRW", 3)->minor_units, 0);
	CHECK_INT(iq_currency_find("KWD", 3)->minor_units, 3);
	CHECK_INT(iq_currency_find("BHD", 3)->minor_units, 3);
	CHECK_INT(iq_currency_find("OMR", 3)->minor_units, 3);
	CHECK_INT(iq_currency_find("JOD", 3)->minor_units, 3);
	CHECK_INT(iq_currency_find("TND", 3)->minor_units, 3);
	CHECK_INT(iq_currency_find("CLF", 3)->minor_units, 4);
	CHECK_INT(iq_currency_find("XCG", 3)->minor_units, 2);

	/* not codes: lower case, withdrawn, no minor unit, wrong length */
	CHECK(iq_currency_find("usd", 3) == NULL);
	CHECK(iq_currency_find("Usd", 3) == NULL);
	CHECK(iq_currency_find("HRK", 3) == NULL);
	CHECK(iq_currency_find("XAU", 3) == NULL);
	CHECK(iq_currency_find("XXX", 3) == NULL);
	CHECK(iq_currency_find("US", 2) == NULL);
	CHECK(iq_currency_find("USDX", 4) == NULL);
	CHECK(iq_currency_find("", 0) == NULL);
	CHECK(iq_currency_find("U\0D", 3) == NULL);
	/* only the first len characters count */
	CHECK(iq_currency_find("JPYEN", 3) == iq_currency_find("JPY", 3));

	/* the list: sorted, three upper-case letters, 0 to 4 decimals, names */
	all = iq_currencies(&n);
	CHECK(n > 150);
	for (int i = 0; i < n; i++)
	{
		bool		letters = true;

		for (int k = 0; k < 3; k++)
			letters = letters && isupper((unsigned char) all[i].code[k]);
		CHECK(letters && all[i].code[3] == '\0');
		CHECK(i == 0 || strcmp(all[i - 1].code, all[i].code) < 0);
		CHECK(all[i].minor_units == 0 || all[i].minor_units == 2 ||
			  all[i].minor_units == 3 || all[i].minor_units == 4);
		CHECK((all[i].minor_units == 0) == (all[i].unit != NULL));
		CHECK(iq_currency_find(all[i].code, 3) == &all[i]);
	}
}

static void
test_precision_rule(void)
{
	char		rule[IQ_PRECISION_RULE_LEN];

	iq_currency_precision_rule(&iq_currency_usd, rule);
	CHECK_STR(rule, "has more than two decimal places");
	iq_currency_precision_rule(iq_currency_find("USD", 3), rule);
	CHECK_STR(rule, "has more than two decimal places");
	iq_currency_precision_rule(iq_currency_find("JPY", 3), rule);
	CHECK_STR(rule, "has decimal places; JPY amounts are whole yen");
	iq_currency_precision_rule(iq_currency_find("KWD", 3), rule);
	CHECK_STR(rule, "has more than three decimal places; KWD amounts have three");
	iq_currency_precision_rule(iq_currency_find("EUR", 3), rule);
	CHECK_STR(rule, "has more than two decimal places; EUR amounts have two");
	iq_currency_precision_rule(iq_currency_find("CLF", 3), rule);
	CHECK_STR(rule, "has more than four decimal places; CLF amounts have four");
}

static void
test_units_text(void)
{
	char		buf[IQ_CENTS_BUFLEN];

	iq_units_to_text(142857, 0, buf);
	CHECK_STR(buf, "142857");
	iq_units_to_text(0, 0, buf);
	CHECK_STR(buf, "0");
	iq_units_to_text(-5, 0, buf);
	CHECK_STR(buf, "-5");
	iq_units_to_text(1500, 3, buf);
	CHECK_STR(buf, "1.500");
	iq_units_to_text(5, 3, buf);
	CHECK_STR(buf, "0.005");
	iq_units_to_text(-5, 3, buf);
	CHECK_STR(buf, "-0.005");
	iq_units_to_text(1, 4, buf);
	CHECK_STR(buf, "0.0001");
	iq_units_to_text(IQ_MAX_UNITS, 0, buf);
	CHECK_STR(buf, "99999999999999999");
	iq_units_to_text(IQ_MAX_UNITS, 3, buf);
	CHECK_STR(buf, "99999999999999.999");
	iq_units_to_text(INT64_MIN, 4, buf);
	CHECK_STR(buf, "-922337203685477.5808");
	iq_units_to_text(123450, 2, buf);
	CHECK_STR(buf, "1234.50");
}

/* numeric's digits: base 10000, weight of the first, trimmed */
static void
test_units_digits(void)
{
	uint16_t	d[IQ_CENTS_MAX_DIGITS];
	int			weight;

	/* 142857 yen: 14 2857 */
	CHECK_INT(iq_units_to_digits(142857, 0, d, &weight), 2);
	CHECK_INT(weight, 1);
	CHECK_INT(d[0], 14);
	CHECK_INT(d[1], 2857);
	/* 1.500 dinars: 1 .5000 */
	CHECK_INT(iq_units_to_digits(1500, 3, d, &weight), 2);
	CHECK_INT(weight, 0);
	CHECK_INT(d[0], 1);
	CHECK_INT(d[1], 5000);
	/* 0.005 dinars: .0050 */
	CHECK_INT(iq_units_to_digits(5, 3, d, &weight), 1);
	CHECK_INT(weight, -1);
	CHECK_INT(d[0], 50);
	/* 10000 yen: 1 (weight 1), trailing zero group trimmed */
	CHECK_INT(iq_units_to_digits(10000, 0, d, &weight), 1);
	CHECK_INT(weight, 1);
	CHECK_INT(d[0], 1);
	/* zero has no digits */
	CHECK_INT(iq_units_to_digits(0, 0, d, &weight), 0);
	CHECK_INT(weight, 0);
	/* the same as the cents path at scale 2 */
	for (int64_t v = -100005; v <= 100005; v += 997)
	{
		uint16_t	c[IQ_CENTS_MAX_DIGITS];
		int			cw;
		int			n = iq_units_to_digits(v, 2, d, &weight);

		CHECK_INT(iq_cents_to_digits(v, c, &cw), n);
		CHECK_INT(cw, weight);
		CHECK(memcmp(c, d, sizeof(uint16_t) * n) == 0);
	}
}

/* a plan is split in minor units: whole yen, fils, cents */
static void
test_plan_units(void)
{
	IqInstallment plan[IQ_MAX_PAYMENTS];
	IqFrequency monthly = {1, 0};
	int64_t		sum = 0;

	/* 1,000,000 yen in 7: 142858 then six of 142857 */
	CHECK_INT(iq_plan_generate(1000000, 7, 9131, monthly, false, 0, plan), IQ_PLAN_OK);
	CHECK_INT(plan[0].units, 142858);
	for (int i = 1; i < 7; i++)
		CHECK_INT(plan[i].units, 142857);
	for (int i = 0; i < 7; i++)
		sum += plan[i].units;
	CHECK_INT(sum, 1000000);

	/* 1,000.000 dinars (1,000,000 fils) in 3: 333.334, 333.333, 333.333 */
	CHECK_INT(iq_plan_generate(1000000, 3, 9131, monthly, false, 0, plan), IQ_PLAN_OK);
	CHECK_INT(plan[0].units, 333334);
	CHECK_INT(plan[1].units, 333333);
	CHECK_INT(plan[2].units, 333333);
}

void
test_currency(void)
{
	test_lookup();
	test_precision_rule();
	test_units_text();
	test_units_digits();
	test_plan_units();
}
