/*
 * numeric_money.c
 *		Converting between numeric and the money core's cents and rates.
 */
#include "compat.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "numeric_money.h"

/*
 * numeric's stored header, as laid out in src/backend/utils/adt/numeric.c.
 * pg_upgrade carries numeric values over unchanged, so this layout is fixed;
 * reading it directly spares a detoast copy and a numeric multiplication
 * for every amount priced.
 */
#define NUMERIC_FLAG_MASK			0xC000
#define NUMERIC_LONG_POS			0x0000
#define NUMERIC_LONG_NEG			0x4000
#define NUMERIC_SHORT_FORM			0x8000
#define NUMERIC_SHORT_NEG			0x2000
#define NUMERIC_SHORT_WEIGHT_NEG	0x0040
#define NUMERIC_SHORT_WEIGHT_BITS	0x003F

bool
iq_numeric_decimal(Datum value, IqDecimal *decimal)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(value);
	const unsigned char *data = (const unsigned char *) VARDATA_ANY(v);
	Size		len = VARSIZE_ANY_EXHDR(v);
	uint16		header;

	memcpy(&header, data, sizeof(header));
	switch (header & NUMERIC_FLAG_MASK)
	{
		case NUMERIC_SHORT_FORM:
			decimal->negative = (header & NUMERIC_SHORT_NEG) != 0;
			decimal->weight = (header & NUMERIC_SHORT_WEIGHT_BITS) -
				((header & NUMERIC_SHORT_WEIGHT_NEG) ? 64 : 0);
			decimal->digits = data + sizeof(uint16);
			decimal->ndigits = (len - sizeof(uint16)) / sizeof(uint16);
			return true;
		case NUMERIC_LONG_POS:
		case NUMERIC_LONG_NEG:
			{
				int16		weight;

				memcpy(&weight, data + sizeof(uint16), sizeof(weight));
				decimal->negative = (header & NUMERIC_FLAG_MASK) == NUMERIC_LONG_NEG;
				decimal->weight = weight;
				decimal->digits = data + 2 * sizeof(uint16);
				decimal->ndigits = (len - 2 * sizeof(uint16)) / sizeof(uint16);
				return true;
			}
		default:
			return false;		/* NaN, Infinity, -Infinity */
	}
}

char *
iq_numeric_text(Datum value)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, value));
}

int64
iq_amount_cents(Datum amount, const char *what)
{
	IqDecimal	decimal;
	int64_t		cents;

	if (!iq_numeric_decimal(amount, &decimal))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s is not a finite number", what, iq_numeric_text(amount)),
				 errdetail("Amounts are US dollars: zero or more, with at most two decimal places.")));

	switch (iq_decimal_to_cents(&decimal, &cents))
	{
		case IQ_AMOUNT_OK:
			break;
		case IQ_AMOUNT_NEGATIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s %s is negative", what, iq_numeric_text(amount)),
					 errdetail("Amounts are US dollars: zero or more, with at most two decimal places.")));
			break;
		case IQ_AMOUNT_SUBCENT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s %s has more than two decimal places", what, iq_numeric_text(amount)),
					 errdetail("Amounts are exact to the cent; iqfees never rounds an amount it is given."),
					 errhint("Round the value to the cent first if that is what you mean, for example with round(value, 2).")));
			break;
		case IQ_AMOUNT_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s %s is too large", what, iq_numeric_text(amount)),
					 errdetail("The largest amount iqfees prices exactly is 999999999999999.99.")));
			break;
	}
	return cents;
}

void
iq_rate_from_numeric(Datum rate, const char *what, IqRate *result)
{
	IqDecimal	decimal;
	IqRateStatus status = IQ_RATE_OUT_OF_RANGE;

	if (iq_numeric_decimal(rate, &decimal))
		status = iq_decimal_to_rate(&decimal, result);

	if (status == IQ_RATE_OUT_OF_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s is out of range", what, iq_numeric_text(rate)),
				 errdetail("A rate must be at least 0 and less than 1.")));
	if (status == IQ_RATE_TOO_PRECISE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s has more than %d decimal places", what,
						iq_numeric_text(rate), IQ_RATE_MAX_SCALE),
				 errdetail("Rates are kept exactly, with at most %d significant decimal places.",
						   IQ_RATE_MAX_SCALE)));
}

Datum
iq_cents_numeric(int64 cents)
{
	return NumericGetDatum(int64_div_fast_to_numeric(cents, 2));
}
