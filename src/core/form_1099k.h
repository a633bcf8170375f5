/*
 * core/form_1099k.h
 *		Whether a payee's year of payments through a marketplace is reported
 *		on Form 1099-K, in plain C with no server dependency.
 *
 * IRS rules report a payee when the gross amount of the year's payment
 * transactions exceeds a threshold and, in the years that have one, the
 * number of transactions exceeds a count threshold too.  Both tests are
 * "more than": a gross exactly at the threshold is not reported.  The
 * thresholds differ by year; the caller looks up the year's.
 */
#ifndef IQFEES_CORE_FORM_1099K_H
#define IQFEES_CORE_FORM_1099K_H

#include <stdbool.h>
#include <stdint.h>

typedef struct IqForm1099kThreshold
{
	int64_t		gross_cents;	/* reported only above this */
	bool		counts_transactions;	/* false: no count test that year */
	int64_t		transactions;	/* and only above this many, if counted */
} IqForm1099kThreshold;

/* gross_cents >= 0 and transactions >= 0, as the caller checked them */
extern bool iq_form_1099k_reportable(int64_t gross_cents, int64_t transactions,
									 const IqForm1099kThreshold *threshold);

#endif							/* IQFEES_CORE_FORM_1099K_H */
