/*
 * money.c
 *		Converting between numeric and the money core's cents and rates.
 */
#include "compat.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "currency.h"
#include "money.h"

/*
 * numeric's stored form, as laid out in src/backend/utils/adt/numeric.c.
 * pg_upgrade carries numeric values over unchanged, so this layout is
 * fixed.  Amounts and results take the short form (a one-word header with
 * sign, display scale and weight); reading and writing it directly spares
 * the working copies and the numeric arithmetic the public functions cost
 * for every amount priced.  Every other form is read through numeric_send.
 */
#define NUMERIC_FLAG_MASK			0xC000
#define NUMERIC_SHORT_FORM			0x8000
#define NUMERIC_SHORT_NEG			0x2000
#define NUMERIC_SHORT_DSCALE_MASK	0x1F80
#define NUMERIC_SHORT_DSCALE_SHIFT	7
#define NUMERIC_SHORT_WEIGHT_NEG	0x0040
#define NUMERIC_SHORT_WEIGHT_BITS	0x003F

/* the sign word of numeric_send's binary format */
#define NUMERIC_SEND_POS			0x0000
#define NUMERIC_SEND_NEG			0x4000

/*
 * The long form (values beyond 10^252 or with more than 63 decimals) and
 * the special values, through numeric's binary send format: ndigits,
 * weight, sign, dscale, then the digits, all 16-bit big-endian.
 */
static bool
decimal_from_send(Datum value, IqDecimal *decimal)
{
	bytea	   *wire = DatumGetByteaPP(DirectFunctionCall1(numeric_send, value));
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(wire);
	uint16		word[4];
	uint16	   *digits;

	for (int i = 0; i < 4; i++)
		word[i] = (uint16) (p[2 * i] << 8 | p[2 * i + 1]);
	if (word[2] != NUMERIC_SEND_POS && word[2] != NUMERIC_SEND_NEG)
		return false;			/* NaN, Infinity, -Infinity */

	digits = palloc(sizeof(uint16) * Max(word[0], 1));
	for (int i = 0; i < word[0]; i++)
		digits[i] = (uint16) (p[8 + 2 * i] << 8 | p[8 + 2 * i + 1]);
	decimal->negative = word[2] == NUMERIC_SEND_NEG;
	decimal->weight = (int16) word[1];
	decimal->ndigits = word[0];
	decimal->digits = (const unsigned char *) digits;
	decimal->dscale = word[3];
	return true;
}

bool
iq_numeric_to_decimal(Datum value, IqDecimal *decimal)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(value);
	const unsigned char *data;
	uint16		header;

	/* a value read from a page keeps its packed 1-byte header, uncopied */
	if (VARATT_IS_COMPRESSED(v) || VARATT_IS_EXTERNAL(v))
		v = pg_detoast_datum_packed(v);
	data = (const unsigned char *) VARDATA_ANY(v);
	memcpy(&header, data, sizeof(header));
	if ((header & NUMERIC_FLAG_MASK) != NUMERIC_SHORT_FORM)
		return decimal_from_send(PointerGetDatum(v), decimal);

	decimal->negative = (header & NUMERIC_SHORT_NEG) != 0;
	decimal->weight = (header & NUMERIC_SHORT_WEIGHT_BITS) -
		((header & NUMERIC_SHORT_WEIGHT_NEG) ? 64 : 0);
	decimal->digits = data + sizeof(uint16);
	decimal->ndigits = (VARSIZE_ANY_EXHDR(v) - sizeof(uint16)) / sizeof(uint16);
	decimal->dscale = (header & NUMERIC_SHORT_DSCALE_MASK) >> NUMERIC_SHORT_DSCALE_SHIFT;
	return true;
}

char *
iq_numeric_to_text(Datum value)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, value));
}

/*
 * What is wrong with an amount in a currency: the error
 * iq_numeric_to_units raises for it, which iq_amount_problem returns as
 * text.  status is what decoding said; finite is false for NaN and the
 * infinities.
 */
typedef struct AmountProblem
{
	int			sqlerrcode;
	char	   *message;
	const char *detail;
	const char *hint;
} AmountProblem;

