/*
 * test_eligibility.c
 *		Unit tests for eligibility.c.
 *
 * Expected 18th birthdays were checked against PostgreSQL's
 * birth_date + interval '18 years'.
 */
#include "unit.h"
#include "eligibility.h"


static IqDate
ymd(int year, int month, int day)
{
	return iq_ymd_to_date(year, month, day);
}

static IqCertification
certification(const char *level, const char *name, IqDate expires_on)
{
	IqCertification c = {false, level, name, true, expires_on};

	return c;
}

/* an eligible expert: one associate certification, all facts favourable */
static IqCertification eligible_certs[1];

static IqExpert
eligible_expert(void)
{
	IqExpert	e;

	eligible_certs[0] = certification("associate", "Solutions Architect", ymd(2026, 5, 1));
	memset(&e, 0, sizeof(e));
	e.certifications_known = true;
	e.ncertifications = 1;
	e.certifications = eligible_certs;
	e.birth_date_known = true;
	e.birth_date = ymd(1990, 7, 14);
	e.lives_in_us = IQ_FACT_TRUE;
	e.works_for_us_company = IQ_FACT_FALSE;
	e.has_us_bank_account = IQ_FACT_FALSE;
	e.has_us_tin = IQ_FACT_TRUE;
	e.is_amazon_employee = IQ_FACT_FALSE;
	return e;
}

static int
validate(const IqExpert *expert, IqDate as_of, Captured *captured)
{
	int			n;

	memset(captured, 0, sizeof(*captured));
	n = iq_eligibility_validate(expert, as_of, capture, captured);
	CHECK_INT(n, captured->count);
	return n;
}


static void
test_certification_counts(void)
{
	IqDate		day = ymd(2024, 6, 1);
	IqCertification c;

	c = certification("associate", NULL, day);
	CHECK(iq_certification_counts(&c, day));	/* valid through its expiry
												 * day */
	CHECK(!iq_certification_counts(&c, day + 1));
	c = certification("professional", NULL, IQ_DATE_NOEND);
	CHECK(iq_certification_counts(&c, day));
	CHECK(iq_certification_counts(&c, IQ_DATE_NOEND));
	c = certification("specialty", NULL, day);
	CHECK(iq_certification_counts(&c, day));
	c = certification("foundational", NULL, IQ_DATE_NOEND);
	CHECK(!iq_certification_counts(&c, day));
	c = certification("expert", NULL, IQ_DATE_NOEND);	/* a label added later */
	CHECK(!iq_certification_counts(&c, day));
	c = certification(NULL, NULL, IQ_DATE_NOEND);
	CHECK(!iq_certification_counts(&c, day));
	c = certification("associate", NULL, 0);
	c.expiry_known = false;
	CHECK(!iq_certification_counts(&c, day));
	c = certification("associate", NULL, IQ_DATE_NOEND);
	c.isnull = true;
	CHECK(!iq_certification_counts(&c, day));
	c = certification("associate", NULL, IQ_DATE_NOBEGIN);
	CHECK(!iq_certification_counts(&c, day));
	CHECK(iq_certification_counts(&c, IQ_DATE_NOBEGIN));
}

static void
test_adult_from(void)
{
	char		text[IQ_DATE_BUFLEN];

	CHECK_INT(iq_adult_from(ymd(2006, 6, 2)), ymd(2024, 6, 2));

	/*
	 * a 29 February birthday reaches 18 on 28 February (18 years after a leap
	 * year is never one)
	 */
	CHECK_INT(iq_adult_from(ymd(2004, 2, 29)), ymd(2022, 2, 28));
	CHECK_INT(iq_adult_from(ymd(2000, 2, 29)), ymd(2018, 2, 28));
	CHECK_INT(iq_adult_from(ymd(2004, 3, 1)), ymd(2022, 3, 1));
	CHECK_INT(iq_adult_from(ymd(-4, 2, 29)), ymd(14, 2, 28));
	iq_date_to_text(iq_adult_from(ymd(0, 12, 31)), text);
	CHECK_STR(text, "0018-12-31");
	/* the last valid dates reach 18 past the end of the calendar */
	CHECK_INT(iq_adult_from(ymd(5874879, 12, 31)), ymd(5874897, 12, 31));
	CHECK_INT(iq_adult_from(ymd(5874880, 1, 1)), IQ_DATE_NOEND);
	CHECK_INT(iq_adult_from(IQ_DATE_NOEND), IQ_DATE_NOEND);
	CHECK_INT(iq_adult_from(IQ_DATE_NOBEGIN), IQ_DATE_NOBEGIN);
}

