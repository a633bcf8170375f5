/*
 * core/money.h
 *		Exact money arithmetic in integer cents, with no server dependency.
 *
 * Everything here is plain C so that it can be unit-tested and fuzzed
 * without a running PostgreSQL.  The SQL boundary (numeric in, numeric out,
 * error reporting) lives in src/money.c.
 */
#ifndef IQFEES_CORE_MONEY_H
#define IQFEES_CORE_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#ifndef __SIZEOF_INT128__
#error "iqfees needs a compiler with 128-bit integers (gcc or clang on a 64-bit platform)"
#endif

/*
 * The largest amount, in minor units of any currency: 999999999999999.99
 * US dollars, 99999999999999999 yen, 99999999999999.999 dinars.
 */
#define IQ_MAX_UNITS	INT64_C(99999999999999999)
#define IQ_MAX_CENTS	IQ_MAX_UNITS

/* the most decimals a currency's minor unit has (ISO 4217: 0, 2, 3 or 4) */
#define IQ_MAX_MINOR_UNITS	4

/* rates are kept as numerator / 10^scale; 10^18 still fits in 64 bits */
#define IQ_RATE_MAX_SCALE	18

/*
 * A decimal number in the base-10000 digit form PostgreSQL's numeric uses:
 * value = sum(digit[i] * 10000^(weight - i)).  The digits are read with
 * memcpy because a packed numeric datum stores them unaligned.
 */
typedef struct IqDecimal
{
	bool		negative;
	int			weight;
	int			ndigits;
	const unsigned char *digits;	/* ndigits native-endian uint16 values */
	int			dscale;			/* the decimals numeric shows: 2 for 10.50 */
} IqDecimal;

typedef enum IqAmountStatus
{
	IQ_AMOUNT_OK = 0,
	IQ_AMOUNT_NEGATIVE,
	IQ_AMOUNT_SUBCENT,			/* a non-zero digit past the cent (past the
								 * scale for iq_decimal_to_units) */
	IQ_AMOUNT_TOO_LARGE			/* above IQ_MAX_CENTS */
} IqAmountStatus;

typedef enum IqRateStatus
{
	IQ_RATE_OK = 0,
	IQ_RATE_OUT_OF_RANGE,		/* not 0 <= rate < 1 */
	IQ_RATE_TOO_PRECISE			/* more than IQ_RATE_MAX_SCALE decimals */
} IqRateStatus;

typedef struct IqRate
{
	uint64_t	numerator;		/* < divisor, so rate < 1 */
	uint64_t	divisor;		/* 10^scale */
} IqRate;

/* One priced payment request, all in cents. */
typedef struct IqPrice
{
	int64_t		amount;
	int64_t		expert_fee;
	int64_t		expert_payout;
	int64_t		buyer_fee;
	int64_t		buyer_total;
} IqPrice;

extern IqAmountStatus iq_decimal_to_cents(const IqDecimal *d, int64_t *cents);

/*
 * The same for units of 10^-scale (0 <= scale <= 14) and a maximum below
 * 10^18: IQ_AMOUNT_SUBCENT then means a non-zero digit past the scale.
 */
extern IqAmountStatus iq_decimal_to_units(const IqDecimal *d, int scale,
										  uint64_t max, int64_t *units);
extern IqRateStatus iq_decimal_to_rate(const IqDecimal *d, IqRate *rate);

/* "1234.50" for 123450 cents, "-0.05" for -5 */
#define IQ_CENTS_BUFLEN		24
extern void iq_cents_to_text(int64_t cents, char *buf);

/*
 * The same for units of 10^-scale, 0 <= scale <= IQ_MAX_MINOR_UNITS:
 * "142857" for 142857 yen (scale 0), "1.500" for 1500 fils (scale 3).
 */
extern void iq_units_to_text(int64_t units, int scale, char *buf);

/*
 * Cents as numeric stores the value with two decimals: its base-10000
 * digits, most significant first, with no leading or trailing zero digit,
 * written to digits (room for IQ_CENTS_MAX_DIGITS, enough for any int64).
 * Returns how many; *weight is the first one's (0 for zero, which has no
 * digits).  The sign is the sign of cents.
 */
#define IQ_CENTS_MAX_DIGITS		6
extern int	iq_cents_to_digits(int64_t cents, uint16_t *digits, int *weight);

/* the same for units of 10^-scale, 0 <= scale <= IQ_MAX_MINOR_UNITS */
extern int	iq_units_to_digits(int64_t units, int scale, uint16_t *digits, int *weight);

/*
 * cents * rate rounded half up to the cent: floor(c * n / d + 1/2), computed
 * as floor((2 c n + d) / 2d).  The common case fits in 64 bits.
 *
 * This and iq_price are inline because pricing runs once per row: a caller
 * that uses one part of the price computes only that part.
 */
static inline int64_t
iq_fee_cents(int64_t cents, const IqRate *rate)
{
	uint64_t	product;

	if (!__builtin_mul_overflow((uint64_t) cents, rate->numerator, &product) &&
		product <= (UINT64_MAX - rate->divisor) / 2)
	{
		/* rates of two decimals, the usual kind, divide by a constant */
		if (rate->divisor == 100)
			return (int64_t) ((2 * product + 100) / 200);
		return (int64_t) ((2 * product + rate->divisor) / (2 * rate->divisor));
	}

	{
		unsigned __int128 wide = (unsigned __int128) (uint64_t) cents * rate->numerator;

		return (int64_t) ((2 * wide + rate->divisor) /
						  (2 * (unsigned __int128) rate->divisor));
	}
}

/*
 * Price one payment request.  Payout and buyer total are derived from the
 * fees, so amount = fee + payout and amount + buyer fee = buyer total hold
 * by construction; rates below 1 keep every value below 2 * IQ_MAX_CENTS.
 */
static inline void
iq_price(int64_t cents, const IqRate *expert_rate, const IqRate *buyer_rate,
		 IqPrice *price)
{
	price->amount = cents;
	price->expert_fee = iq_fee_cents(cents, expert_rate);
	price->expert_payout = cents - price->expert_fee;
	price->buyer_fee = iq_fee_cents(cents, buyer_rate);
	price->buyer_total = cents + price->buyer_fee;
}

#endif							/* IQFEES_CORE_MONEY_H */