static void
describe_amount_problem(Datum amount, const char *what, const IqCurrency *currency,
						bool finite, IqAmountStatus status, AmountProblem *problem)
{
	char	   *text = iq_numeric_to_text(amount);
	bool		usd = strcmp(currency->code, iq_currency_usd.code) == 0;

	problem->sqlerrcode = ERRCODE_INVALID_PARAMETER_VALUE;
	problem->detail = usd ?
		"Amounts are US dollars: zero or more, with at most two decimal places." :
		currency->minor_units == 0 ?
		psprintf("Amounts in %s are whole %s, zero or more.", currency->code, currency->unit) :
		psprintf("Amounts in %s are zero or more, with at most %d decimal places.",
				 currency->code, currency->minor_units);
	problem->hint = NULL;
	if (!finite)
		problem->message = psprintf("%s %s is not a finite number", what, text);
	else if (status == IQ_AMOUNT_NEGATIVE)
		problem->message = psprintf("%s %s is negative", what, text);
	else if (status == IQ_AMOUNT_SUBCENT)
	{
		char		rule[IQ_PRECISION_RULE_LEN];

		iq_currency_precision_rule(currency, rule);
		problem->message = psprintf("%s %s %s", what, text, rule);
		problem->detail = usd ?
			"Amounts are exact to the cent; iqfees never rounds an amount it is given." :
			psprintf("Amounts are exact to the minor unit of %s; iqfees never rounds an amount it is given.",
					 currency->code);
		problem->hint = usd ?
			"Round the value to the cent first if that is what you mean, for example with round(value, 2)." :
			currency->minor_units == 0 ?
			psprintf("Round the value to whole %s first if that is what you mean, for example with round(value).",
					 currency->unit) :
			psprintf("Round the value to %d decimal places first if that is what you mean, for example with round(value, %d).",
					 currency->minor_units, currency->minor_units);
	}
	else
	{
		Assert(status == IQ_AMOUNT_TOO_LARGE);
		problem->sqlerrcode = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
		problem->message = psprintf("%s %s is too large", what, text);
		problem->detail = iq_too_large_detail(currency);
	}
}

char *
iq_too_large_detail(const IqCurrency *currency)
{
	char		max[IQ_CENTS_BUFLEN];

	iq_units_to_text(IQ_MAX_UNITS, currency->minor_units, max);
	if (strcmp(currency->code, iq_currency_usd.code) == 0)
		return psprintf("The largest amount iqfees handles exactly is %s.", max);
	return psprintf("The largest amount in %s iqfees handles exactly is %s.", currency->code, max);
}

/*
 * Minor units of an amount, or false with status filled in (finite: not
 * NaN).  Inlined with the constant scale of cents on the pricing path.
 */
static inline bool
numeric_to_units(Datum amount, int scale, int64_t *units, bool *finite,
				 IqAmountStatus *status)
{
	IqDecimal	decimal;

	*finite = iq_numeric_to_decimal(amount, &decimal);
	if (!*finite)
		return false;
	*status = iq_decimal_to_units(&decimal, scale, (uint64_t) IQ_MAX_UNITS, units);
	return *status == IQ_AMOUNT_OK;
}

static pg_noinline void
amount_error(Datum amount, const char *what, const IqCurrency *currency, bool finite,
			 IqAmountStatus status)
{
	AmountProblem problem;

	describe_amount_problem(amount, what, currency, finite, status, &problem);
	ereport(ERROR,
			(errcode(problem.sqlerrcode),
			 errmsg_internal("%s", problem.message),
			 errdetail_internal("%s", problem.detail),
			 problem.hint ? errhint("%s", problem.hint) : 0));
}

int64
iq_numeric_to_cents(Datum amount, const char *what)
{
	int64_t		cents;
	bool		finite;
	IqAmountStatus status = IQ_AMOUNT_OK;

	if (likely(numeric_to_units(amount, 2, &cents, &finite, &status)))
		return cents;
	amount_error(amount, what, &iq_currency_usd, finite, status);
	return 0;					/* keep compiler quiet */
}

int64
iq_numeric_to_units(Datum amount, const IqCurrency *currency, const char *what)
{
	int64_t		units;
	bool		finite;
	IqAmountStatus status = IQ_AMOUNT_OK;

	if (likely(numeric_to_units(amount, currency->minor_units, &units, &finite, &status)))
		return units;
	amount_error(amount, what, currency, finite, status);
	return 0;					/* keep compiler quiet */
}

int64
iq_numeric_element_to_units(Datum amount, const IqCurrency *currency,
							const char *subject, int position)
{
	int64_t		units;
	bool		finite;
	IqAmountStatus status = IQ_AMOUNT_OK;

	if (likely(numeric_to_units(amount, currency->minor_units, &units, &finite, &status)))
		return units;
	amount_error(amount, psprintf("%s %d amount", subject, position), currency, finite, status);
	return 0;					/* keep compiler quiet */
}

