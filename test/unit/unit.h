/*
 * unit.h
 *		A minimal harness for the server-independent core's unit tests.
 */
#ifndef IQFEES_UNIT_H
#define IQFEES_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "violation.h"

extern int	unit_passed;
extern int	unit_failed;

#define UNIT_REPORT(ok, fmt, ...) \
	do { \
		if (ok) \
			unit_passed++; \
		else \
		{ \
			unit_failed++; \
			fprintf(stderr, "%s:%d: " fmt "\n", __FILE__, __LINE__, __VA_ARGS__); \
		} \
	} while (0)

#define CHECK(cond) UNIT_REPORT((cond), "check failed: %s", #cond)

#define CHECK_INT(actual, expected) \
	do { \
		int64_t a_ = (int64_t) (actual), e_ = (int64_t) (expected); \
		UNIT_REPORT(a_ == e_, "%s is %" PRId64 ", expected %" PRId64, #actual, a_, e_); \
	} while (0)

#define CHECK_STR(actual, expected) \
	do { \
		const char *a_ = (actual), *e_ = (expected); \
		UNIT_REPORT(strcmp(a_, e_) == 0, "%s is \"%s\", expected \"%s\"", #actual, a_, e_); \
	} while (0)

/* Violations a validation reported, for the checks below. */
#define MAX_CAPTURED	128

typedef struct Captured
{
	int			count;
	IqViolation violations[MAX_CAPTURED];
} Captured;

/* an IqViolationSink into a Captured */
extern void capture(void *arg, const IqViolation *violation);

#define CHECK_VIOLATION(captured, i, rule_, position_, message_) \
	do { \
		const IqViolation *v_ = &(captured).violations[(i)]; \
		CHECK((i) < (captured).count); \
		CHECK_STR(v_->rule, (rule_)); \
		CHECK_INT(v_->position, (position_)); \
		CHECK_STR(v_->message, (message_)); \
	} while (0)

/* one per test file, called from unit.c */
extern void test_money(void);
extern void test_currency(void);
extern void test_calendar(void);
extern void test_installment(void);
extern void test_eligibility(void);
extern void test_proposal(void);
extern void test_instance_hours(void);
extern void test_form_1099k(void);

#endif							/* IQFEES_UNIT_H */
