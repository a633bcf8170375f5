/*
 * test_calendar.c
 *		Unit tests for calendar.c.
 *
 * Fixed day numbers were taken from PostgreSQL ('...'::date - '2000-01-01'),
 * and the sweeps compare against a naive day-by-day calendar, so neither
 * depends on the era arithmetic under test.
 */
#include "unit.h"
#include "calendar.h"

#define FIRST_DAY	(-2451545)	/* 4714-11-24 BC */
#define LAST_DAY	2145031948	/* 5874897-12-31 */

static int
naive_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		return 29;
	return days[month - 1];
}

static void
naive_next_day(int *year, int *month, int *day)
{
	if (++*day <= naive_days_in_month(*year, *month))
		return;
	*day = 1;
	if (++*month <= 12)
		return;
	*month = 1;
	++*year;
}

/*
 * Walk ndays days from date, which is year-month-day, checking both
 * conversions against the naive calendar; returns the offset of the first
 * mismatch, or -1.
 */
static int64_t
walk(IqDate date, int year, int month, int day, int64_t ndays)
{
	for (int64_t i = 0; i < ndays; i++)
	{
		IqDate		d = (IqDate) (date + i);
		int			y,
					m,
					dd;

		iq_date_to_ymd(d, &y, &m, &dd);
		if (y != year || m != month || dd != day ||
			iq_ymd_to_date(year, month, day) != d)
			return i;
		naive_next_day(&year, &month, &day);
	}
	return -1;
}

#define CHECK_YMD(date, y, m, d) \
	do { \
		int			y_, m_, d_; \
		iq_date_to_ymd((date), &y_, &m_, &d_); \
		CHECK_INT(y_, (y)); \
		CHECK_INT(m_, (m)); \
		CHECK_INT(d_, (d)); \
	} while (0)

#define CHECK_FORMAT(date, expected) \
	do { \
		char		buf_[IQ_DATE_BUFLEN]; \
		iq_date_to_text((date), buf_); \
		CHECK_STR(buf_, (expected)); \
	} while (0)

#define CHECK_ADD_MONTHS(from, months, expected) \
	do { \
		IqDate		r_ = 0; \
		CHECK(iq_date_add_months((from), (months), &r_)); \
		CHECK_FORMAT(r_, (expected)); \
	} while (0)

#define CHECK_ADD_DAYS(from, days, expected) \
	do { \
		IqDate		r_ = 0; \
		CHECK(iq_date_add_days((from), (days), &r_)); \
		CHECK_FORMAT(r_, (expected)); \
	} while (0)

static void
test_known_days(void)
{
	CHECK_INT(iq_ymd_to_date(2000, 1, 1), 0);
	CHECK_INT(iq_ymd_to_date(1970, 1, 1), -10957);
	CHECK_INT(iq_ymd_to_date(2024, 2, 29), 8825);
	CHECK_INT(iq_ymd_to_date(-43, 3, 15), -746117);
	CHECK_INT(iq_ymd_to_date(-4, 2, 29), -731887);
	CHECK_INT(iq_ymd_to_date(-4713, 11, 24), FIRST_DAY);
	CHECK_INT(iq_ymd_to_date(5874897, 12, 31), LAST_DAY);

	CHECK_YMD(0, 2000, 1, 1);
	CHECK_YMD(-1, 1999, 12, 31);
	CHECK_YMD(8825, 2024, 2, 29);
	CHECK_YMD(-746117, -43, 3, 15);
	CHECK_YMD(FIRST_DAY, -4713, 11, 24);
	CHECK_YMD(LAST_DAY, 5874897, 12, 31);
	CHECK_YMD(LAST_DAY + 1, 5874898, 1, 1);
}

static void
test_leap_years(void)
{
	/* 1900 and 2100 are not leap years, 2000 and 2024 are */
	CHECK_INT(iq_ymd_to_date(1900, 3, 1) - iq_ymd_to_date(1900, 2, 28), 1);
	CHECK_INT(iq_ymd_to_date(2000, 3, 1) - iq_ymd_to_date(2000, 2, 28), 2);
	CHECK_INT(iq_ymd_to_date(2024, 3, 1) - iq_ymd_to_date(2024, 2, 28), 2);
	CHECK_INT(iq_ymd_to_date(2100, 3, 1) - iq_ymd_to_date(2100, 2, 28), 1);
	CHECK_INT(iq_ymd_to_date(1901, 1, 1) - iq_ymd_to_date(1900, 1, 1), 365);
	CHECK_INT(iq_ymd_to_date(2001, 1, 1) - iq_ymd_to_date(2000, 1, 1), 366);
	CHECK_INT(iq_ymd_to_date(2400, 1, 1) - iq_ymd_to_date(2000, 1, 1), 146097);
	/* 1 BC (year 0) and 5 BC (year -4) are leap years, 4 BC is not */
	CHECK_INT(iq_ymd_to_date(0, 3, 1) - iq_ymd_to_date(0, 2, 28), 2);
	CHECK_INT(iq_ymd_to_date(-4, 3, 1) - iq_ymd_to_date(-4, 2, 28), 2);
	CHECK_INT(iq_ymd_to_date(-3, 3, 1) - iq_ymd_to_date(-3, 2, 28), 1);
	CHECK_INT(iq_ymd_to_date(-100, 3, 1) - iq_ymd_to_date(-100, 2, 28), 1);
	CHECK_INT(iq_ymd_to_date(-400, 3, 1) - iq_ymd_to_date(-400, 2, 28), 2);
	CHECK_INT(iq_ymd_to_date(1, 1, 1) - iq_ymd_to_date(0, 12, 31), 1);
}

