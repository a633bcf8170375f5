/*
 * core/currency.h
 *		The ISO 4217 currencies and their minor units, in plain C with no
 *		server dependency.
 *
 * An amount in a currency is a whole number of its minor units: cents for
 * USD (two decimals), yen for JPY (none), fils for KWD (three).  The list
 * is fixed in the code, as the standard is, so that the functions that use
 * it stay IMMUTABLE.
 */
#ifndef IQFEES_CORE_CURRENCY_H
#define IQFEES_CORE_CURRENCY_H

#include <stddef.h>

typedef struct IqCurrency
{
	char		code[4];		/* ISO 4217 alphabetic code, NUL-terminated */
	int			minor_units;	/* decimals of an amount: 0, 2, 3 or 4 */
	const char *unit;			/* the unit, for currencies with no decimals */
} IqCurrency;

/* US dollars: AWS IQ's currency, and the default of every plan */
extern const IqCurrency iq_currency_usd;

/*
 * The currency with code[0 .. len-1], or NULL when that is not a current
 * ISO 4217 alphabetic code (lower case included: codes are upper case).
 */
extern const IqCurrency *iq_currency_find(const char *code, size_t len);

/* every known currency in code order, for tests and listings */
extern const IqCurrency *iq_currencies(int *count);

/*
 * How an amount with a digit past the currency's minor unit breaks the
 * precision rule, as the end of a message after the amount: "has more
 * than two decimal places" for USD, "has decimal places; JPY amounts are
 * whole yen", "has more than three decimal places; KWD amounts have
 * three".  Fits in IQ_PRECISION_RULE_LEN.
 */
#define IQ_PRECISION_RULE_LEN	80
extern void iq_currency_precision_rule(const IqCurrency *currency, char *buf);

#endif							/* IQFEES_CORE_CURRENCY_H */
