/*
 * money.h
 *		The SQL boundary of the money core: numeric in, cents or rates out,
 *		numeric with two decimals back, and the errors for bad values.
 */
#ifndef IQFEES_MONEY_H
#define IQFEES_MONEY_H

#include "compat.h"

#include "core/money.h"

/*
 * Decode a numeric datum into the core's decimal form.  Returns false for
 * NaN and the infinities, which the core has no notion of.
 */
extern bool iq_numeric_to_decimal(Datum value, IqDecimal *decimal);

/* Cents of an amount, or an error naming what and the value. */
extern int64 iq_numeric_to_cents(Datum amount, const char *what);

/*
 * The same for element position of a list, named "<subject> <position>
 * amount" in the error; the name is only formatted for an error.
 */
extern int64 iq_numeric_element_to_cents(Datum amount, const char *subject, int position);

/* An exact rate, or an error naming what and the value. */
extern void iq_numeric_to_rate(Datum rate, const char *what, IqRate *result);

/* cents, 128-bit, as a numeric with exactly two decimals */
extern Datum iq_int128_cents_to_numeric(int128 cents);

/* cents as a numeric with exactly two decimals */
extern Datum iq_cents_to_numeric(int64 cents);

/* numeric_out, for messages */
extern char *iq_numeric_to_text(Datum value);

#endif							/* IQFEES_MONEY_H */
