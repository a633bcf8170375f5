/*
 * currency.h
 *		Currencies at the SQL boundary: an ISO 4217 code given as text, as a
 *		function argument or in an offer row, decoded into the core's
 *		currency (core/currency.h).
 */
#ifndef IQFEES_CURRENCY_H
#define IQFEES_CURRENCY_H

#include "compat.h"

#include "fmgr.h"

#include "core/currency.h"

/*
 * The currency a code names, or 22023 naming the code when it is not a
 * current ISO 4217 alphabetic code; whose follows the code in the message
 * ("" for an argument, " of offer 42").
 */
extern const IqCurrency *iq_code_to_currency(const char *code, size_t len, const char *whose);

/* The same for a text datum. */
extern const IqCurrency *iq_text_to_currency(Datum code);

/*
 * A function's currency argument at argno into *currency; false when it is
 * NULL.  A call without it (a CHECK constraint or view made before the
 * argument existed) is in US dollars.
 */
extern bool iq_currency_arg(FunctionCallInfo fcinfo, int argno, const IqCurrency **currency);

#endif							/* IQFEES_CURRENCY_H */
