/*
 * core/violation.h
 *		Rule violations as the validating cores report them, in plain C with
 *		no server dependency: installment plans, expert eligibility and
 *		proposals all report through this one interface.
 */
#ifndef IQFEES_CORE_VIOLATION_H
#define IQFEES_CORE_VIOLATION_H

#include <stdbool.h>
#include <stdint.h>

#include "currency.h"

/* room for any message a core produces; longer ones are cut, not overrun */
#define IQ_MESSAGE_LEN		256

/* the rules every list of amounts shares */
#define IQ_RULE_NULL_VALUE			"null_value"
#define IQ_RULE_NEGATIVE_AMOUNT		"negative_amount"
#define IQ_RULE_AMOUNT_PRECISION	"amount_precision"

typedef struct IqViolation
{
	const char *rule;			/* the rule's name, e.g. "null_value" */
	int			position;		/* 1-based list position; 0 for a rule about
								 * the whole */
	char		message[IQ_MESSAGE_LEN];
} IqViolation;

typedef void (*IqViolationSink) (void *arg, const IqViolation *violation);

/* Where a validation reports to, and how many it reported. */
typedef struct IqReporter
{
	IqViolationSink sink;
	void	   *arg;
	int			count;
} IqReporter;

extern void iq_report(IqReporter *reporter, const char *rule, int position,
					  const char *format,...) __attribute__((format(printf, 4, 5)));

/*
 * One amount of a list (installments, payment requests) as the caller
 * decoded it.  An amount can break both amount rules at once (-0.005); for
 * one that breaks either, the caller gives its text, which the messages
 * quote.  No rule covers an amount too large to hold in cents: the caller
 * raises an error for it instead.
 */
typedef struct IqListedAmount
{
	bool		isnull;
	bool		negative;		/* below zero */
	bool		subcent;		/* a non-zero digit past the minor unit */
	int64_t		cents;			/* minor units (cents for USD); valid when
								 * neither */
	const char *text;			/* when either: the amount, or NULL not to
								 * show it */
} IqListedAmount;

/* true when the amount is a usable number of cents */
extern bool iq_listed_amount_valid(const IqListedAmount *amount);

/*
 * Report negative_amount and amount_precision for a non-NULL amount in
 * currency at a position; subject names it in the messages
 * ("installment", "request").
 */
extern void iq_report_amount_rules(IqReporter *reporter, const IqListedAmount *amount,
								   const char *subject, int position,
								   const IqCurrency *currency);

#endif							/* IQFEES_CORE_VIOLATION_H */
