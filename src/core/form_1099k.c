/*
 * core/form_1099k.c
 *		The Form 1099-K reporting test.
 */
#include "form_1099k.h"

bool
iq_form_1099k_reportable(int64_t gross_cents, int64_t transactions,
						 const IqForm1099kThreshold *threshold)
{
	return gross_cents > threshold->gross_cents &&
		(!threshold->counts_transactions ||
		 transactions > threshold->transactions);
}