static void
test_eligible(void)
{
	IqExpert	e = eligible_expert();
	Captured	c;

	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 0);
	/* any one US tie is enough */
	e.lives_in_us = IQ_FACT_UNKNOWN;
	e.works_for_us_company = IQ_FACT_TRUE;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 0);
	e.works_for_us_company = IQ_FACT_FALSE;
	e.has_us_bank_account = IQ_FACT_TRUE;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 0);
	/* the certification's last day still counts */
	CHECK_INT(validate(&e, ymd(2026, 5, 1), &c), 0);
}

static void
test_certification_rules(void)
{
	IqExpert	e = eligible_expert();
	IqCertification certs[6];
	Captured	c;

	e.certifications_known = false;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_ACTIVE_CERTIFICATION, 0,
					"the expert's certifications are unknown");

	e.certifications_known = true;
	e.ncertifications = 0;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_ACTIVE_CERTIFICATION, 0,
					"the expert has no AWS certification");

	/* none counts: the expert-wide violation, then each reason */
	certs[0] = certification("foundational", "Cloud Practitioner", IQ_DATE_NOEND);
	certs[1] = certification("associate", "Developer", ymd(2024, 5, 31));
	certs[2] = certification(NULL, "Data Engineer", IQ_DATE_NOEND);
	certs[3] = certification("professional", NULL, 0);
	certs[3].expiry_known = false;
	certs[4] = certification("specialty", "Security", 0);
	certs[4].isnull = true;
	certs[5] = certification("associate", NULL, ymd(2024, 5, 1));
	e.certifications = certs;
	e.ncertifications = 6;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 7);
	CHECK_VIOLATION(c, 0, IQ_RULE_ACTIVE_CERTIFICATION, 0,
					"the expert has no active associate, professional or specialty "
					"certification on 2024-06-01");
	CHECK_VIOLATION(c, 1, IQ_RULE_ACTIVE_CERTIFICATION, 1,
					"certification 1 (Cloud Practitioner) is at the foundational level, "
					"which does not count");
	CHECK_VIOLATION(c, 2, IQ_RULE_ACTIVE_CERTIFICATION, 2,
					"certification 2 (Developer) was valid until 2024-05-31, before 2024-06-01");
	CHECK_VIOLATION(c, 3, IQ_RULE_ACTIVE_CERTIFICATION, 3,
					"certification 3 (Data Engineer) has an unknown level");
	CHECK_VIOLATION(c, 4, IQ_RULE_ACTIVE_CERTIFICATION, 4,
					"certification 4 has an unknown expiry date");
	CHECK_VIOLATION(c, 5, IQ_RULE_ACTIVE_CERTIFICATION, 5, "certification 5 is unknown");
	CHECK_VIOLATION(c, 6, IQ_RULE_ACTIVE_CERTIFICATION, 6,
					"certification 6 was valid until 2024-05-01, before 2024-06-01");

	/*
	 * one that counts anywhere in the list is enough, and nothing is said
	 * about the others
	 */
	certs[3].expiry_known = true;
	certs[3].expires_on = ymd(2024, 6, 1);
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 0);
	CHECK_INT(validate(&e, ymd(2024, 6, 2), &c), 7);

	/* a long name is cut to fit the message, never overruns it */
	{
		char		name[400];

		memset(name, 'x', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		certs[0] = certification("foundational", name, IQ_DATE_NOEND);
		e.ncertifications = 1;
		CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 2);
		CHECK_INT(strlen(c.violations[1].message), IQ_MESSAGE_LEN - 1);
	}
}

