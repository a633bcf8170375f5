/*
 * test_money.c
 *		Unit tests of cents conversion, rates and half-up fees.
 */
#include "unit.h"

#include "money.h"

/* Build an IqDecimal the way numeric stores the value. */
typedef struct TestDecimal
{
	IqDecimal	decimal;
	uint16_t	digits[8];
} TestDecimal;

static IqDecimal *
decimal(TestDecimal *t, bool negative, int weight, int ndigits, const uint16_t *digits)
{
	memcpy(t->digits, digits, ndigits * sizeof(uint16_t));
	t->decimal.negative = negative;
	t->decimal.weight = weight;
	t->decimal.ndigits = ndigits;
	t->decimal.digits = (const unsigned char *) t->digits;
	t->decimal.dscale = 0;
	return &t->decimal;
}

/*
 * Parse a plain decimal string ("-12345.6789") into base-10000 groups, as
 * numeric does: groups aligned on the decimal point, leading and trailing
 * zero groups stripped.
 */
static IqDecimal *
parse(TestDecimal *t, const char *text)
{
	char		intpart[64] = "",
				frac[64] = "";
	const char *dot;
	bool		negative = (*text == '-');
	uint16_t	groups[16];
	int			n = 0,
				weight,
				first,
				last;
	size_t		ilen,
				flen,
				pad;
	char		buf[128];

	if (negative)
		text++;
	dot = strchr(text, '.');
	ilen = dot ? (size_t) (dot - text) : strlen(text);
	memcpy(intpart, text, ilen);
	if (dot)
		strcpy(frac, dot + 1);
	flen = strlen(frac);

	/* pad the integer part on the left and the fraction on the right to 4s */
	pad = (4 - ilen % 4) % 4;
	memset(buf, '0', pad);
	memcpy(buf + pad, intpart, ilen);
	memcpy(buf + pad + ilen, frac, flen);
	memset(buf + pad + ilen + flen, '0', (4 - flen % 4) % 4);
	buf[pad + ilen + flen + (4 - flen % 4) % 4] = '\0';

	weight = (int) ((pad + ilen) / 4) - 1;
	for (size_t i = 0; buf[i]; i += 4)
		groups[n++] = (uint16_t) ((buf[i] - '0') * 1000 + (buf[i + 1] - '0') * 100 +
								  (buf[i + 2] - '0') * 10 + (buf[i + 3] - '0'));
	for (first = 0; first < n && groups[first] == 0; first++)
		weight--;
	for (last = n; last > first && groups[last - 1] == 0; last--)
		;
	if (first == last)
		return decimal(t, false, 0, 0, groups);
	return decimal(t, negative, weight, last - first, groups + first);
}

static IqAmountStatus
cents_of(const char *text, int64_t *cents)
{
	TestDecimal t;

	*cents = -1;
	return iq_decimal_to_cents(parse(&t, text), cents);
}

static void
check_cents(const char *text, int64_t expected)
{
	int64_t		cents;

	UNIT_REPORT(cents_of(text, &cents) == IQ_AMOUNT_OK && cents == expected,
				"\"%s\" gave %" PRId64 ", expected %" PRId64, text, cents, expected);
}

static void
check_amount_status(const char *text, IqAmountStatus expected)
{
	int64_t		cents;
	IqAmountStatus status = cents_of(text, &cents);

	UNIT_REPORT(status == expected, "\"%s\" gave status %d, expected %d",
				text, (int) status, (int) expected);
}

/* an amount as units of 10^-scale, IQ_MAX_UNITS at most */
static void
check_units(const char *text, int scale, IqAmountStatus expected_status, int64_t expected)
{
	TestDecimal t;
	int64_t		units = -1;
	IqAmountStatus status = iq_decimal_to_units(parse(&t, text), scale,
												(uint64_t) IQ_MAX_UNITS, &units);

	UNIT_REPORT(status == expected_status &&
				(status != IQ_AMOUNT_OK || units == expected),
				"\"%s\" at scale %d gave status %d (%" PRId64 "), expected %d (%" PRId64 ")",
				text, scale, (int) status, units, (int) expected_status, expected);
}

