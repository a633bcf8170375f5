/*
 * core/money.c
 *		Exact money arithmetic in integer cents.
 *
 * Amounts are int64 cents no larger than IQ_MAX_CENTS (about 2^57), rates
 * are fractions n / 10^s with s <= 18, so every product fits in 128 bits
 * and nothing is ever approximated.
 */
#include "money.h"

#include <string.h>

#define NBASE		10000

static inline unsigned
decimal_digit(const IqDecimal *d, int i)
{
	uint16_t	v;

	memcpy(&v, d->digits + (size_t) i * sizeof(uint16_t), sizeof(v));
	return v;
}

/* 10^0 .. 10^18 */
static const uint64_t powers_of_ten[] = {
	UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000),
	UINT64_C(100000), UINT64_C(1000000), UINT64_C(10000000),
	UINT64_C(100000000), UINT64_C(1000000000), UINT64_C(10000000000),
	UINT64_C(100000000000), UINT64_C(1000000000000), UINT64_C(10000000000000),
	UINT64_C(100000000000000), UINT64_C(1000000000000000),
	UINT64_C(10000000000000000), UINT64_C(100000000000000000),
	UINT64_C(1000000000000000000)
};

/*
 * A decimal as whole units of 10^-scale, at most max.  The order of the
 * checks is the order of the error messages a user sees: sign first, then
 * precision, then size.  It makes one pass over the digits, and inlined
 * with a constant scale (cents, the pricing hot path) every division is
 * by a constant.
 */
static inline IqAmountStatus
decimal_to_units(const IqDecimal *d, int scale, uint64_t max, int64_t *units)
{
	uint64_t	total = 0;
	bool		too_large = false;
	int			i;

	if (d->negative)
	{
		/* numeric has no negative zero, but do not rely on it */
		for (i = 0; i < d->ndigits; i++)
			if (decimal_digit(d, i) != 0)
				return IQ_AMOUNT_NEGATIVE;
	}

	for (i = 0; i < d->ndigits; i++)
	{
		unsigned	digit = decimal_digit(d, i);
		int			e = 4 * (d->weight - i) + scale;	/* of the digit's last
														 * place */

		if (digit == 0)
			continue;
		switch (e)
		{
			case -1:
				if (digit % 10 != 0)
					return IQ_AMOUNT_SUBCENT;
				total += digit / 10;
				break;
			case -2:
				if (digit % 100 != 0)
					return IQ_AMOUNT_SUBCENT;
				total += digit / 100;
				break;
			case -3:
				if (digit % 1000 != 0)
					return IQ_AMOUNT_SUBCENT;
				total += digit / 1000;
				break;
			default:
				if (e < 0)
					return IQ_AMOUNT_SUBCENT;
				if (e <= 14)
					total += digit * powers_of_ten[e];	/* < 10^18 per digit */
				else if (e > 18 || digit > max / powers_of_ten[e])
					too_large = true;	/* keep scanning: finer digits win */
				else
					total += digit * powers_of_ten[e];	/* <= max per digit */
				break;
		}
	}
	if (too_large || total > max)
		return IQ_AMOUNT_TOO_LARGE;
	*units = (int64_t) total;
	return IQ_AMOUNT_OK;
}

IqAmountStatus
iq_decimal_to_cents(const IqDecimal *d, int64_t *cents)
{
	return decimal_to_units(d, 2, (uint64_t) IQ_MAX_CENTS, cents);
}

/* each currency scale gets a copy with constant divisions */
IqAmountStatus
iq_decimal_to_units(const IqDecimal *d, int scale, uint64_t max, int64_t *units)
{
	switch (scale)
	{
		case 0:
			return decimal_to_units(d, 0, max, units);
		case 2:
			return decimal_to_units(d, 2, max, units);
		case 3:
			return decimal_to_units(d, 3, max, units);
		default:
			return decimal_to_units(d, scale, max, units);
	}
}

/*
 * Convert a decimal to an exact rate.  Trailing zeros do not count towards
 * the precision limit: 0.150000000000000000000 is the rate 15/100.
 */
