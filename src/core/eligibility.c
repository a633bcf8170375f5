/*
 * core/eligibility.c
 *		Who may take part in AWS IQ as an expert.
 *
 * Messages are meant for whoever reviews an expert's application: each
 * names the fact that is missing or wrong, and the date that matters.
 */
#include "eligibility.h"

#include <stdio.h>
#include <string.h>

/* the levels that count; foundational (Cloud Practitioner) does not */
static bool
level_counts(const char *level)
{
	return strcmp(level, "associate") == 0 ||
		strcmp(level, "professional") == 0 ||
		strcmp(level, "specialty") == 0;
}

bool
iq_certification_counts(const IqCertification *certification, IqDate as_of)
{
	return !certification->isnull &&
		certification->level != NULL && level_counts(certification->level) &&
		certification->expiry_known && certification->expires_on >= as_of;
}

IqDate
iq_adult_from(IqDate birth_date)
{
	IqDate		adult;

	/* calendar.c takes finite dates only; -infinity stays -infinity */
	if (birth_date == IQ_DATE_NOBEGIN)
		return IQ_DATE_NOBEGIN;
	if (!iq_date_add_months(birth_date, 12 * IQ_MINIMUM_AGE, &adult))
		return IQ_DATE_NOEND;
	return adult;
}

/* Why a certification that does not count on as_of does not. */
static void
report_certification(IqReporter *reporter, const IqCertification *certification,
					 int position, const char *as_of_text)
{
	char		label[IQ_MESSAGE_LEN];
	char		date_text[IQ_DATE_BUFLEN];

	if (certification->isnull)
	{
		iq_report(reporter, IQ_RULE_ACTIVE_CERTIFICATION, position,
				  "certification %d is unknown", position);
		return;
	}

	/* "certification 2 (AWS Certified Developer - Associate)" */
	if (certification->name != NULL)
		snprintf(label, sizeof(label), "certification %d (%s)", position,
				 certification->name);
	else
		snprintf(label, sizeof(label), "certification %d", position);

	if (certification->level == NULL)
		iq_report(reporter, IQ_RULE_ACTIVE_CERTIFICATION, position,
				  "%s has an unknown level", label);
	else if (!level_counts(certification->level))
		iq_report(reporter, IQ_RULE_ACTIVE_CERTIFICATION, position,
				  "%s is at the %s level, which does not count", label,
				  certification->level);
	else if (!certification->expiry_known)
		iq_report(reporter, IQ_RULE_ACTIVE_CERTIFICATION, position,
				  "%s has an unknown expiry date", label);
	else
	{
		iq_date_to_text(certification->expires_on, date_text);
		iq_report(reporter, IQ_RULE_ACTIVE_CERTIFICATION, position,
				  "%s was valid until %s, before %s", label, date_text, as_of_text);
	}
}

static void
check_certifications(IqReporter *reporter, const IqExpert *expert, IqDate as_of,
					 const char *as_of_text)
{
	if (!expert->certifications_known)
	{
		iq_report(reporter, IQ_RULE_ACTIVE_CERTIFICATION, 0,
				  "the expert's certifications are unknown");
		return;
	}
	if (expert->ncertifications == 0)
	{
		iq_report(reporter, IQ_RULE_ACTIVE_CERTIFICATION, 0,
				  "the expert has no AWS certification");
		return;
	}
	for (int i = 0; i < expert->ncertifications; i++)
		if (iq_certification_counts(&expert->certifications[i], as_of))
			return;

	iq_report(reporter, IQ_RULE_ACTIVE_CERTIFICATION, 0,
			  "the expert has no active associate, professional or specialty certification on %s",
			  as_of_text);
	for (int i = 0; i < expert->ncertifications; i++)
		report_certification(reporter, &expert->certifications[i], i + 1, as_of_text);
}

