/*
 * core/calendar.c
 *		Proleptic Gregorian dates as PostgreSQL stores them, in plain C.
 *
 * The conversions are Howard Hinnant's era-based days_from_civil and
 * civil_from_days: a 400-year era is always 146097 days, and counting years
 * from March puts the leap day last.  All intermediates are 64-bit, so no
 * int32 day number and no int year can overflow them.
 */
#include "calendar.h"

#include <stdio.h>

/*
 * PostgreSQL's IS_VALID_DATE bounds as day numbers: 4714-11-24 BC (Julian
 * day 0) is the first valid day, 5874898-01-01 the first invalid one.
 */
#define IQ_DATE_MIN			INT64_C(-2451545)
#define IQ_DATE_END			INT64_C(2145031949)

/* days from 0000-03-01, where the eras start, to 2000-01-01 */
#define ERA_TO_Y2K			INT64_C(730425)
#define DAYS_PER_ERA		INT64_C(146097)

/* PostgreSQL's timestamps end before 294277-01-01, this day */
#define IQ_TIMESTAMP_END_DAY	INT64_C(106751983)
#define USECS_PER_DAY			INT64_C(86400000000)

/*
 * The valid range spans about 70.6 million months, so a larger shift
 * necessarily leaves it; rejecting it up front keeps the arithmetic small.
 */
#define MAX_MONTH_SHIFT		INT64_C(100000000)

static int64_t
days_from_civil(int64_t year, int month, int day)
{
	int64_t		y = month <= 2 ? year - 1 : year;
	int64_t		era = (y >= 0 ? y : y - 399) / 400;
	int64_t		yoe = y - era * 400;
	int64_t		doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * DAYS_PER_ERA + doe - ERA_TO_Y2K;
}

static bool
is_leap(int64_t year)
{
	return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

static int
days_in_month(int64_t year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

bool
iq_date_is_finite(IqDate date)
{
	return date != IQ_DATE_NOBEGIN && date != IQ_DATE_NOEND;
}

/*
 * Only finite dates count as valid: the infinities are outside the range,
 * and every caller that accepts them tests for them separately.
 */
bool
iq_date_is_valid(IqDate date)
{
	return date >= IQ_DATE_MIN && date < IQ_DATE_END;
}

void
iq_date_to_ymd(IqDate date, int *year, int *month, int *day)
{
	int64_t		z = (int64_t) date + ERA_TO_Y2K;
	int64_t		era = (z >= 0 ? z : z - (DAYS_PER_ERA - 1)) / DAYS_PER_ERA;
	int64_t		doe = z - era * DAYS_PER_ERA;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	int			m = (int) (mp < 10 ? mp + 3 : mp - 9);

	*year = (int) (yoe + era * 400 + (m <= 2));
	*month = m;
	*day = (int) (doy - (153 * mp + 2) / 5 + 1);
}

/*
 * Like PostgreSQL's date2j, the caller passes a real calendar date whose day
 * number fits in an IqDate.
 */
IqDate
iq_ymd_to_date(int year, int month, int day)
{
	return (IqDate) days_from_civil(year, month, day);
}

bool
iq_date_add_months(IqDate date, int64_t months, IqDate *result)
{
	int			year;
	int			month;
	int			day;
	int64_t		index;
	int64_t		new_year;
	int			new_month;
	int			last_day;
	int64_t		days;

	if (!iq_date_is_valid(date) ||
		months > MAX_MONTH_SHIFT || months < -MAX_MONTH_SHIFT)
		return false;

	iq_date_to_ymd(date, &year, &month, &day);
	index = (int64_t) year * 12 + (month - 1) + months;
	new_year = (index >= 0 ? index : index - 11) / 12;
	new_month = (int) (index - new_year * 12) + 1;
	last_day = days_in_month(new_year, new_month);
	if (day > last_day)
		day = last_day;

	days = days_from_civil(new_year, new_month, day);
	if (days < IQ_DATE_MIN || days >= IQ_DATE_END)
		return false;
	*result = (IqDate) days;
	return true;
}

bool
iq_date_add_days(IqDate date, int64_t days, IqDate *result)
{
	/* compare before adding, so that no int64 days can overflow */
	if (!iq_date_is_valid(date) ||
		days < IQ_DATE_MIN - date || days >= IQ_DATE_END - date)
		return false;
	*result = (IqDate) (date + days);
	return true;
}

/* Every valid date starts at or after the first timestamp, 4714-11-24 BC. */
bool
iq_date_to_utc_usecs(IqDate date, int64_t *usecs)
{
	if (date == IQ_DATE_NOBEGIN)
		*usecs = INT64_MIN;
	else if (date == IQ_DATE_NOEND)
		*usecs = INT64_MAX;
	else if (!iq_date_is_valid(date) || date >= IQ_TIMESTAMP_END_DAY)
		return false;
	else
		*usecs = (int64_t) date * USECS_PER_DAY;
	return true;
}

IqDate
iq_usecs_to_date(int64_t usecs)
{
	if (usecs == INT64_MIN)
		return IQ_DATE_NOBEGIN;
	if (usecs == INT64_MAX)
		return IQ_DATE_NOEND;
	/* floor division: the day before 2000-01-01 starts at -USECS_PER_DAY */
	if (usecs < 0)
		return (IqDate) (-((-(usecs + 1)) / USECS_PER_DAY) - 1);
	return (IqDate) (usecs / USECS_PER_DAY);
}

void
iq_date_to_text(IqDate date, char *buf)
{
	int			year;
	int			month;
	int			day;

	if (!iq_date_is_finite(date))
	{
		snprintf(buf, IQ_DATE_BUFLEN, "%s",
				 date == IQ_DATE_NOEND ? "infinity" : "-infinity");
		return;
	}

	iq_date_to_ymd(date, &year, &month, &day);

	/*
	 * Astronomical year 0 is 1 BC.  Narrowing month and day (always 1 .. 31)
	 * lets gcc's -Wformat-truncation see that the output fits the buffer.
	 */
	snprintf(buf, IQ_DATE_BUFLEN, "%04d-%02d-%02d%s",
			 year > 0 ? year : 1 - year, (uint8_t) month, (uint8_t) day,
			 year > 0 ? "" : " BC");
}