static void
test_sweeps(void)
{
	/* the first million days, 2.6 million days across 2000, the last million */
	CHECK_INT(walk(FIRST_DAY, -4713, 11, 24, 1000000), -1);
	CHECK_INT(walk(iq_ymd_to_date(1600, 1, 1), 1600, 1, 1, 2600000), -1);
	CHECK_INT(walk(2144031949, 5872160, 2, 5, LAST_DAY - 2144031949 + 1), -1);

	/* a stride through the whole range, checking consecutive days agree */
	{
		int64_t		bad = -1;

		for (int64_t d = FIRST_DAY; d < LAST_DAY && bad < 0; d += 7919)
		{
			int			y,
						m,
						dd,
						y1,
						m1,
						d1;

			iq_date_to_ymd((IqDate) d, &y, &m, &dd);
			iq_date_to_ymd((IqDate) d + 1, &y1, &m1, &d1);
			naive_next_day(&y, &m, &dd);
			if (y != y1 || m != m1 || dd != d1 ||
				iq_ymd_to_date(y1, m1, d1) != d + 1)
				bad = d;
		}
		CHECK_INT(bad, -1);
	}
}

static void
test_extremes(void)
{
	/* every int32 converts without overflow and round-trips */
	static const IqDate days[] = {
		INT32_MIN, INT32_MIN + 1, INT32_MAX - 1, INT32_MAX, FIRST_DAY - 1,
	};

	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++)
	{
		int			y,
					m,
					d;

		iq_date_to_ymd(days[i], &y, &m, &d);
		CHECK(m >= 1 && m <= 12 && d >= 1 && d <= naive_days_in_month(y, m));
		CHECK_INT(iq_ymd_to_date(y, m, d), days[i]);
	}
	CHECK_YMD(FIRST_DAY - 1, -4713, 11, 23);
}

static void
test_validity(void)
{
	CHECK(iq_date_is_finite(0));
	CHECK(iq_date_is_finite(INT32_MIN + 1));
	CHECK(iq_date_is_finite(INT32_MAX - 1));
	CHECK(!iq_date_is_finite(IQ_DATE_NOBEGIN));
	CHECK(!iq_date_is_finite(IQ_DATE_NOEND));

	CHECK(iq_date_is_valid(0));
	CHECK(iq_date_is_valid(FIRST_DAY));
	CHECK(iq_date_is_valid(LAST_DAY));
	CHECK(!iq_date_is_valid(FIRST_DAY - 1));
	CHECK(!iq_date_is_valid(LAST_DAY + 1));
	CHECK(!iq_date_is_valid(IQ_DATE_NOBEGIN));
	CHECK(!iq_date_is_valid(IQ_DATE_NOEND));
	CHECK(!iq_date_is_valid(INT32_MIN + 1));
	CHECK(!iq_date_is_valid(INT32_MAX - 1));
}

static void
test_format(void)
{
	CHECK_FORMAT(0, "2000-01-01");
	CHECK_FORMAT(8825, "2024-02-29");
	CHECK_FORMAT(iq_ymd_to_date(1999, 12, 31), "1999-12-31");
	CHECK_FORMAT(iq_ymd_to_date(999, 5, 6), "0999-05-06");
	CHECK_FORMAT(iq_ymd_to_date(1, 1, 1), "0001-01-01");
	CHECK_FORMAT(iq_ymd_to_date(0, 12, 31), "0001-12-31 BC");
	CHECK_FORMAT(iq_ymd_to_date(0, 2, 29), "0001-02-29 BC");
	CHECK_FORMAT(-746117, "0044-03-15 BC");
	CHECK_FORMAT(FIRST_DAY, "4714-11-24 BC");
	CHECK_FORMAT(iq_ymd_to_date(9999, 12, 31), "9999-12-31");
	CHECK_FORMAT(iq_ymd_to_date(10000, 1, 1), "10000-01-01");
	CHECK_FORMAT(iq_ymd_to_date(294277, 1, 1), "294277-01-01");
	CHECK_FORMAT(LAST_DAY, "5874897-12-31");
	CHECK_FORMAT(IQ_DATE_NOEND, "infinity");
	CHECK_FORMAT(IQ_DATE_NOBEGIN, "-infinity");

	/* the widest finite int32 output still fits the buffer */
	{
		char		buf[IQ_DATE_BUFLEN];

		iq_date_to_text(INT32_MIN + 1, buf);
		CHECK(strlen(buf) < IQ_DATE_BUFLEN);
		CHECK(strcmp(buf + strlen(buf) - 3, " BC") == 0);
		iq_date_to_text(INT32_MAX - 1, buf);
		CHECK(strlen(buf) < IQ_DATE_BUFLEN);
	}
}

