/*
 * core/currency.c
 *		The ISO 4217 currencies and their minor units.
 *
 * The current alphabetic codes of ISO 4217's list one with the number of
 * decimals of their minor unit.  Codes whose minor unit the standard gives
 * as "N.A." (gold, special drawing rights, test codes) are no currencies
 * of amounts and are left out, as are withdrawn codes (HRK, CUC, ANG,
 * SLL, ZWL, BGN).
 */
#include "currency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sorted by code, for bsearch */
static const IqCurrency currencies[] = {
	{"AED", 2, NULL},
	{"AFN", 2, NULL},
	{"ALL", 2, NULL},
	{"AMD", 2, NULL},
	{"AOA", 2, NULL},
	{"ARS", 2, NULL},
	{"AUD", 2, NULL},
	{"AWG", 2, NULL},
	{"AZN", 2, NULL},
	{"BAM", 2, NULL},
	{"BBD", 2, NULL},
	{"BDT", 2, NULL},
	{"BHD", 3, NULL},
	{"BIF", 0, "francs"},
	{"BMD", 2, NULL},
	{"BND", 2, NULL},
	{"BOB", 2, NULL},
	{"BOV", 2, NULL},
	{"BRL", 2, NULL},
	{"BSD", 2, NULL},
	{"BTN", 2, NULL},
	{"BWP", 2, NULL},
	{"BYN", 2, NULL},
	{"BZD", 2, NULL},
	{"CAD", 2, NULL},
	{"CDF", 2, NULL},
	{"CHE", 2, NULL},
	{"CHF", 2, NULL},
	{"CHW", 2, NULL},
	{"CLF", 4, NULL},
	{"CLP", 0, "pesos"},
	{"CNY", 2, NULL},
	{"COP", 2, NULL},
	{"COU", 2, NULL},
	{"CRC", 2, NULL},
	{"CUP", 2, NULL},
	{"CVE", 2, NULL},
	{"CZK", 2, NULL},
	{"DJF", 0, "francs"},
	{"DKK", 2, NULL},
	{"DOP", 2, NULL},
	{"DZD", 2, NULL},
	{"EGP", 2, NULL},
	{"ERN", 2, NULL},
	{"ETB", 2, NULL},
	{"EUR", 2, NULL},
	{"FJD", 2, NULL},
	{"FKP", 2, NULL},
	{"GBP", 2, NULL},
	{"GEL", 2, NULL},
	{"GHS", 2, NULL},
	{"GIP", 2, NULL},
	{"GMD", 2, NULL},
	{"GNF", 0, "francs"},
	{"GTQ", 2, NULL},
	{"GYD", 2, NULL},
	{"HKD", 2, NULL},
	{"HNL", 2, NULL},
	{"HTG", 2, NULL},
	{"HUF", 2, NULL},
	{"IDR", 2, NULL},
	{"ILS", 2, NULL},
	{"INR", 2, NULL},
	{"IQD", 3, NULL},
	{"IRR", 2, NULL},
	{"ISK", 0, "kronur"},
	{"JMD", 2, NULL},
	{"JOD", 3, NULL},
	{"JPY", 0, "yen"},
	{"KES", 2, NULL},
	{"KGS", 2, NULL},
	{"KHR", 2, NULL},
	{"KMF", 0, "francs"},
	{"KPW", 2, NULL},
	{"KRW", 0, "won"},
	{"KWD", 3, NULL},
	{"KYD", 2, NULL},
	{"KZT", 2, NULL},
	{"LAK", 2, NULL},
	{"LBP", 2, NULL},
	{"LKR", 2, NULL},
	{"LRD", 2, NULL},
	{"LSL", 2, NULL},
	{"LYD", 3, NULL},
	{"MAD", 2, NULL},
	{"MDL", 2, NULL},
	{"MGA", 2, NULL},
	{"MKD", 2, NULL},
	{"MMK", 2, NULL},
	{"MNT", 2, NULL},
	{"MOP", 2, NULL},
	{"MRU", 2, NULL},
	{"MUR", 2, NULL},
	{"MVR", 2, NULL},
	{"MWK", 2, NULL},
	{"MXN", 2, NULL},
	{"MXV", 2, NULL},
	{"MYR", 2, NULL},
	{"MZN", 2, NULL},
	{"NAD", 2, NULL},
	{"NGN", 2, NULL},
	{"NIO", 2, NULL},
	{"NOK", 2, NULL},
	{"NPR", 2, NULL},
	{"NZD", 2, NULL},
	{"OMR", 3, NULL},
	{"PAB", 2, NULL},
	{"PEN", 2, NULL},
	{"PGK", 2, NULL},
	{"PHP", 2, NULL},
	{"PKR", 2, NULL},
	{"PLN", 2, NULL},
	{"PYG", 0, "guarani"},
	{"QAR", 2, NULL},
	{"RON", 2, NULL},
	{"RSD", 2, NULL},
	{"RUB", 2, NULL},
	{"RWF", 0, "francs"},
	{"SAR", 2, NULL},
	{"SBD", 2, NULL},
	{"SCR", 2, NULL},
	{"SDG", 2, NULL},
	{"SEK", 2, NULL},
	{"SGD", 2, NULL},
	{"SHP", 2, NULL},
	{"SLE", 2, NULL},
	{"SOS", 2, NULL},
	{"SRD", 2, NULL},
	{"SSP", 2, NULL},
	{"STN", 2, NULL},
	{"SVC", 2, NULL},
	{"SYP", 2, NULL},
	{"SZL", 2, NULL},
	{"THB", 2, NULL},
	{"TJS", 2, NULL},
	{"TMT", 2, NULL},
	{"TND", 3, NULL},
	{"TOP", 2, NULL},
	{"TRY", 2, NULL},
	{"TTD", 2, NULL},
	{"TWD", 2, NULL},
	{"TZS", 2, NULL},
	{"UAH", 2, NULL},
	{"UGX", 0, "shillings"},
	{"USD", 2, NULL},
	{"USN", 2, NULL},
	{"UYI", 0, "units"},
	{"UYU", 2, NULL},
	{"UYW", 4, NULL},
	{"UZS", 2, NULL},
	{"VED", 2, NULL},
	{"VES", 2, NULL},
	{"VND", 0, "dong"},
	{"VUV", 0, "vatu"},
	{"WST", 2, NULL},
	{"XAF", 0, "francs"},
	{"XCD", 2, NULL},
	{"XCG", 2, NULL},
	{"XOF", 0, "francs"},
	{"XPF", 0, "francs"},
	{"YER", 2, NULL},
	{"ZAR", 2, NULL},
	{"ZMW", 2, NULL},
	{"ZWG", 2, NULL},
};

