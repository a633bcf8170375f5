/*
 * fuzz_core.c
 *		libFuzzer harness for the plain-C core: cents conversion, rates and
 *		half-up fees, calendar arithmetic, plan generation and validation.
 *
 * The first input byte picks a target; the rest drives it.  Every target
 * compares the core with an independent reference written differently
 * (decimal digit by digit instead of base-10000 groups, the Fliegel and
 * Van Flandern Julian day formula instead of era arithmetic, quotient and
 * remainder instead of the doubled-divisor rounding, a naive rule list
 * instead of the reporter) and aborts on any difference, so a wrong
 * answer is a crash just like a memory error.
 *
 *		make fuzzcheck FUZZ_SECONDS=600
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "currency.h"
#include "eligibility.h"
#include "installment.h"
#include "instance_hours.h"
#include "money.h"
#include "proposal.h"

/* the valid date range, as calendar.c documents it */
#define DATE_MIN	INT64_C(-2451545)
#define DATE_END	INT64_C(2145031949)

#define FAIL(...) \
	do { \
		fprintf(stderr, "fuzz_core: " __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} while (0)

/* Consumes the input; reads past its end give zeros. */
typedef struct Input
{
	const uint8_t *data;
	size_t		size;
} Input;

static uint64_t
take(Input *in, int bytes)
{
	uint64_t	v = 0;

	for (int i = 0; i < bytes; i++)
	{
		v = (v << 8) | (in->size > 0 ? *in->data : 0);
		if (in->size > 0)
		{
			in->data++;
			in->size--;
		}
	}
	return v;
}

static int64_t
take_range(Input *in, int64_t lo, int64_t hi)
{
	uint64_t	span = (uint64_t) (hi - lo) + 1;

	return lo + (int64_t) (span == 0 ? take(in, 8) : take(in, 8) % span);
}

/* ---- money ---- */

/*
 * The value of a decimal as decimal digits: digit[e + 40] is the digit of
 * 10^e.  Groups of weight -20 .. 20 cover e = -83 .. 83.
 */
#define EXP_OFFSET	90
#define EXP_SLOTS	(2 * EXP_OFFSET)

static void
decimal_digits(const IqDecimal *d, int out[EXP_SLOTS])
{
	memset(out, 0, sizeof(int) * EXP_SLOTS);
	for (int i = 0; i < d->ndigits; i++)
	{
		uint16_t	group;
		int			w = d->weight - i;

		memcpy(&group, d->digits + 2 * i, 2);
		for (int k = 0; k < 4; k++)
		{
			out[4 * w + k + EXP_OFFSET] = group % 10;
			group /= 10;
		}
	}
}

/*
 * A decimal as whole units of 10^-scale, never above max: 0 when it is,
 * then as the cores order their checks, 1 negative, 2 a non-zero digit
 * past the scale, 3 too large.
 */
static int
reference_units(const IqDecimal *d, int scale, int64_t max, int64_t *units)
{
	int			digits[EXP_SLOTS];
	bool		nonzero = false;
	bool		too_precise = false;
	bool		huge = false;
	unsigned __int128 total = 0;

	decimal_digits(d, digits);
	for (int e = -EXP_OFFSET; e < EXP_OFFSET; e++)
	{
		int			v = digits[e + EXP_OFFSET];

		if (v == 0)
			continue;
		nonzero = true;
		if (e < -scale)
			too_precise = true;
		else if (e + scale >= 19)
			huge = true;		/* at least 10^19 units */
		else
		{
			unsigned __int128 p = 1;

			for (int k = 0; k < e + scale; k++)
				p *= 10;
			total += v * p;
		}
	}
	if (d->negative && nonzero)
		return 1;
	if (too_precise)
		return 2;
	if (huge || total > (unsigned __int128) max)
		return 3;
	*units = (int64_t) total;
	return 0;
}

static IqAmountStatus
reference_cents(const IqDecimal *d, int64_t *cents)
{
	static const IqAmountStatus statuses[] = {
		IQ_AMOUNT_OK, IQ_AMOUNT_NEGATIVE, IQ_AMOUNT_SUBCENT, IQ_AMOUNT_TOO_LARGE
	};

	return statuses[reference_units(d, 2, IQ_MAX_CENTS, cents)];
}

static IqRateStatus
reference_rate(const IqDecimal *d, uint64_t *numerator, uint64_t *divisor)
{
	int			digits[EXP_SLOTS];
	int			lowest = 0;
	bool		nonzero = false;

	decimal_digits(d, digits);
	for (int e = -EXP_OFFSET; e < EXP_OFFSET; e++)
	{
		if (digits[e + EXP_OFFSET] == 0)
			continue;
		if (e >= 0)
			return IQ_RATE_OUT_OF_RANGE;
		if (!nonzero)
			lowest = e;
		nonzero = true;
	}
	if (!nonzero)
	{
		*numerator = 0;
		*divisor = 1;
		return IQ_RATE_OK;
	}
	if (d->negative)
		return IQ_RATE_OUT_OF_RANGE;
	if (lowest < -IQ_RATE_MAX_SCALE)
		return IQ_RATE_TOO_PRECISE;
	*numerator = 0;
	*divisor = 1;
	for (int e = -1; e >= lowest; e--)
	{
		*numerator = *numerator * 10 + digits[e + EXP_OFFSET];
		*divisor *= 10;
	}
	return IQ_RATE_OK;
}

/* a decimal in numeric's base-10000 form, groups of weight -20 .. 20 */
static void
take_decimal(Input *in, IqDecimal *d, uint16_t groups[12])
{
	d->negative = take(in, 1) & 1;
	d->weight = (int) take_range(in, -20, 20);
	d->ndigits = (int) take_range(in, 0, 12);
	if (d->weight - d->ndigits + 1 < -20)
		d->ndigits = d->weight + 21;
	for (int i = 0; i < d->ndigits; i++)
		groups[i] = (uint16_t) (take(in, 2) % 10000);
	d->digits = (const unsigned char *) groups;
}

static void
fuzz_decimal(Input *in)
{
	uint16_t	groups[12];
	IqDecimal	d;
	int64_t		cents = -1;
	int64_t		expected = -1;
	IqAmountStatus status;
	IqAmountStatus expected_status;
	IqRate		rate;
	uint64_t	numerator = 0;
	uint64_t	divisor = 0;
	IqRateStatus rstatus;
	IqRateStatus expected_rstatus;

	take_decimal(in, &d, groups);
	status = iq_decimal_to_cents(&d, &cents);
	expected_status = reference_cents(&d, &expected);
	if (status != expected_status)
		FAIL("cents status %d, expected %d", status, expected_status);
	if (status == IQ_AMOUNT_OK && cents != expected)
		FAIL("cents %" PRId64 ", expected %" PRId64, cents, expected);

	/* the minor units of every currency: 0 (JPY), 2, 3 (KWD) and 4 (CLF) */
	for (int scale = 0; scale <= IQ_MAX_MINOR_UNITS; scale++)
	{
		static const IqAmountStatus statuses[] = {
			IQ_AMOUNT_OK, IQ_AMOUNT_NEGATIVE, IQ_AMOUNT_SUBCENT, IQ_AMOUNT_TOO_LARGE
		};
		int64_t		units = -1;

		status = iq_decimal_to_units(&d, scale, (uint64_t) IQ_MAX_UNITS, &units);
		expected_status = statuses[reference_units(&d, scale, IQ_MAX_UNITS, &expected)];
		if (status != expected_status || (status == IQ_AMOUNT_OK && units != expected))
			FAIL("units of scale %d: status %d (%" PRId64 "), expected %d (%" PRId64 ")",
				 scale, status, units, expected_status, expected);
	}

	rstatus = iq_decimal_to_rate(&d, &rate);
	expected_rstatus = reference_rate(&d, &numerator, &divisor);
	if (rstatus != expected_rstatus)
		FAIL("rate status %d, expected %d", rstatus, expected_rstatus);
	if (rstatus == IQ_RATE_OK &&
		(rate.numerator != numerator || rate.divisor != divisor))
		FAIL("rate %" PRIu64 "/%" PRIu64 ", expected %" PRIu64 "/%" PRIu64,
			 rate.numerator, rate.divisor, numerator, divisor);
}

/*
 * units of 10^-scale as text (printf of quotient and zero-padded remainder)
 * and as numeric's base-10000 digits (read back as a value of 10^-4 units)
 */
static void
check_units_output(int64_t units, int scale)
{
	static const int64_t pow10[] = {1, 10, 100, 1000, 10000};
	char		text[IQ_CENTS_BUFLEN];
	char		reference[64];
	uint64_t	magnitude = units < 0 ? 0 - (uint64_t) units : (uint64_t) units;
	uint16_t	digits[IQ_CENTS_MAX_DIGITS];
	int			weight;
	int			ndigits;
	unsigned __int128 value = 0;
	unsigned __int128 place = 1;

	iq_units_to_text(units, scale, text);
	if (scale == 0)
		snprintf(reference, sizeof(reference), "%s%" PRIu64, units < 0 ? "-" : "", magnitude);
	else
		snprintf(reference, sizeof(reference), "%s%" PRIu64 ".%0*" PRIu64,
				 units < 0 ? "-" : "", magnitude / (uint64_t) pow10[scale], scale,
				 magnitude % (uint64_t) pow10[scale]);
	if (strcmp(text, reference) != 0)
		FAIL("format of %" PRId64 " at scale %d is %s, expected %s", units, scale, text,
			 reference);

	ndigits = iq_units_to_digits(units, scale, digits, &weight);
	if (ndigits < 0 || ndigits > IQ_CENTS_MAX_DIGITS ||
		(ndigits > 0 && (digits[0] == 0 || digits[ndigits - 1] == 0)))
		FAIL("digits of %" PRId64 " at scale %d are not trimmed", units, scale);

	/*
	 * digit i has weight - i; as 10^-4 units its place is 10^(4 * (weight - i
	 * + 1))
	 */
	for (int i = ndigits - 1; i >= 0; i--)
	{
		int			exponent = weight - i + 1;

		if (exponent < 0)
			FAIL("digit below 10^-4 in %" PRId64 " at scale %d", units, scale);
		place = 1;
		for (int k = 0; k < exponent; k++)
			place *= 10000;
		value += (unsigned __int128) digits[i] * place;
	}
	if (value != (unsigned __int128) magnitude * (unsigned __int128) pow10[4 - scale])
		FAIL("digits of %" PRId64 " at scale %d do not give its value", units, scale);
}

static void
fuzz_fee(Input *in)
{
	int64_t		cents = take_range(in, 0, IQ_MAX_CENTS);
	int			scale = (int) take_range(in, 0, IQ_RATE_MAX_SCALE);
	IqRate		expert;
	IqRate		buyer;
	IqPrice		price;
	unsigned __int128 product;
	int64_t		expected;
	char		text[IQ_CENTS_BUFLEN];
	char		reference[64];

	expert.divisor = 1;
	for (int i = 0; i < scale; i++)
		expert.divisor *= 10;
	expert.numerator = (uint64_t) take_range(in, 0, (int64_t) expert.divisor - 1);
	buyer.divisor = expert.divisor;
	buyer.numerator = (uint64_t) take_range(in, 0, (int64_t) buyer.divisor - 1);

	/* half up: the quotient, plus one when the remainder is half or more */
	product = (unsigned __int128) cents * expert.numerator;
	expected = (int64_t) (product / expert.divisor) +
		(2 * (product % expert.divisor) >= expert.divisor ? 1 : 0);
	if (iq_fee_cents(cents, &expert) != expected)
		FAIL("fee of %" PRId64 " at %" PRIu64 "/%" PRIu64 " is %" PRId64 ", expected %" PRId64,
			 cents, expert.numerator, expert.divisor, iq_fee_cents(cents, &expert), expected);

	iq_price(cents, &expert, &buyer, &price);
	if (price.expert_fee != expected ||
		price.expert_fee + price.expert_payout != cents ||
		cents + price.buyer_fee != price.buyer_total ||
		price.expert_fee > cents || price.buyer_fee > cents ||
		price.expert_payout < 0)
		FAIL("price invariants broken for %" PRId64, cents);

	/* formatting, for both signs */
	for (int sign = 1; sign >= -1; sign -= 2)
	{
		int64_t		v = sign * cents;

		iq_cents_to_text(v, text);
		snprintf(reference, sizeof(reference), "%s%" PRId64 ".%02" PRId64,
				 v < 0 ? "-" : "", cents / 100, cents % 100);
		if (strcmp(text, reference) != 0)
			FAIL("format %s, expected %s", text, reference);
	}

	/* the same amount as units of every currency's scale, as text and digits */
	for (int scale = 0; scale <= IQ_MAX_MINOR_UNITS; scale++)
		for (int sign = 1; sign >= -1; sign -= 2)
			check_units_output(sign * cents, scale);
}

/* ---- calendar ---- */

static int64_t
reference_jdn(int64_t y, int64_t m, int64_t d)
{
	int64_t		a = (m - 14) / 12;

	return (1461 * (y + 4800 + a)) / 4 + (367 * (m - 2 - 12 * a)) / 12 -
		(3 * ((y + 4900 + a) / 100)) / 4 + d - 32075;
}

static int
reference_days_in_month(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* the PostgreSQL day number of a real calendar date, or false when out of range */
static bool
reference_date(int64_t y, int m, int d, int64_t *date)
{
	/* the formula needs y + 4800 > 0; such years are out of range anyway */
	if (y < -4713 || y > 5874898)
		return false;
	*date = reference_jdn(y, m, d) - 2451545;
	return *date >= DATE_MIN && *date < DATE_END;
}

static bool
reference_add_months(IqDate date, int64_t months, int64_t *result)
{
	int			y;
	int			m;
	int			d;
	int64_t		index;
	int64_t		ny;
	int			nm;

	if (date < DATE_MIN || date >= DATE_END || months > INT64_C(200000000) ||
		months < -INT64_C(200000000))
		return false;
	iq_date_to_ymd(date, &y, &m, &d);
	index = (int64_t) y * 12 + (m - 1) + months;
	ny = index >= 0 ? index / 12 : -((-index + 11) / 12);
	nm = (int) (index - ny * 12) + 1;
	if (d > reference_days_in_month(ny, nm))
		d = reference_days_in_month(ny, nm);
	return reference_date(ny, nm, d, result);
}

static bool
reference_add_days(int64_t date, int64_t days, int64_t *result)
{
	if (date < DATE_MIN || date >= DATE_END ||
		days > INT64_C(1) << 40 || days < -(INT64_C(1) << 40))
		return false;
	*result = date + days;
	return *result >= DATE_MIN && *result < DATE_END;
}

/* a date from the input: mostly valid, sometimes extreme or infinite */
static IqDate
take_date(Input *in)
{
	switch (take(in, 1) % 8)
	{
		case 0:
			return IQ_DATE_NOBEGIN;
		case 1:
			return IQ_DATE_NOEND;
		case 2:
			return (IqDate) take_range(in, DATE_MIN, DATE_MIN + 1000);
		case 3:
			return (IqDate) take_range(in, DATE_END - 1000, DATE_END - 1);
		case 4:
			return (IqDate) take(in, 4);	/* anything at all */
		default:
			return (IqDate) take_range(in, -400000, 400000);
	}
}

static void
fuzz_calendar(Input *in)
{
	IqDate		date = take_date(in);
	int64_t		months = (int64_t) take(in, 8);
	int64_t		days = (int64_t) take(in, 8);
	int64_t		expected;
	IqDate		result;
	bool		ok;
	bool		expected_ok;
	char		text[IQ_DATE_BUFLEN];
	char		reference[IQ_DATE_BUFLEN + 16];

	/* mostly small shifts, sometimes any int64 */
	if (take(in, 1) % 4 != 0)
	{
		months %= 2000;
		days %= 800000;
	}

	if (iq_date_is_valid(date) != (date >= DATE_MIN && date < DATE_END))
		FAIL("validity of %d", date);

	if (iq_date_is_valid(date))
	{
		int			y;
		int			m;
		int			d;

		iq_date_to_ymd(date, &y, &m, &d);
		if (m < 1 || m > 12 || d < 1 || d > reference_days_in_month(y, m) ||
			!reference_date(y, m, d, &expected) || expected != date)
			FAIL("%d is %d-%d-%d", date, y, m, d);
		if (iq_ymd_to_date(y, m, d) != date)
			FAIL("%d-%d-%d does not come back to %d", y, m, d, date);

		iq_date_to_text(date, text);
		snprintf(reference, sizeof(reference), "%04d-%02d-%02d%s",
				 y > 0 ? y : 1 - y, m, d, y > 0 ? "" : " BC");
		if (strcmp(text, reference) != 0)
			FAIL("format %s, expected %s", text, reference);
	}
	else if (iq_date_is_finite(date) == (date == IQ_DATE_NOBEGIN || date == IQ_DATE_NOEND))
		FAIL("finiteness of %d", date);

	ok = iq_date_add_months(date, months, &result);
	expected_ok = reference_add_months(date, months, &expected);
	if (ok != expected_ok || (ok && result != expected))
		FAIL("%d + %" PRId64 " months", date, months);

	ok = iq_date_add_days(date, days, &result);
	expected_ok = reference_add_days(date, days, &expected);
	if (ok != expected_ok || (ok && result != expected))
		FAIL("%d + %" PRId64 " days", date, days);
}

/* ---- installment plans ---- */

static void
fuzz_generate(Input *in)
{
	int64_t		total = take_range(in, 0, IQ_MAX_CENTS);
	int			payments = (int) take_range(in, -2, IQ_MAX_PAYMENTS + 3);
	IqDate		first = take_date(in);
	IqFrequency frequency;
	bool		has_initial = take(in, 1) & 1;
	int64_t		initial = take_range(in, 0, IQ_MAX_CENTS);
	IqInstallment out[IQ_MAX_PAYMENTS];
	int64_t		dates[IQ_MAX_PAYMENTS];
	IqPlanStatus status;
	IqPlanStatus expected = IQ_PLAN_OK;

	frequency.months = (int32_t) take_range(in, -3, 200);
	frequency.days = (int32_t) take_range(in, -3, 400);
	if (take(in, 1) % 8 == 0)
	{
		frequency.months = (int32_t) take(in, 4);
		frequency.days = (int32_t) take(in, 4);
	}
	/* a small total makes the initial payment interesting */
	if (take(in, 1) & 1)
	{
		total %= 100000;
		initial %= 100000;
	}

	if (payments < 1 || payments > IQ_MAX_PAYMENTS)
		expected = IQ_PLAN_BAD_COUNT;
	else if (frequency.months < 0 || frequency.days < 0 ||
			 (frequency.months == 0 && frequency.days == 0))
		expected = IQ_PLAN_BAD_FREQUENCY;
	else if (first == IQ_DATE_NOBEGIN || first == IQ_DATE_NOEND)
		expected = IQ_PLAN_FIRST_DATE_INFINITE;
	else
	{
		for (int k = 0; k < payments && expected == IQ_PLAN_OK; k++)
		{
			int64_t		shifted;

			if (!reference_add_months(first, (int64_t) k * frequency.months, &shifted) ||
				!reference_add_days(shifted, (int64_t) k * frequency.days, &dates[k]))
				expected = IQ_PLAN_DATE_OUT_OF_RANGE;
		}
		if (expected == IQ_PLAN_OK && has_initial && initial > total)
			expected = IQ_PLAN_INITIAL_EXCEEDS_TOTAL;
		else if (expected == IQ_PLAN_OK && has_initial && payments == 1 && initial != total)
			expected = IQ_PLAN_INITIAL_NOT_TOTAL;
	}

	status = iq_plan_generate(total, payments, first, frequency, has_initial,
							  initial, out);
	if (status != expected)
		FAIL("plan status %d, expected %d", status, expected);
	if (status != IQ_PLAN_OK)
		return;

	{
		int			from = has_initial ? 1 : 0;
		int64_t		sum = 0;

		for (int k = 0; k < payments; k++)
		{
			if (out[k].invoice_date != dates[k])
				FAIL("installment %d date %d, expected %" PRId64, k + 1,
					 out[k].invoice_date, dates[k]);
			if (k > 0 && out[k].invoice_date <= out[k - 1].invoice_date)
				FAIL("installment %d is not after the one before", k + 1);
			if (out[k].units < 0)
				FAIL("installment %d is negative", k + 1);
			sum += out[k].units;
		}
		if (sum != total)
			FAIL("plan adds up to %" PRId64 ", not %" PRId64, sum, total);
		if (has_initial && out[0].units != initial)
			FAIL("initial payment %" PRId64 ", expected %" PRId64, out[0].units, initial);
		/* equal shares: never increasing, never more than a cent apart */
		for (int k = from + 1; k < payments; k++)
			if (out[k].units > out[k - 1].units || out[from].units - out[k].units > 1)
				FAIL("shares %d and %d are not equal to the cent", k, k + 1);
	}
}

#define MAX_FUZZ_POSITIONS	70

typedef struct Expected
{
	int			count;
	const char *rules[4 * MAX_FUZZ_POSITIONS + 4];
	int			installments[4 * MAX_FUZZ_POSITIONS + 4];
} Expected;

typedef struct Seen
{
	const Expected *expected;
	int			count;
} Seen;

static void
expect(Expected *e, const char *rule, int installment)
{
	e->rules[e->count] = rule;
	e->installments[e->count] = installment;
	e->count++;
}

static void
sink(void *arg, const IqViolation *violation)
{
	Seen	   *seen = arg;
	size_t		length = strnlen(violation->message, IQ_MESSAGE_LEN);

	if (seen->count >= seen->expected->count)
		FAIL("more violations than expected");
	if (strcmp(violation->rule, seen->expected->rules[seen->count]) != 0 ||
		violation->position != seen->expected->installments[seen->count])
		FAIL("violation %d is %s of %d, expected %s of %d", seen->count + 1,
			 violation->rule, violation->position,
			 seen->expected->rules[seen->count],
			 seen->expected->installments[seen->count]);
	if (length == 0 || length == IQ_MESSAGE_LEN)
		FAIL("message of violation %d is empty or unterminated", seen->count + 1);
	seen->count++;
}

static void
fuzz_validate(Input *in)
{
	IqPlanDate	dates[MAX_FUZZ_POSITIONS];
	IqListedAmount amounts[MAX_FUZZ_POSITIONS];
	IqDate		pool[4];
	int			ndates = (int) take_range(in, 0, MAX_FUZZ_POSITIONS);
	int			namounts = take(in, 1) % 4 == 0 ?
	(int) take_range(in, 0, MAX_FUZZ_POSITIONS) : ndates;
	IqPlanTotal total;
	IqTerm		term;
	static const char *const codes[] = {"USD", "JPY", "KWD", "EUR", "CLF"};
	const IqCurrency *currency = iq_currency_find(codes[take(in, 1) % 5], 3);
	bool		has_acceptance = take(in, 1) & 1;
	IqDate		acceptance = take_date(in);
	bool		show_values = take(in, 1) & 1;
	Expected	e = {0};
	Seen		seen = {&e, 0};
	IqDate		reference = 0;
	bool		has_reference;
	int			backdated = 0;

	/* dates from a small pool repeat, so duplicates are common */
	for (int i = 0; i < 4; i++)
		pool[i] = take_date(in);
	for (int i = 0; i < ndates; i++)
	{
		uint64_t	r = take(in, 1);

		dates[i].isnull = r % 16 == 0;
		dates[i].date = r & 16 ? pool[r % 4] : take_date(in);
		if (iq_date_is_finite(dates[i].date) && !iq_date_is_valid(dates[i].date))
			dates[i].date = 0;	/* the server only hands over real dates */
	}
	for (int i = 0; i < namounts; i++)
	{
		uint64_t	r = take(in, 1);

		amounts[i].isnull = r % 16 == 0;
		amounts[i].negative = r & 16;
		amounts[i].subcent = r & 32;
		amounts[i].cents = take_range(in, 0, IQ_MAX_CENTS);
		amounts[i].text = show_values ? "-0.005" : NULL;
	}
	total.matches = take(in, 1) & 1;
	total.total_units = take_range(in, 0, IQ_MAX_UNITS);
	total.sum_text = "123456789012345678901234567890.123456789";

	/* a canonical, non-empty term as iq_range_to_term makes it */
	term.lower_inf = take(in, 1) & 1;
	term.upper_inf = take(in, 1) & 1;
	term.lower = (IqDate) take_range(in, DATE_MIN, DATE_END - 2);
	term.upper = (IqDate) take_range(in, term.lower + 1, DATE_END);
	if (!iq_date_is_valid(acceptance) && iq_date_is_finite(acceptance))
		acceptance = 0;

	/* the rules, written out plainly in the documented order */
	if (ndates < 1 || ndates > IQ_MAX_PAYMENTS)
		expect(&e, IQ_RULE_PAYMENT_COUNT, 0);
	if (ndates != namounts)
		expect(&e, IQ_RULE_LENGTH_MISMATCH, 0);
	for (int i = 0; i < (ndates > namounts ? ndates : namounts); i++)
	{
		bool		date_here = i < ndates;
		bool		amount_here = i < namounts;

		if ((date_here && dates[i].isnull) || (amount_here && amounts[i].isnull))
			expect(&e, IQ_RULE_NULL_VALUE, i + 1);
		if (amount_here && !amounts[i].isnull && amounts[i].negative)
			expect(&e, IQ_RULE_NEGATIVE_AMOUNT, i + 1);
		if (amount_here && !amounts[i].isnull && amounts[i].subcent)
			expect(&e, IQ_RULE_AMOUNT_PRECISION, i + 1);
		if (!date_here || dates[i].isnull)
			continue;
		for (int j = 0; j < i; j++)
			if (!dates[j].isnull && dates[j].date == dates[i].date)
			{
				expect(&e, IQ_RULE_DUPLICATE_INVOICE_DATE, i + 1);
				break;
			}
		if (!term.upper_inf && dates[i].date >= term.upper)
			expect(&e, IQ_RULE_AFTER_CONTRACT_END, i + 1);
	}
	if (!total.matches)
		expect(&e, IQ_RULE_TOTAL_MISMATCH, 0);
	has_reference = has_acceptance || !term.lower_inf;
	if (has_reference)
		reference = has_acceptance ? acceptance : term.lower;
	for (int i = 0; i < ndates && has_reference; i++)
		if (!dates[i].isnull && dates[i].date < reference)
			backdated++;
	if (backdated > 1)
		expect(&e, IQ_RULE_BACKDATED_INVOICES, 0);

	if (iq_plan_validate(dates, ndates, amounts, namounts, &total, &term,
						 has_acceptance, acceptance, currency, show_values, sink,
						 &seen) != e.count ||
		seen.count != e.count)
		FAIL("%d violations reported, %d expected", seen.count, e.count);
}

/* ---- AMI instance-hours ---- */

static void
fuzz_instance_hours(Input *in)
{
	uint16_t	groups[12];
	IqDecimal	d;
	int64_t		micros = -1;
	int64_t		expected = -1;
	int			status;
	int			expected_status;
	int64_t		hours = take_range(in, 0, INT64_MAX);
	int64_t		running = take_range(in, 0, INT32_MAX);
	int64_t		contracted = take_range(in, 0, INT32_MAX);
	int64_t		cents;
	unsigned __int128 product;
	unsigned __int128 rounded;

	take_decimal(in, &d, groups);
	status = (int) iq_decimal_to_micros(&d, &micros);
	expected_status = reference_units(&d, IQ_PRICE_MAX_SCALE, IQ_PRICE_MAX_MICROS, &expected);
	if (status != expected_status || (status == IQ_AMOUNT_OK && micros != expected))
		FAIL("hourly price status %d (%" PRId64 "), expected %d (%" PRId64 ")",
			 status, micros, expected_status, expected);

	if (take(in, 1) & 1)
		hours %= 1000000;
	micros = take_range(in, 0, IQ_PRICE_MAX_MICROS);
	if (take(in, 1) & 1)
		micros %= 100000000;
	product = (unsigned __int128) hours * (unsigned __int128) micros;
	rounded = product / 10000 + (2 * (product % 10000) >= 10000 ? 1 : 0);
	if (iq_hours_charge_cents(hours, micros, &cents) !=
		(rounded <= (unsigned __int128) IQ_MAX_CENTS) ||
		(rounded <= (unsigned __int128) IQ_MAX_CENTS && (unsigned __int128) cents != rounded))
		FAIL("charge of %" PRId64 " hours at %" PRId64 " micros", hours, micros);

	if (iq_additional_instances(running, contracted) !=
		(running > contracted ? running - contracted : 0))
		FAIL("%" PRId64 " running over %" PRId64 " contracted", running, contracted);
}

/* ---- proposals ---- */

#define MAX_FUZZ_REQUESTS	24

static void
take_listed_amount(Input *in, IqListedAmount *amount, int64_t max_cents)
{
	uint64_t	r = take(in, 1);

	amount->isnull = r % 16 == 0;
	amount->negative = (r & 16) && (r & 64);
	amount->subcent = (r & 32) && (r & 128);
	amount->cents = take_range(in, 0, max_cents);
	amount->text = "-0.005";
}

static void
fuzz_proposal(Input *in)
{
	IqListedAmount requests[MAX_FUZZ_REQUESTS];
	int			n = (int) take_range(in, 0, MAX_FUZZ_REQUESTS);
	int64_t		price = take_range(in, 0, IQ_MAX_CENTS);
	int64_t		remaining;
	Expected	e = {0};
	Seen		seen = {&e, 0};

	if (take(in, 1) & 1)
		price %= 100000;
	for (int i = 0; i < n; i++)
		take_listed_amount(in, &requests[i], i % 2 ? price : IQ_MAX_CENTS);

	remaining = price;
	for (int i = 0; i < n; i++)
	{
		const IqListedAmount *r = &requests[i];

		if (r->isnull)
		{
			expect(&e, IQ_RULE_NULL_VALUE, i + 1);
			continue;
		}
		if (r->negative)
			expect(&e, IQ_RULE_NEGATIVE_AMOUNT, i + 1);
		if (r->subcent)
			expect(&e, IQ_RULE_AMOUNT_PRECISION, i + 1);
		if (r->negative || r->subcent)
			continue;
		if (r->cents > remaining)
			expect(&e, IQ_RULE_EXCEEDS_PROPOSAL_PRICE, i + 1);
		else
			remaining -= r->cents;
	}

	if (iq_proposal_validate(price, requests, n, sink, &seen) != e.count ||
		seen.count != e.count)
		FAIL("%d proposal violations reported, %d expected", seen.count, e.count);
}

/* ---- expert eligibility ---- */

#define MAX_FUZZ_CERTIFICATIONS	6

static IqFact
take_fact(Input *in)
{
	return (IqFact) (take(in, 1) % 3);
}

static void
fuzz_eligibility(Input *in)
{
	static const char *const levels[] = {
		"foundational", "associate", "professional", "specialty", NULL
	};
	IqCertification certifications[MAX_FUZZ_CERTIFICATIONS];
	IqExpert	expert;
	IqDate		as_of = take_date(in);
	Expected	e = {0};
	Seen		seen = {&e, 0};
	bool		counts = false;

	if (iq_date_is_finite(as_of) && !iq_date_is_valid(as_of))
		as_of = 0;
	memset(&expert, 0, sizeof(expert));
	expert.certifications_known = take(in, 1) % 8 != 0;
	expert.ncertifications = (int) take_range(in, 0, MAX_FUZZ_CERTIFICATIONS);
	expert.certifications = certifications;
	for (int i = 0; i < expert.ncertifications; i++)
	{
		IqCertification *c = &certifications[i];

		c->isnull = take(in, 1) % 8 == 0;
		c->level = levels[take(in, 1) % 5];
		c->name = take(in, 1) & 1 ? "AWS Certified Solutions Architect - Associate" : NULL;
		c->expiry_known = take(in, 1) % 8 != 0;
		/* often a day or two either side of the as-of date */
		if (take(in, 1) & 1 && iq_date_is_valid(as_of))
			c->expires_on = as_of + (IqDate) take_range(in, -2, 2);
		else
			c->expires_on = take_date(in);
		if (iq_date_is_finite(c->expires_on) && !iq_date_is_valid(c->expires_on))
			c->expires_on = 0;
	}
	expert.birth_date_known = take(in, 1) % 8 != 0;
	expert.birth_date = (IqDate) take_range(in, DATE_MIN, DATE_END - 1);
	if (take(in, 1) & 1 && iq_date_is_valid(as_of))
	{
		int64_t		near;

		/* around the 18th birthday */
		if (reference_add_months(as_of, -216, &near))
			expert.birth_date = (IqDate) (near + take_range(in, -2, 2));
		if (!iq_date_is_valid(expert.birth_date))
			expert.birth_date = 0;
	}
	expert.lives_in_us = take_fact(in);
	expert.works_for_us_company = take_fact(in);
	expert.has_us_bank_account = take_fact(in);
	expert.has_us_tin = take_fact(in);
	expert.is_amazon_employee = take_fact(in);

	/* the rules, written out plainly in the documented order */
	if (!expert.certifications_known || expert.ncertifications == 0)
		expect(&e, IQ_RULE_ACTIVE_CERTIFICATION, 0);
	else
	{
		for (int i = 0; i < expert.ncertifications; i++)
		{
			const IqCertification *c = &certifications[i];

			if (!c->isnull && c->level != NULL && strcmp(c->level, "foundational") != 0 &&
				c->expiry_known && c->expires_on >= as_of)
				counts = true;
		}
		if (!counts)
		{
			expect(&e, IQ_RULE_ACTIVE_CERTIFICATION, 0);
			for (int i = 0; i < expert.ncertifications; i++)
				expect(&e, IQ_RULE_ACTIVE_CERTIFICATION, i + 1);
		}
	}
	if (!expert.birth_date_known)
		expect(&e, IQ_RULE_MINIMUM_AGE, 0);
	else
	{
		int64_t		adult;

		if (!reference_add_months(expert.birth_date, 12 * IQ_MINIMUM_AGE, &adult))
			adult = IQ_DATE_NOEND;
		if (as_of < adult)
			expect(&e, IQ_RULE_MINIMUM_AGE, 0);
	}
	if (expert.lives_in_us != IQ_FACT_TRUE && expert.works_for_us_company != IQ_FACT_TRUE &&
		expert.has_us_bank_account != IQ_FACT_TRUE)
		expect(&e, IQ_RULE_US_PRESENCE, 0);
	if (expert.has_us_tin != IQ_FACT_TRUE)
		expect(&e, IQ_RULE_US_TIN, 0);
	if (expert.is_amazon_employee != IQ_FACT_FALSE)
		expect(&e, IQ_RULE_AMAZON_EMPLOYEE, 0);

	if (iq_eligibility_validate(&expert, as_of, sink, &seen) != e.count ||
		seen.count != e.count)
		FAIL("%d eligibility violations reported, %d expected", seen.count, e.count);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Input		in = {data, size};

	switch (take(&in, 1) % 8)
	{
		case 0:
			fuzz_decimal(&in);
			break;
		case 1:
			fuzz_fee(&in);
			break;
		case 2:
			fuzz_calendar(&in);
			break;
		case 3:
			fuzz_generate(&in);
			break;
		case 4:
			fuzz_validate(&in);
			break;
		case 5:
			fuzz_instance_hours(&in);
			break;
		case 6:
			fuzz_proposal(&in);
			break;
		case 7:
			fuzz_eligibility(&in);
			break;
	}
	return 0;
}