static void
test_add_months(void)
{
	IqDate		jan31 = iq_ymd_to_date(2024, 1, 31);
	IqDate		r = 12345;

	/* anchored at Jan 31, every month end is reached, none drifts */
	CHECK_ADD_MONTHS(jan31, 0, "2024-01-31");
	CHECK_ADD_MONTHS(jan31, 1, "2024-02-29");
	CHECK_ADD_MONTHS(jan31, 2, "2024-03-31");
	CHECK_ADD_MONTHS(jan31, 3, "2024-04-30");
	CHECK_ADD_MONTHS(jan31, 11, "2024-12-31");
	CHECK_ADD_MONTHS(jan31, 12, "2025-01-31");
	CHECK_ADD_MONTHS(jan31, 13, "2025-02-28");
	CHECK_ADD_MONTHS(jan31, 49, "2028-02-29");
	CHECK_ADD_MONTHS(jan31, -1, "2023-12-31");
	CHECK_ADD_MONTHS(jan31, -11, "2023-02-28");
	CHECK_ADD_MONTHS(jan31, -1200, "1924-01-31");
	CHECK_ADD_MONTHS(iq_ymd_to_date(1900, 1, 31), 1, "1900-02-28");
	CHECK_ADD_MONTHS(iq_ymd_to_date(2000, 1, 31), 1, "2000-02-29");
	CHECK_ADD_MONTHS(iq_ymd_to_date(2024, 2, 29), 12, "2025-02-28");
	CHECK_ADD_MONTHS(iq_ymd_to_date(2024, 2, 29), 48, "2028-02-29");
	CHECK_ADD_MONTHS(iq_ymd_to_date(2024, 3, 31), -1, "2024-02-29");
	CHECK_ADD_MONTHS(iq_ymd_to_date(2024, 5, 15), -5, "2023-12-15");

	/* across the start of the era: 1 AD back into 1 BC and beyond */
	CHECK_ADD_MONTHS(iq_ymd_to_date(1, 1, 15), -1, "0001-12-15 BC");
	CHECK_ADD_MONTHS(iq_ymd_to_date(1, 3, 31), -1, "0001-02-28");
	CHECK_ADD_MONTHS(iq_ymd_to_date(1, 3, 31), -13, "0001-02-29 BC");
	CHECK_ADD_MONTHS(iq_ymd_to_date(1, 3, 31), -25, "0002-02-28 BC");
	CHECK_ADD_MONTHS(-746117, 12 * 44, "0001-03-15");

	/* the ends of the range */
	CHECK_ADD_MONTHS(iq_ymd_to_date(5874897, 11, 30), 1, "5874897-12-30");
	CHECK_ADD_MONTHS(iq_ymd_to_date(5874897, 10, 31), 2, "5874897-12-31");
	CHECK(!iq_date_add_months(iq_ymd_to_date(5874897, 12, 1), 1, &r));
	CHECK(!iq_date_add_months(LAST_DAY, 1, &r));
	CHECK_ADD_MONTHS(iq_ymd_to_date(-4713, 12, 24), -1, "4714-11-24 BC");
	CHECK_ADD_MONTHS(iq_ymd_to_date(-4713, 12, 31), -1, "4714-11-30 BC");
	CHECK(!iq_date_add_months(iq_ymd_to_date(-4713, 12, 23), -1, &r));
	CHECK(!iq_date_add_months(FIRST_DAY, -1, &r));
	CHECK_ADD_MONTHS(FIRST_DAY, (5874897 + 4713) * INT64_C(12) + 1, "5874897-12-24");
	CHECK(!iq_date_add_months(FIRST_DAY, (5874897 + 4713) * INT64_C(12) + 2, &r));
	CHECK_ADD_MONTHS(LAST_DAY, -(5874897 + 4713) * INT64_C(12) - 1, "4714-11-30 BC");
	CHECK(!iq_date_add_months(LAST_DAY, -(5874897 + 4713) * INT64_C(12) - 2, &r));

	/* no shift can overflow, and infinities never move */
	CHECK(!iq_date_add_months(0, INT64_MAX, &r));
	CHECK(!iq_date_add_months(0, INT64_MIN, &r));
	CHECK(!iq_date_add_months(0, INT32_MAX, &r));
	CHECK(!iq_date_add_months(0, -INT64_C(100000001), &r));
	CHECK(!iq_date_add_months(IQ_DATE_NOEND, 0, &r));
	CHECK(!iq_date_add_months(IQ_DATE_NOBEGIN, 1, &r));
	CHECK(!iq_date_add_months(LAST_DAY + 1, 0, &r));
	CHECK(!iq_date_add_months(FIRST_DAY - 1, 0, &r));
	CHECK_INT(r, 12345);
}