static IqRate
rate_of(const char *text, IqRateStatus expected)
{
	TestDecimal t;
	IqRate		rate = {0, 0};
	IqRateStatus status = iq_decimal_to_rate(parse(&t, text), &rate);

	UNIT_REPORT(status == expected, "rate \"%s\" gave status %d, expected %d",
				text, (int) status, (int) expected);
	return rate;
}

static void
check_fee(int64_t cents, const char *rate_text, int64_t expected)
{
	IqRate		rate = rate_of(rate_text, IQ_RATE_OK);
	int64_t		fee = iq_fee_cents(cents, &rate);

	UNIT_REPORT(fee == expected, "fee of %" PRId64 " at %s is %" PRId64 ", expected %" PRId64,
				cents, rate_text, fee, expected);
}

/* independent reference: round by comparing twice the remainder */
static int64_t
reference_fee(int64_t cents, const IqRate *rate)
{
	unsigned __int128 p = (unsigned __int128) (uint64_t) cents * rate->numerator;
	unsigned __int128 q = p / rate->divisor;
	unsigned __int128 r = p % rate->divisor;

	return (int64_t) (q + (2 * r >= rate->divisor ? 1 : 0));
}

/*
 * iq_cents_to_digits against the digits parse() gives for the formatted
 * value, which are numeric's: true when they agree.
 */
static bool
cents_digits_agree(int64_t cents)
{
	char		text[IQ_CENTS_BUFLEN];
	TestDecimal t;
	IqDecimal  *expected;
	uint16_t	digits[IQ_CENTS_MAX_DIGITS];
	int			weight;
	int			ndigits;

	iq_cents_to_text(cents, text);
	expected = parse(&t, text);
	ndigits = iq_cents_to_digits(cents, digits, &weight);
	return (cents < 0 && ndigits > 0) == expected->negative &&
		weight == expected->weight &&
		ndigits == expected->ndigits &&
		memcmp(digits, expected->digits, (size_t) ndigits * sizeof(uint16_t)) == 0;
}

