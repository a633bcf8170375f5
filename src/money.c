/*
 * money.c
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

/* the rule for amounts: no non-zero digit past the second decimal place */
static inline bool
digit_is_subcent(unsigned digit, int weight)
{
	return digit != 0 && (weight < -1 || (weight == -1 && digit % 100 != 0));
}

/*
 * Convert a decimal to whole cents.  The order of the checks is the order of
 * the error messages a user sees: sign first, then precision, then size.
 * This is the pricing hot path, so it makes one pass over the digits.
 */
IqAmountStatus
iq_decimal_to_cents(const IqDecimal *d, int64_t *cents)
{
	/* cents in one unit of the digits of weight 0 .. 3 */
	static const uint64_t cents_per_unit[] = {
		UINT64_C(100), UINT64_C(1000000), UINT64_C(10000000000),
		UINT64_C(100000000000000)
	};
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
		int			w = d->weight - i;

		if (digit == 0)
			continue;
		if (digit_is_subcent(digit, w))
			return IQ_AMOUNT_SUBCENT;
		if (w > 3)
			too_large = true;	/* keep scanning: sub-cent digits win */
		else if (w == -1)
			total += digit / 100;
		else
			total += digit * cents_per_unit[w];	/* <= 9999 * 10^14 per digit */
	}
	if (too_large || total > (uint64_t) IQ_MAX_CENTS)
		return IQ_AMOUNT_TOO_LARGE;
	*cents = (int64_t) total;
	return IQ_AMOUNT_OK;
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
iq_cents_format(int64_t cents, char *buf)
{
	/* negate in unsigned arithmetic so INT64_MIN cannot overflow */
	uint64_t	magnitude = cents < 0 ? 0 - (uint64_t) cents : (uint64_t) cents;
	char		tmp[IQ_CENTS_BUFLEN];
	int			n = 0;

	do
	{
		tmp[n++] = (char) ('0' + magnitude % 10);
		magnitude /= 10;
		if (n == 2)
			tmp[n++] = '.';
	} while (magnitude > 0 || n < 4);

	if (cents < 0)
		*buf++ = '-';
	while (n > 0)
		*buf++ = tmp[--n];
	*buf = '\0';
}

/*
 * The digits are written straight to where they go, most significant
 * first: building them in a local array and copying them costs a store
 * forwarding stall when the copy reads them in wider words.
 */
int
iq_cents_digits(int64_t cents, uint16_t *digits, int *weight)
{
	uint64_t	magnitude = cents < 0 ? 0 - (uint64_t) cents : (uint64_t) cents;
	uint64_t	whole = magnitude / 100;
	/* the digit of weight -1 (the cents), and one per 4 digits of whole */
	int			n = 1 + (whole > 0) + (whole >= UINT64_C(10000)) +
		(whole >= UINT64_C(100000000)) + (whole >= UINT64_C(1000000000000)) +
		(whole >= UINT64_C(10000000000000000));
	int			ndigits = n;

	digits[n - 1] = (uint16_t) (magnitude % 100 * 100);
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
