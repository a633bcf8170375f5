/*
 * instance_hours.c
 *		Additional instance-hours of AMI offers and their exact price.
 */
#include "instance_hours.h"

#include <string.h>

#define NBASE			10000
#define MICROS_PER_CENT	10000

IqPriceStatus
iq_decimal_to_micros(const IqDecimal *d, int64_t *micros)
{
	uint64_t	total = 0;
	bool		too_large = false;

	for (int i = 0; i < d->ndigits; i++)
	{
		uint16_t	digit;
		int			w = d->weight - i;

		memcpy(&digit, d->digits + (size_t) i * sizeof(uint16_t), sizeof(digit));
		if (digit == 0)
			continue;
		if (d->negative)
			return IQ_PRICE_NEGATIVE;
		/* weight -2 holds decimals 5 to 8: only 5 and 6 may be set */
		if (w < -2 || (w == -2 && digit % 100 != 0))
			return IQ_PRICE_TOO_PRECISE;
		if (w > 2)
			too_large = true;	/* keep scanning: finer digits win */
		else if (w == -2)
			total += digit / 100;
		else
		{
			uint64_t	unit = 100;	/* micros per 10000^-1 */

			for (int k = -1; k < w; k++)
				unit *= NBASE;
			total += digit * unit;	/* <= 9999 * 10^14 per digit */
		}
	}
	if (too_large || total > (uint64_t) IQ_PRICE_MAX_MICROS)
		return IQ_PRICE_TOO_LARGE;
	*micros = (int64_t) total;
	return IQ_PRICE_OK;
}

int64_t
iq_additional_instances(int64_t running, int64_t contracted)
{
	return running > contracted ? running - contracted : 0;
}

bool
iq_hours_charge_cents(int64_t hours, int64_t micros, int64_t *cents)
{
	unsigned __int128 product = (unsigned __int128) (uint64_t) hours * (uint64_t) micros;
	unsigned __int128 rounded = (product + MICROS_PER_CENT / 2) / MICROS_PER_CENT;

	if (rounded > (unsigned __int128) IQ_MAX_CENTS)
		return false;
	*cents = (int64_t) rounded;
	return true;
}