static void
test_add_days(void)
{
	IqDate		r = 12345;

	CHECK_ADD_DAYS(0, 0, "2000-01-01");
	CHECK_ADD_DAYS(0, 59, "2000-02-29");
	CHECK_ADD_DAYS(0, 366, "2001-01-01");
	CHECK_ADD_DAYS(0, -1, "1999-12-31");
	CHECK_ADD_DAYS(iq_ymd_to_date(2024, 1, 31), 29, "2024-02-29");
	CHECK_ADD_DAYS(iq_ymd_to_date(1, 1, 1), -1, "0001-12-31 BC");

	CHECK_ADD_DAYS(0, LAST_DAY, "5874897-12-31");
	CHECK(!iq_date_add_days(0, LAST_DAY + INT64_C(1), &r));
	CHECK_ADD_DAYS(LAST_DAY, 0, "5874897-12-31");
	CHECK(!iq_date_add_days(LAST_DAY, 1, &r));
	CHECK_ADD_DAYS(0, FIRST_DAY, "4714-11-24 BC");
	CHECK(!iq_date_add_days(0, FIRST_DAY - INT64_C(1), &r));
	CHECK(!iq_date_add_days(FIRST_DAY, -1, &r));
	CHECK_ADD_DAYS(FIRST_DAY, LAST_DAY - (int64_t) FIRST_DAY, "5874897-12-31");
	CHECK(!iq_date_add_days(FIRST_DAY, LAST_DAY - (int64_t) FIRST_DAY + 1, &r));

	CHECK(!iq_date_add_days(0, INT64_MAX, &r));
	CHECK(!iq_date_add_days(0, INT64_MIN, &r));
	CHECK(!iq_date_add_days(LAST_DAY, INT64_MAX, &r));
	CHECK(!iq_date_add_days(FIRST_DAY, INT64_MIN, &r));
	CHECK(!iq_date_add_days(IQ_DATE_NOEND, -1, &r));
	CHECK(!iq_date_add_days(IQ_DATE_NOBEGIN, 1, &r));
	CHECK(!iq_date_add_days(IQ_DATE_NOBEGIN, 0, &r));
	CHECK_INT(r, 12345);
}

/* Expected values are PostgreSQL's '...+00'::timestamptz, as stored. */
static void
test_utc_midnight(void)
{
	int64_t		usecs = 12345;

	CHECK(iq_date_to_utc_usecs(0, &usecs));
	CHECK_INT(usecs, 0);
	CHECK(iq_date_to_utc_usecs(iq_ymd_to_date(2025, 3, 1), &usecs));
	CHECK_INT(usecs, INT64_C(794102400000000));
	CHECK(iq_date_to_utc_usecs(iq_ymd_to_date(1999, 12, 31), &usecs));
	CHECK_INT(usecs, -INT64_C(86400000000));
	CHECK(iq_date_to_utc_usecs(FIRST_DAY, &usecs));
	CHECK_INT(usecs, -INT64_C(211813488000000000));
	/* the last day with a timestamp, and the first without */
	CHECK(iq_date_to_utc_usecs(iq_ymd_to_date(294276, 12, 31), &usecs));
	CHECK_INT(usecs, INT64_C(9223371244800000000));
	usecs = 12345;
	CHECK(!iq_date_to_utc_usecs(iq_ymd_to_date(294277, 1, 1), &usecs));
	CHECK(!iq_date_to_utc_usecs(LAST_DAY, &usecs));
	CHECK(!iq_date_to_utc_usecs(FIRST_DAY - 1, &usecs));
	CHECK_INT(usecs, 12345);
	CHECK(iq_date_to_utc_usecs(IQ_DATE_NOBEGIN, &usecs));
	CHECK_INT(usecs, INT64_MIN);
	CHECK(iq_date_to_utc_usecs(IQ_DATE_NOEND, &usecs));
	CHECK_INT(usecs, INT64_MAX);
}

void
test_calendar(void)
{
	test_known_days();
	test_leap_years();
	test_sweeps();
	test_extremes();
	test_validity();
	test_format();
	test_add_months();
	test_add_days();
	test_utc_midnight();
}
