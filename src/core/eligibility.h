/*
 * core/eligibility.h
 *		Who may take part in AWS IQ as an expert, in plain C with no server
 *		dependency.
 *
 * The rules (AWS IQ expert FAQ): at least one active AWS certification at
 * the associate, professional or specialty level; 18 or older; living in
 * the US, working for a US company or holding a US bank account; a US
 * taxpayer identification number; not an Amazon or AWS employee.  A fact
 * that is not known proves nothing, so it leaves its rule unmet.
 */
#ifndef IQFEES_CORE_ELIGIBILITY_H
#define IQFEES_CORE_ELIGIBILITY_H

#include "calendar.h"
#include "violation.h"

#define IQ_RULE_ACTIVE_CERTIFICATION	"active_certification"
#define IQ_RULE_MINIMUM_AGE				"minimum_age"
#define IQ_RULE_US_PRESENCE				"us_presence"
#define IQ_RULE_US_TIN					"us_tin"
#define IQ_RULE_AMAZON_EMPLOYEE			"amazon_employee"

#define IQ_MINIMUM_AGE		18

/* A yes/no fact about the expert that may not be known (SQL NULL). */
typedef enum IqFact
{
	IQ_FACT_UNKNOWN = 0,
	IQ_FACT_FALSE,
	IQ_FACT_TRUE
} IqFact;

/* One certification as the caller decoded it; any part may be unknown. */
typedef struct IqCertification
{
	bool		isnull;			/* the whole certification is NULL */
	const char *level;			/* the level's label, e.g. "associate"; NULL
								 * if unknown */
	const char *name;			/* NULL if unknown */
	bool		expiry_known;
	IqDate		expires_on;		/* the last day it is valid; may be infinite */
} IqCertification;

typedef struct IqExpert
{
	bool		certifications_known;	/* false: the list itself is unknown */
	int			ncertifications;
	const IqCertification *certifications;
	bool		birth_date_known;
	IqDate		birth_date;		/* finite */
	IqFact		lives_in_us;
	IqFact		works_for_us_company;
	IqFact		has_us_bank_account;
	IqFact		has_us_tin;
	IqFact		is_amazon_employee;
} IqExpert;

/*
 * true when the certification makes an expert eligible on as_of: its level
 * is associate, professional or specialty, and it expires on as_of or
 * later.  An unknown level or expiry date does not count.
 */
extern bool iq_certification_counts(const IqCertification *certification,
									IqDate as_of);

/*
 * The day a person born on birth_date turns 18, as PostgreSQL computes
 * birth_date + interval '18 years' (a 29 February birthday gives 28
 * February); infinity when that day is past the last valid date.
 */
extern IqDate iq_adult_from(IqDate birth_date);

/*
 * Report every unmet rule to sink, in this order: active_certification
 * (first for the expert as a whole, then, when no certification counts,
 * one for each certification saying why it does not, at its 1-based
 * position), minimum_age, us_presence, us_tin, amazon_employee.  Returns
 * the number of violations reported.
 */
extern int	iq_eligibility_validate(const IqExpert *expert, IqDate as_of,
									IqViolationSink sink, void *arg);

#endif							/* IQFEES_CORE_ELIGIBILITY_H */