static uint64_t
xorshift(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* yen, fils and the 4-decimal CLF: every place of the largest amount counts */
static void
test_units(void)
{
	check_units("142857", 0, IQ_AMOUNT_OK, 142857);
	check_units("142857.00", 0, IQ_AMOUNT_OK, 142857);
	check_units("10.5", 0, IQ_AMOUNT_SUBCENT, 0);
	check_units("99999999999999999", 0, IQ_AMOUNT_OK, IQ_MAX_UNITS);
	check_units("100000000000000000", 0, IQ_AMOUNT_TOO_LARGE, 0);
	check_units("90000000000000000", 0, IQ_AMOUNT_OK, INT64_C(90000000000000000));
	check_units("1.500", 3, IQ_AMOUNT_OK, 1500);
	check_units("0.0005", 3, IQ_AMOUNT_SUBCENT, 0);
	check_units("83401600000000", 3, IQ_AMOUNT_OK, INT64_C(83401600000000000));
	check_units("99999999999999.999", 3, IQ_AMOUNT_OK, IQ_MAX_UNITS);
	check_units("100000000000000", 3, IQ_AMOUNT_TOO_LARGE, 0);
	check_units("9999999999999.9999", 4, IQ_AMOUNT_OK, IQ_MAX_UNITS);
	check_units("10000000000000", 4, IQ_AMOUNT_TOO_LARGE, 0);
	check_units("-1", 0, IQ_AMOUNT_NEGATIVE, 0);
	/* a digit past the scale wins over the size, as for cents */
	check_units("100000000000000000.5", 0, IQ_AMOUNT_SUBCENT, 0);
}

void
test_money(void)
{
	char		buf[IQ_CENTS_BUFLEN];
	IqRate		rate;
	IqPrice		price;
	IqRate		fifteen,
				three;
	uint64_t	state = 0x5eed1234abcdULL;
	int			mismatches;

	/* cents */
	check_cents("0", 0);
	check_cents("1000", 100000);
	check_cents("10.5", 1050);
	check_cents("10.500", 1050);
	check_cents("0.01", 1);
	check_cents("12345678.9", 1234567890);
	check_cents("999999999999999.99", IQ_MAX_CENTS);
	check_cents("10000", 1000000);
	check_amount_status("10.005", IQ_AMOUNT_SUBCENT);
	check_amount_status("0.001", IQ_AMOUNT_SUBCENT);
	check_amount_status("0.00000001", IQ_AMOUNT_SUBCENT);
	check_amount_status("-0.01", IQ_AMOUNT_NEGATIVE);
	check_amount_status("-10.005", IQ_AMOUNT_NEGATIVE);
	check_amount_status("1000000000000000", IQ_AMOUNT_TOO_LARGE);
	check_amount_status("1000000000000000000000", IQ_AMOUNT_TOO_LARGE);
	check_amount_status("1000000000000000000000.001", IQ_AMOUNT_SUBCENT);

	/* a zero that claims to be negative is still zero */
	{
		TestDecimal t;
		const uint16_t zero[1] = {0};
		int64_t		cents = -1;

		CHECK_INT(iq_decimal_to_cents(decimal(&t, true, 0, 1, zero), &cents), IQ_AMOUNT_OK);
		CHECK_INT(cents, 0);
	}

	/* rates */
	rate = rate_of("0.15", IQ_RATE_OK);
	CHECK_INT(rate.numerator, 15);
	CHECK_INT(rate.divisor, 100);
	rate = rate_of("0.150000000000000000000000", IQ_RATE_OK);
	CHECK_INT(rate.numerator, 15);
	rate = rate_of("0", IQ_RATE_OK);
	CHECK_INT(rate.numerator, 0);
	rate = rate_of("0.999999999999999999", IQ_RATE_OK);
	CHECK_INT(rate.divisor, 1000000000000000000LL);
	rate_of("0.9999999999999999999", IQ_RATE_TOO_PRECISE);
	rate_of("0.00000000000000000001", IQ_RATE_TOO_PRECISE);
	rate_of("0.333333333333333333333333333", IQ_RATE_TOO_PRECISE);
	rate_of("1", IQ_RATE_OUT_OF_RANGE);
	rate_of("1.5", IQ_RATE_OUT_OF_RANGE);
	rate_of("-0.01", IQ_RATE_OUT_OF_RANGE);
	rate_of("-0.00000000000000000000001", IQ_RATE_OUT_OF_RANGE);

	/* half-up fees */
	check_fee(100000, "0.15", 15000);	/* 1000.00 -> 150.00 */
	check_fee(100000, "0.03", 3000);
	check_fee(30, "0.15", 5);	/* 0.045 -> 0.05 */
	check_fee(10, "0.15", 2);	/* 0.015 -> 0.02 */
	check_fee(3, "0.15", 0);	/* 0.0045 -> 0.00 */
	check_fee(1, "0.5", 1);		/* 0.005 -> 0.01 */
	check_fee(1, "0.499999999999999999", 0);
	check_fee(IQ_MAX_CENTS, "0.15", 15000000000000000LL);	/* 14999999999999999.85 */
	check_fee(IQ_MAX_CENTS, "0.999999999999999999", 99999999999999999LL);
	check_fee(IQ_MAX_CENTS, "0.000000000000000001", 0);
	check_fee(0, "0.15", 0);

	/* the fee matches an independent computation for random inputs */
	mismatches = 0;
	for (int i = 0; i < 200000; i++)
	{
		IqRate		r;
		int64_t		cents = (int64_t) (xorshift(&state) % (uint64_t) (IQ_MAX_CENTS + 1));
		int			scale = (int) (xorshift(&state) % 19);

		if (i % 3 == 0)
			cents %= 100000;	/* small amounts too */
		r.divisor = 1;
		for (int k = 0; k < scale; k++)
			r.divisor *= 10;
		r.numerator = xorshift(&state) % r.divisor;
		if (iq_fee_cents(cents, &r) != reference_fee(cents, &r) && mismatches++ == 0)
			fprintf(stderr, "fee of %" PRId64 " at %" PRIu64 "/%" PRIu64 " differs\n",
					cents, r.numerator, r.divisor);
	}
	CHECK_INT(mismatches, 0);

	/* invariants of a priced request */
	fifteen = rate_of("0.15", IQ_RATE_OK);
	three = rate_of("0.03", IQ_RATE_OK);
	mismatches = 0;
	for (int i = 0; i < 100000; i++)
	{
		int64_t		cents = (int64_t) (xorshift(&state) % (uint64_t) (IQ_MAX_CENTS + 1));

		iq_price(cents, &fifteen, &three, &price);
		if (price.expert_fee + price.expert_payout != cents ||
			cents + price.buyer_fee != price.buyer_total ||
			price.expert_fee != reference_fee(cents, &fifteen))
			mismatches++;
	}
	CHECK_INT(mismatches, 0);
	iq_price(100000, &fifteen, &three, &price);
	CHECK_INT(price.expert_fee, 15000);
	CHECK_INT(price.expert_payout, 85000);
	CHECK_INT(price.buyer_fee, 3000);
	CHECK_INT(price.buyer_total, 103000);

	/* numeric's digits of cents: every value up to 10000.00 and its negative */
	mismatches = 0;
	for (int64_t cents = 0; cents <= 1000000; cents++)
		if ((!cents_digits_agree(cents) || !cents_digits_agree(-cents)) && mismatches++ == 0)
			fprintf(stderr, "digits of %" PRId64 " cents differ\n", cents);
	CHECK_INT(mismatches, 0);

	/* each power of ten, one either side, and random values of every size */
	mismatches = 0;
	for (int64_t p = 1; p <= INT64_MAX / 10; p *= 10)
		for (int64_t d = -1; d <= 1; d++)
			if (!cents_digits_agree(p + d) || !cents_digits_agree(-(p + d)))
				mismatches++;
	for (int i = 0; i < 200000; i++)
	{
		int64_t		cents = (int64_t) (xorshift(&state) >> (xorshift(&state) % 64));

		if (!cents_digits_agree(cents) || !cents_digits_agree(-cents))
			mismatches++;
	}
	CHECK_INT(mismatches, 0);
	CHECK(cents_digits_agree(INT64_MAX));
	CHECK(cents_digits_agree(INT64_MIN));
	{
		uint16_t	d[IQ_CENTS_MAX_DIGITS];
		int			w = -99;

		CHECK(iq_cents_to_digits(0, d, &w) == 0 && w == 0);
		CHECK(iq_cents_to_digits(-5, d, &w) == 1 && w == -1 && d[0] == 500);	/* -0.05 */
		CHECK(iq_cents_to_digits(123456789, d, &w) == 3 && w == 1 &&	/* 1234567.89 */
			  d[0] == 123 && d[1] == 4567 && d[2] == 8900);
		CHECK(iq_cents_to_digits(100000000, d, &w) == 1 && w == 1 && d[0] == 100);	/* 1000000.00 */
		CHECK(iq_cents_to_digits(INT64_MIN, d, &w) == 6 && w == 4 && d[0] == 9 && d[5] == 800);
	}

	/* formatting */
	iq_cents_to_text(0, buf);
	CHECK_STR(buf, "0.00");
	iq_cents_to_text(5, buf);
	CHECK_STR(buf, "0.05");
	iq_cents_to_text(-5, buf);
	CHECK_STR(buf, "-0.05");
	iq_cents_to_text(123450, buf);
	CHECK_STR(buf, "1234.50");
	iq_cents_to_text(IQ_MAX_CENTS, buf);
	CHECK_STR(buf, "999999999999999.99");
	iq_cents_to_text(INT64_MIN, buf);
	CHECK_STR(buf, "-92233720368547758.08");
	test_units();
}
