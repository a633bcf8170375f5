/*
 * core/instance_hours.h
 *		AMI offers with a custom duration: the additional instance-hours of
 *		a usage period and their price, in plain C with no server dependency.
 *
 * The offer fixes a number of instances per instance type; every instance
 * running beyond it is billed at the offer's hourly price.  Hourly prices
 * are often finer than a cent (0.125), so they are kept exactly in
 * millionths of a dollar, and a period's charge is rounded half up to the
 * cent once, not hour by hour.
 */
#ifndef IQFEES_CORE_INSTANCE_HOURS_H
#define IQFEES_CORE_INSTANCE_HOURS_H

#include "money.h"

/* hourly prices: at most 6 decimal places, below 10^12 dollars */
#define IQ_PRICE_MAX_SCALE	6
#define IQ_PRICE_MAX_MICROS	INT64_C(999999999999999999)

/*
 * An hourly price in millionths of a dollar; sign, then precision, then
 * size.  IQ_AMOUNT_SUBCENT here means a digit past the sixth decimal.
 */
extern IqAmountStatus iq_decimal_to_micros(const IqDecimal *d, int64_t *micros);

/* Instances running in an hour beyond the contracted count; both >= 0. */
extern int64_t iq_additional_instances(int64_t running, int64_t contracted);

/*
 * hours * hourly price, rounded half up to the cent: false when the charge
 * is above IQ_MAX_CENTS.  hours >= 0; the product of two int64 values
 * always fits in 128 bits.
 */
extern bool iq_hours_charge_cents(int64_t hours, int64_t micros, int64_t *cents);

#endif							/* IQFEES_CORE_INSTANCE_HOURS_H */