static void
check_age(IqReporter *reporter, const IqExpert *expert, IqDate as_of,
		  const char *as_of_text)
{
	IqDate		adult;
	char		birth_text[IQ_DATE_BUFLEN];
	char		adult_text[IQ_DATE_BUFLEN];

	if (!expert->birth_date_known)
	{
		iq_report(reporter, IQ_RULE_MINIMUM_AGE, 0, "the expert's birth date is unknown");
		return;
	}
	adult = iq_adult_from(expert->birth_date);
	if (as_of >= adult)
		return;

	iq_date_to_text(expert->birth_date, birth_text);
	if (iq_date_is_finite(adult))
	{
		iq_date_to_text(adult, adult_text);
		iq_report(reporter, IQ_RULE_MINIMUM_AGE, 0,
				  "the expert, born on %s, turns %d on %s, after %s",
				  birth_text, IQ_MINIMUM_AGE, adult_text, as_of_text);
	}
	else
		iq_report(reporter, IQ_RULE_MINIMUM_AGE, 0,
				  "the expert, born on %s, is under %d on %s",
				  birth_text, IQ_MINIMUM_AGE, as_of_text);
}

/*
 * Any one of the three US ties is enough.  When none is known to hold, the
 * message says which are false and which unknown.
 */
static void
check_us_presence(IqReporter *reporter, const IqExpert *expert)
{
	const struct
	{
		IqFact		fact;
		const char *name;
	}			ties[] = {
		{expert->lives_in_us, "lives_in_us"},
		{expert->works_for_us_company, "works_for_us_company"},
		{expert->has_us_bank_account, "has_us_bank_account"},
	};
	char		unknown[IQ_MESSAGE_LEN] = "";
	int			nunknown = 0;
	size_t		length = 0;

	for (int i = 0; i < 3; i++)
	{
		if (ties[i].fact == IQ_FACT_TRUE)
			return;
		if (ties[i].fact == IQ_FACT_UNKNOWN)
			nunknown++;
	}

	if (nunknown == 0)
	{
		iq_report(reporter, IQ_RULE_US_PRESENCE, 0,
				  "the expert does not live in the US, work for a US company or have a US bank account");
		return;
	}

	/* "lives_in_us, works_for_us_company and has_us_bank_account" */
	for (int i = 0, listed = 0; i < 3; i++)
	{
		if (ties[i].fact != IQ_FACT_UNKNOWN)
			continue;
		listed++;
		length += (size_t) snprintf(unknown + length, sizeof(unknown) - length, "%s%s",
									listed == 1 ? "" : listed == nunknown ? " and " : ", ",
									ties[i].name);
	}
	iq_report(reporter, IQ_RULE_US_PRESENCE, 0,
			  "the expert is not known to live in the US, work for a US company or have a US bank account: %s %s unknown",
			  unknown, nunknown == 1 ? "is" : "are");
}

int
iq_eligibility_validate(const IqExpert *expert, IqDate as_of,
						IqViolationSink sink, void *arg)
{
	IqReporter	reporter = {sink, arg, 0};
	char		as_of_text[IQ_DATE_BUFLEN];

	iq_date_to_text(as_of, as_of_text);
	check_certifications(&reporter, expert, as_of, as_of_text);
	check_age(&reporter, expert, as_of, as_of_text);
	check_us_presence(&reporter, expert);

	if (expert->has_us_tin == IQ_FACT_FALSE)
		iq_report(&reporter, IQ_RULE_US_TIN, 0,
				  "the expert has no US taxpayer identification number");
	else if (expert->has_us_tin == IQ_FACT_UNKNOWN)
		iq_report(&reporter, IQ_RULE_US_TIN, 0,
				  "whether the expert has a US taxpayer identification number is unknown");

	if (expert->is_amazon_employee == IQ_FACT_TRUE)
		iq_report(&reporter, IQ_RULE_AMAZON_EMPLOYEE, 0,
				  "the expert is an Amazon or AWS employee, who may not take part");
	else if (expert->is_amazon_employee == IQ_FACT_UNKNOWN)
		iq_report(&reporter, IQ_RULE_AMAZON_EMPLOYEE, 0,
				  "whether the expert is an Amazon or AWS employee is unknown");

	return reporter.count;
}
