/*
 * core/calendar.h
 *		Proleptic Gregorian dates as PostgreSQL stores them, in plain C.
 *
 * A date is a day number relative to 2000-01-01, exactly like DateADT, so
 * values pass between the server and this code unchanged.  INT32_MIN and
 * INT32_MAX are -infinity and infinity, as in PostgreSQL.
 */
#ifndef IQFEES_CORE_CALENDAR_H
#define IQFEES_CORE_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t IqDate;

#define IQ_DATE_NOBEGIN		INT32_MIN
#define IQ_DATE_NOEND		INT32_MAX

/* "-5874897-12-31 BC" plus terminator fits easily */
#define IQ_DATE_BUFLEN		24

extern bool iq_date_is_finite(IqDate date);

/* true when date is inside the range PostgreSQL accepts for a date */
extern bool iq_date_is_valid(IqDate date);

/* year is astronomical: 0 is 1 BC, -1 is 2 BC */
extern void iq_date_to_ymd(IqDate date, int *year, int *month, int *day);
extern IqDate iq_ymd_to_date(int year, int month, int day);

/*
 * Add months the way PostgreSQL's date + interval does: the day of month is
 * kept, or clamped to the last day of the resulting month.  Return false
 * when the result would leave the valid date range (or date is infinite).
 */
extern bool iq_date_add_months(IqDate date, int64_t months, IqDate *result);
extern bool iq_date_add_days(IqDate date, int64_t days, IqDate *result);

/*
 * 00:00 UTC on date as PostgreSQL stores a timestamptz: microseconds from
 * 2000-01-01 00:00 UTC, INT64_MIN and INT64_MAX for -infinity and
 * infinity.  No time zone is involved.  Returns false for a date past the
 * last timestamp (294276-12-31).
 */
extern bool iq_date_to_utc_usecs(IqDate date, int64_t *usecs);

/*
 * The calendar day of a timestamp as PostgreSQL stores it (microseconds
 * from 2000-01-01 00:00, UTC for a timestamptz): INT64_MIN and INT64_MAX,
 * the infinities, give the infinite dates.
 */
extern IqDate iq_usecs_to_date(int64_t usecs);

/* ISO 8601 as PostgreSQL prints it: 2024-02-29, 0044-03-15 BC, infinity */
extern void iq_date_to_text(IqDate date, char *buf);

#endif							/* IQFEES_CORE_CALENDAR_H */
