/*
 * calendar.h
 *		Dates at the SQL boundary of core/calendar.c.
 */
#ifndef IQFEES_CALENDAR_H
#define IQFEES_CALENDAR_H

#include "compat.h"

#include "utils/date.h"

#include "core/calendar.h"

/*
 * A date as messages show it: ISO 8601 (2024-02-29, infinity) whatever
 * DateStyle is, as the rules' messages from the core show dates.
 */
extern char *iq_date_to_cstring(DateADT date);

#endif							/* IQFEES_CALENDAR_H */
