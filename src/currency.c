/*
 * currency.c
 *		Decoding ISO 4217 currency codes given as text.
 */
#include "compat.h"

#include "utils/builtins.h"

#include "currency.h"

const IqCurrency *
iq_code_to_currency(const char *code, size_t len, const char *whose)
{
	const IqCurrency *currency = iq_currency_find(code, len);
	char		upper[4];

	if (likely(currency != NULL))
		return currency;

	/* a code in lower case is a likely slip: say which code was meant */
	if (len == 3)
	{
		for (int i = 0; i < 3; i++)
			upper[i] = pg_ascii_toupper((unsigned char) code[i]);
		upper[3] = '\0';
		if (iq_currency_find(upper, 3) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("currency \"%s\"%s is not an ISO 4217 currency code",
							pnstrdup(code, len), whose),
					 errdetail("Currency codes are upper case."),
					 errhint("Write \"%s\".", upper)));
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("currency \"%s\"%s is not an ISO 4217 currency code",
					pnstrdup(code, len), whose),
			 errdetail("A currency is given by its ISO 4217 alphabetic code, three upper-case letters such as USD, EUR or JPY.")));
	return NULL;				/* keep compiler quiet */
}

const IqCurrency *
iq_text_to_currency(Datum code)
{
	text	   *t = DatumGetTextPP(code);

	return iq_code_to_currency(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), "");
}

bool
iq_currency_arg(FunctionCallInfo fcinfo, int argno, const IqCurrency **currency)
{
	*currency = &iq_currency_usd;
	if (PG_NARGS() <= argno)
		return true;
	if (PG_ARGISNULL(argno))
		return false;
	*currency = iq_text_to_currency(PG_GETARG_DATUM(argno));
	return true;
}
