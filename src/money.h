/*
 * money.h
 *		The SQL boundary of the money core: numeric in, cents or rates out,
 *		numeric with two decimals back, and the errors for bad values.
 */
#ifndef IQFEES_MONEY_H
#define IQFEES_MONEY_H

#include "compat.h"

#include "core/currency.h"
#include "core/money.h"

/*
 * Decode a numeric datum into the core's decimal form.  Returns false for
 * NaN and the infinities, which the core has no notion of.
 */
extern bool iq_numeric_to_decimal(Datum value, IqDecimal *decimal);

/* Cents of an amount, or an error naming what and the value. */
extern int64 iq_numeric_to_cents(Datum amount, const char *what);

/*
 * Minor units of an amount in currency (yen for JPY, fils for KWD), or an
 * error naming what, the value and the currency's rule.
 */
extern int64 iq_numeric_to_units(Datum amount, const IqCurrency *currency, const char *what);

/*
 * The same for element position of a list, named "<subject> <position>
 * amount" in the error; the name is only formatted for an error.
 */
extern int64 iq_numeric_element_to_units(Datum amount, const IqCurrency *currency,
										 const char *subject, int position);

/* An exact rate, or an error naming what and the value. */
extern void iq_numeric_to_rate(Datum rate, const char *what, IqRate *result);

/* cents, 128-bit, as a numeric with exactly two decimals */
extern Datum iq_int128_cents_to_numeric(int128 cents);

/* cents as a numeric with exactly two decimals */
extern Datum iq_cents_to_numeric(int64 cents);

/* units of 10^-scale as a numeric with exactly scale decimals */
extern Datum iq_units_to_numeric(int64 units, int scale);

/* the detail of the error for an amount too large to hold in currency */
extern char *iq_too_large_detail(const IqCurrency *currency);

/* numeric_out, for messages */
extern char *iq_numeric_to_text(Datum value);

#endif							/* IQFEES_MONEY_H */
