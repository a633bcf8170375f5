/*
 * unit.c
 *		Runs the core's unit tests; prints "N passed, N failed".
 */
#include "unit.h"

int			unit_passed;
int			unit_failed;

void
capture(void *arg, const IqViolation *violation)
{
	Captured   *captured = arg;

	if (captured->count < MAX_CAPTURED)
		captured->violations[captured->count] = *violation;
	captured->count++;
}

int
main(void)
{
	test_money();
	test_currency();
	test_calendar();
	test_installment();
	test_eligibility();
	test_proposal();
	test_instance_hours();
	test_form_1099k();
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed == 0 ? 0 : 1;
}