const IqCurrency iq_currency_usd = {"USD", 2, NULL};

static int
compare_code(const void *key, const void *element)
{
	return strcmp((const char *) key, ((const IqCurrency *) element)->code);
}

const IqCurrency *
iq_currency_find(const char *code, size_t len)
{
	/* most calls name the currency the call before did */
	static const IqCurrency *last = &iq_currency_usd;
	const IqCurrency *found;
	char		key[4];

	if (len != 3)
		return NULL;
	if (memcmp(last->code, code, 3) == 0)
		return last;
	memcpy(key, code, 3);
	key[3] = '\0';
	found = bsearch(key, currencies, sizeof(currencies) / sizeof(currencies[0]),
					sizeof(currencies[0]), compare_code);
	if (found != NULL)
		last = found;
	return found;
}

const IqCurrency *
iq_currencies(int *count)
{
	*count = (int) (sizeof(currencies) / sizeof(currencies[0]));
	return currencies;
}

void
iq_currency_precision_rule(const IqCurrency *currency, char *buf)
{
	static const char *const decimals[] = {"no", "one", "two", "three", "four"};

	if (currency->minor_units == 0)
		snprintf(buf, IQ_PRECISION_RULE_LEN, "has decimal places; %s amounts are whole %s",
				 currency->code, currency->unit);
	else if (strcmp(currency->code, iq_currency_usd.code) == 0)
		snprintf(buf, IQ_PRECISION_RULE_LEN, "has more than %s decimal places",
				 decimals[currency->minor_units]);
	else
		snprintf(buf, IQ_PRECISION_RULE_LEN, "has more than %s decimal places; %s amounts have %s",
				 decimals[currency->minor_units], currency->code,
				 decimals[currency->minor_units]);
}