IqRateStatus
iq_decimal_to_rate(const IqDecimal *d, IqRate *rate)
{
	/* digits of weight -1 .. -5 give 20 decimals, one group past the limit */
	unsigned __int128 num = 0;
	int			scale = 20;
	bool		nonzero = false;
	int			i;

	for (i = 0; i < d->ndigits; i++)
	{
		unsigned	digit = decimal_digit(d, i);
		int			w = d->weight - i;

		if (digit == 0)
			continue;
		nonzero = true;
		if (w >= 0)
			return IQ_RATE_OUT_OF_RANGE;
		if (w < -5)
			return d->negative ? IQ_RATE_OUT_OF_RANGE : IQ_RATE_TOO_PRECISE;
		{
			unsigned __int128 unit = 1;

			for (int k = w; k > -5; k--)
				unit *= NBASE;
			num += digit * unit;
		}
	}
	if (d->negative && nonzero)
		return IQ_RATE_OUT_OF_RANGE;

	while (scale > 0 && num % 10 == 0)
	{
		num /= 10;
		scale--;
	}
	if (scale > IQ_RATE_MAX_SCALE)
		return IQ_RATE_TOO_PRECISE;

	rate->numerator = (uint64_t) num;
	rate->divisor = 1;
	while (scale-- > 0)
		rate->divisor *= 10;
	return IQ_RATE_OK;
}

void
iq_units_to_text(int64_t units, int scale, char *buf)
{
	/* negate in unsigned arithmetic so INT64_MIN cannot overflow */
	uint64_t	magnitude = units < 0 ? 0 - (uint64_t) units : (uint64_t) units;
	char		tmp[IQ_CENTS_BUFLEN];
	int			n = 0;

	do
	{
		tmp[n++] = (char) ('0' + magnitude % 10);
		magnitude /= 10;
		if (n == scale)
			tmp[n++] = '.';
	} while (magnitude > 0 || n < scale + (scale > 0) + 1);

	if (units < 0)
		*buf++ = '-';
	while (n > 0)
		*buf++ = tmp[--n];
	*buf = '\0';
}

void
iq_cents_to_text(int64_t cents, char *buf)
{
	iq_units_to_text(cents, 2, buf);
}

/*
 * The digits are written straight to where they go, most significant
 * first: building them in a local array and copying them costs a store
 * forwarding stall when the copy reads them in wider words.  Inlined with
 * a constant scale (cents, the pricing hot path) every division is by a
 * constant.
 */
static inline int
units_to_digits(int64_t units, int scale, uint16_t *digits, int *weight)
{
	uint64_t	magnitude = units < 0 ? 0 - (uint64_t) units : (uint64_t) units;
	uint64_t	whole = magnitude / powers_of_ten[scale];

	/* the digit of weight -1 (the decimals), and one per 4 digits of whole */
	int			n = 1 + (whole > 0) + (whole >= UINT64_C(10000)) +
	(whole >= UINT64_C(100000000)) + (whole >= UINT64_C(1000000000000)) +
	(whole >= UINT64_C(10000000000000000));
	int			ndigits = n;

	digits[n - 1] = (uint16_t) (magnitude % powers_of_ten[scale] * powers_of_ten[4 - scale]);
	for (int i = n - 2; i >= 0; i--)
	{
		digits[i] = (uint16_t) (whole % NBASE);
		whole /= NBASE;
	}
	while (ndigits > 0 && digits[ndigits - 1] == 0)
		ndigits--;
	*weight = ndigits > 0 ? n - 2 : 0;
	return ndigits;
}

int
iq_cents_to_digits(int64_t cents, uint16_t *digits, int *weight)
{
	return units_to_digits(cents, 2, digits, weight);
}

int
iq_units_to_digits(int64_t units, int scale, uint16_t *digits, int *weight)
{
	switch (scale)
	{
		case 0:
			return units_to_digits(units, 0, digits, weight);
		case 2:
			return units_to_digits(units, 2, digits, weight);
		case 3:
			return units_to_digits(units, 3, digits, weight);
		default:
			return units_to_digits(units, scale, digits, weight);
	}
}
