/*
 * core/instance_hours.c
 *		Additional instance-hours of AMI offers and their exact price.
 */
#include "instance_hours.h"

#define MICROS_PER_CENT	10000

IqAmountStatus
iq_decimal_to_micros(const IqDecimal *d, int64_t *micros)
{
	return iq_decimal_to_units(d, IQ_PRICE_MAX_SCALE, IQ_PRICE_MAX_MICROS, micros);
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
