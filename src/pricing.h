/*
 * pricing.h
 *		Pricing one payment request against the fee schedule, shared by the
 *		pricing functions and the pricing trigger.
 */
#ifndef IQFEES_PRICING_H
#define IQFEES_PRICING_H

#include "fee_schedule.h"

/* Price amount (numeric) approved on a date; errors name what is wrong. */
extern const IqFeeRow *iq_price_request(IqFeeSchedule *schedule, Datum amount,
										DateADT approved_on, IqPrice *price);

#endif							/* IQFEES_PRICING_H */