static void
test_age(void)
{
	IqExpert	e = eligible_expert();
	Captured	c;

	e.birth_date = ymd(2006, 6, 2);
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_MINIMUM_AGE, 0,
					"the expert, born on 2006-06-02, turns 18 on 2024-06-02, after 2024-06-01");
	CHECK_INT(validate(&e, ymd(2024, 6, 2), &c), 0);

	/* born on 29 February: 18 on 28 February */
	e.birth_date = ymd(2004, 2, 29);
	CHECK_INT(validate(&e, ymd(2022, 2, 27), &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_MINIMUM_AGE, 0,
					"the expert, born on 2004-02-29, turns 18 on 2022-02-28, after 2022-02-27");
	CHECK_INT(validate(&e, ymd(2022, 2, 28), &c), 0);

	/* not born yet */
	e.birth_date = ymd(2030, 1, 1);
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_MINIMUM_AGE, 0,
					"the expert, born on 2030-01-01, turns 18 on 2048-01-01, after 2024-06-01");

	/* 18 only past the end of the calendar */
	e.birth_date = ymd(5874890, 1, 1);
	e.certifications = NULL;
	e.ncertifications = 0;
	CHECK_INT(validate(&e, ymd(5874897, 12, 31), &c), 2);
	CHECK_VIOLATION(c, 1, IQ_RULE_MINIMUM_AGE, 0,
					"the expert, born on 5874890-01-01, is under 18 on 5874897-12-31");

	e = eligible_expert();
	e.birth_date_known = false;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_MINIMUM_AGE, 0, "the expert's birth date is unknown");
}

static void
test_us_presence(void)
{
	IqExpert	e = eligible_expert();
	Captured	c;

	e.lives_in_us = IQ_FACT_FALSE;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_US_PRESENCE, 0,
					"the expert does not live in the US, work for a US company or have a "
					"US bank account");

	e.works_for_us_company = IQ_FACT_UNKNOWN;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_US_PRESENCE, 0,
					"the expert is not known to live in the US, work for a US company or "
					"have a US bank account: works_for_us_company is unknown");

	e.lives_in_us = IQ_FACT_UNKNOWN;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_US_PRESENCE, 0,
					"the expert is not known to live in the US, work for a US company or "
					"have a US bank account: lives_in_us and works_for_us_company are unknown");

	e.has_us_bank_account = IQ_FACT_UNKNOWN;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_US_PRESENCE, 0,
					"the expert is not known to live in the US, work for a US company or "
					"have a US bank account: lives_in_us, works_for_us_company and "
					"has_us_bank_account are unknown");
}

static void
test_tin_and_employee(void)
{
	IqExpert	e = eligible_expert();
	Captured	c;

	e.has_us_tin = IQ_FACT_FALSE;
	e.is_amazon_employee = IQ_FACT_TRUE;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 2);
	CHECK_VIOLATION(c, 0, IQ_RULE_US_TIN, 0,
					"the expert has no US taxpayer identification number");
	CHECK_VIOLATION(c, 1, IQ_RULE_AMAZON_EMPLOYEE, 0,
					"the expert is an Amazon or AWS employee, who may not take part");

	e.has_us_tin = IQ_FACT_UNKNOWN;
	e.is_amazon_employee = IQ_FACT_UNKNOWN;
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 2);
	CHECK_VIOLATION(c, 0, IQ_RULE_US_TIN, 0,
					"whether the expert has a US taxpayer identification number is unknown");
	CHECK_VIOLATION(c, 1, IQ_RULE_AMAZON_EMPLOYEE, 0,
					"whether the expert is an Amazon or AWS employee is unknown");
}

/* nothing known at all: every rule, in the documented order */
static void
test_all_unknown(void)
{
	IqExpert	e;
	Captured	c;

	memset(&e, 0, sizeof(e));
	CHECK_INT(validate(&e, ymd(2024, 6, 1), &c), 5);
	CHECK_STR(c.violations[0].rule, IQ_RULE_ACTIVE_CERTIFICATION);
	CHECK_STR(c.violations[1].rule, IQ_RULE_MINIMUM_AGE);
	CHECK_STR(c.violations[2].rule, IQ_RULE_US_PRESENCE);
	CHECK_STR(c.violations[3].rule, IQ_RULE_US_TIN);
	CHECK_STR(c.violations[4].rule, IQ_RULE_AMAZON_EMPLOYEE);
}

void
test_eligibility(void)
{
	test_certification_counts();
	test_adult_from();
	test_eligible();
	test_certification_rules();
	test_age();
	test_us_presence();
	test_tin_and_employee();
	test_all_unknown();
}
