/*
 * test_instance_hours.c
 *		Unit tests for instance_hours.c.
 */
#include "unit.h"
#include "instance_hours.h"

/* Build an IqDecimal from base-10000 groups, as numeric stores it. */
static IqDecimal
decimal(bool negative, int weight, int ndigits, const uint16_t *digits)
{
	IqDecimal	d = {negative, weight, ndigits, (const unsigned char *) digits, 0};

	return d;
}

static void
check_micros(IqDecimal d, IqAmountStatus status, int64_t expected)
{
	int64_t		micros = -1;

	CHECK_INT(iq_decimal_to_micros(&d, &micros), status);
	if (status == IQ_AMOUNT_OK)
		CHECK_INT(micros, expected);
	else
		CHECK_INT(micros, -1);
}

static void
test_price_decode(void)
{
	static const uint16_t p0125[] = {1250}; /* 0.125 */
	static const uint16_t p2_5[] = {2, 5000};	/* 2.5 */
	static const uint16_t p_micro[] = {0, 100}; /* 0.000001 */
	static const uint16_t p_sub[] = {0, 10};	/* 0.0000001 */
	static const uint16_t p_far[] = {1};	/* 10^-12 */
	static const uint16_t p_max[] = {9999, 9999, 9999, 9999, 9900}; /* 999999999999.999999 */
	static const uint16_t p_big[] = {1};	/* 10^12 */
	static const uint16_t p_trail[] = {1, 2000};	/* 1.2 (trailing zeros are
													 * not stored) */
	static const uint16_t p_both[] = {1, 0, 0, 0, 0, 1};	/* 10^12 + 10^-8:
															 * precision wins */

	check_micros(decimal(false, -1, 1, p0125), IQ_AMOUNT_OK, 125000);
	check_micros(decimal(false, 0, 2, p2_5), IQ_AMOUNT_OK, 2500000);
	check_micros(decimal(false, -1, 2, p_micro), IQ_AMOUNT_OK, 1);
	check_micros(decimal(false, 0, 0, NULL), IQ_AMOUNT_OK, 0);
	check_micros(decimal(false, 0, 2, p_trail), IQ_AMOUNT_OK, 1200000);
	check_micros(decimal(false, 2, 5, p_max), IQ_AMOUNT_OK, IQ_PRICE_MAX_MICROS);
	check_micros(decimal(false, -1, 2, p_sub), IQ_AMOUNT_SUBCENT, 0);
	check_micros(decimal(false, -3, 1, p_far), IQ_AMOUNT_SUBCENT, 0);
	check_micros(decimal(false, 3, 1, p_big), IQ_AMOUNT_TOO_LARGE, 0);
	check_micros(decimal(false, 3, 6, p_both), IQ_AMOUNT_SUBCENT, 0);
	check_micros(decimal(true, -1, 1, p0125), IQ_AMOUNT_NEGATIVE, 0);
	check_micros(decimal(true, 3, 1, p_big), IQ_AMOUNT_NEGATIVE, 0);
}

static void
test_additional_instances(void)
{
	CHECK_INT(iq_additional_instances(5, 3), 2);
	CHECK_INT(iq_additional_instances(3, 3), 0);
	CHECK_INT(iq_additional_instances(1, 3), 0);
	CHECK_INT(iq_additional_instances(0, 0), 0);
	CHECK_INT(iq_additional_instances(INT32_MAX, 0), INT32_MAX);
}

static void
test_charge(void)
{
	int64_t		cents = -1;

	/*
	 * rounded once per period: 3 hours at 0.125 is 0.375 -> 0.38, where
	 * rounding each hour would give 0.39
	 */
	CHECK(iq_hours_charge_cents(3, 125000, &cents));
	CHECK_INT(cents, 38);
	CHECK(iq_hours_charge_cents(1, 125000, &cents));
	CHECK_INT(cents, 13);		/* 0.125 rounds half up */
	CHECK(iq_hours_charge_cents(1, 124999, &cents));
	CHECK_INT(cents, 12);
	CHECK(iq_hours_charge_cents(0, IQ_PRICE_MAX_MICROS, &cents));
	CHECK_INT(cents, 0);
	CHECK(iq_hours_charge_cents(INT64_MAX, 0, &cents));
	CHECK_INT(cents, 0);
	CHECK(iq_hours_charge_cents(744, 2500000, &cents));
	CHECK_INT(cents, 186000);	/* a 31-day month at 2.50 */
	CHECK(iq_hours_charge_cents(1, 1, &cents));
	CHECK_INT(cents, 0);		/* 0.000001 rounds down */
	CHECK(iq_hours_charge_cents(5000, 1, &cents));
	CHECK_INT(cents, 1);		/* 0.005 rounds up */

	/* the largest charge, and one cent more */
	CHECK(iq_hours_charge_cents(IQ_MAX_CENTS, 10000, &cents));
	CHECK_INT(cents, IQ_MAX_CENTS);
	cents = -1;
	CHECK(!iq_hours_charge_cents(IQ_MAX_CENTS + 1, 10000, &cents));
	CHECK(!iq_hours_charge_cents(INT64_MAX, IQ_PRICE_MAX_MICROS, &cents));
	CHECK_INT(cents, -1);
}

void
test_instance_hours(void)
{
	test_price_decode();
	test_additional_instances();
	test_charge();
}