/*
 * iq_amount_problem(amount [, currency]): NULL for a valid amount, else its
 * error message.  The one-argument form is US dollars, as pricing is.
 */
PG_FUNCTION_INFO_V1(iq_amount_problem);
Datum
iq_amount_problem(PG_FUNCTION_ARGS)
{
	const IqCurrency *currency = PG_NARGS() > 1 ?
	iq_text_to_currency(PG_GETARG_DATUM(1)) : &iq_currency_usd;
	int64_t		units;
	bool		finite;
	IqAmountStatus status = IQ_AMOUNT_OK;
	AmountProblem problem;

	if (numeric_to_units(PG_GETARG_DATUM(0), currency->minor_units, &units, &finite, &status))
		PG_RETURN_NULL();
	describe_amount_problem(PG_GETARG_DATUM(0), "amount", currency, finite, status, &problem);
	PG_RETURN_TEXT_P(cstring_to_text(problem.message));
}

void
iq_numeric_to_rate(Datum rate, const char *what, IqRate *result)
{
	IqDecimal	decimal;
	IqRateStatus status = IQ_RATE_OUT_OF_RANGE;

	if (iq_numeric_to_decimal(rate, &decimal))
		status = iq_decimal_to_rate(&decimal, result);

	if (status == IQ_RATE_OUT_OF_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s is out of range", what, iq_numeric_to_text(rate)),
				 errdetail("A rate must be at least 0 and less than 1.")));
	if (status == IQ_RATE_TOO_PRECISE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s has more than %d decimal places", what,
						iq_numeric_to_text(rate), IQ_RATE_MAX_SCALE),
				 errdetail("Rates are kept exactly, with at most %d significant decimal places.",
						   IQ_RATE_MAX_SCALE)));
}

/*
 * The short form, byte for byte as numeric's own functions make it: every
 * int64 of minor units has a weight from -1 to 4 and display scale the
 * currency's decimals.  Inlined with the constant scale of cents on the
 * pricing path.
 */
static inline Datum
units_to_numeric(int64 units, int scale)
{
	/* a palloc'd varlena's data is aligned for 16-bit words */
	char	   *result = palloc(VARHDRSZ + sizeof(uint16) * (1 + IQ_CENTS_MAX_DIGITS));
	uint16	   *words = (uint16 *) VARDATA(result);
	int			weight;
	int			ndigits = scale == 2 ? iq_cents_to_digits(units, words + 1, &weight) :
	iq_units_to_digits(units, scale, words + 1, &weight);

	Assert(ndigits <= IQ_CENTS_MAX_DIGITS && weight >= -1 && weight <= 4);

	SET_VARSIZE(result, VARHDRSZ + sizeof(uint16) * (1 + ndigits));
	words[0] = NUMERIC_SHORT_FORM |
		(units < 0 && ndigits > 0 ? NUMERIC_SHORT_NEG : 0) |
		(scale << NUMERIC_SHORT_DSCALE_SHIFT) |
		(weight < 0 ? NUMERIC_SHORT_WEIGHT_NEG : 0) |
		(weight & NUMERIC_SHORT_WEIGHT_BITS);
	return PointerGetDatum(result);
}

Datum
iq_cents_to_numeric(int64 cents)
{
	return units_to_numeric(cents, 2);
}

Datum
iq_units_to_numeric(int64 units, int scale)
{
	Assert(scale >= 0 && scale <= IQ_MAX_MINOR_UNITS);
	return units_to_numeric(units, scale);
}

/*
 * 128-bit cents as numeric with two decimals, for sums past int64: high *
 * 10^18 + low cents.
 */
Datum
iq_int128_cents_to_numeric(int128 cents)
{
	const int64 ten_to_18 = INT64CONST(1000000000000000000);
	Datum		high;

	if (cents <= PG_INT64_MAX && cents >= PG_INT64_MIN)
		return iq_cents_to_numeric((int64) cents);
	/* high * 10^18 cents is high * 10^16 dollars */
	high = DirectFunctionCall2(numeric_mul,
							   NumericGetDatum(int64_to_numeric((int64) (cents / ten_to_18))),
							   NumericGetDatum(int64_to_numeric(ten_to_18 / 100)));
	return DirectFunctionCall2(numeric_add, high,
							   iq_cents_to_numeric((int64) (cents % ten_to_18)));
}
