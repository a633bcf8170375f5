/*
 * schedule_freeze.h
 *		The error for a change to an accepted offer's payment schedule,
 *		shared by the freeze triggers and the constraint trigger's check at
 *		commit.
 */
#ifndef IQFEES_SCHEDULE_FREEZE_H
#define IQFEES_SCHEDULE_FREEZE_H

#include "compat.h"

#include "utils/date.h"

/*
 * 55000, naming the offer when offer_text is given; the acceptance date is
 * shown only with show_date (to a user who may read it).  concurrently:
 * another transaction accepted the offer while this one changed it.
 */
extern void iq_refuse_schedule_change(const char *offer_text, DateADT accepted,
									  bool show_date, bool concurrently)
			pg_attribute_noreturn();

#endif							/* IQFEES_SCHEDULE_FREEZE_H */
