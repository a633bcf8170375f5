/*
 * calendar.c
 *		Dates at the SQL boundary of core/calendar.c.
 */
#include "compat.h"

#include "calendar.h"

char *
iq_date_to_cstring(DateADT date)
{
	char	   *text = palloc(IQ_DATE_BUFLEN);

	StaticAssertStmt(sizeof(DateADT) == sizeof(IqDate),
					 "core dates are DateADT day numbers");
	iq_date_to_text((IqDate) date, text);
	return text;
}
