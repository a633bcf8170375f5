/*
 * test_installment.c
 *		Unit tests for installment.c.
 *
 * Expected invoice dates were checked against PostgreSQL's
 * first_invoice_date + (k - 1) * frequency.
 */
#include "unit.h"
#include "installment.h"

#define PLAN_TEXT_LEN	4096
#define MAX_POSITIONS	100

static IqDate
ymd(int year, int month, int day)
{
	return iq_ymd_to_date(year, month, day);
}

static IqFrequency
frequency(int32_t months, int32_t days)
{
	IqFrequency f = {months, days};

	return f;
}

/* "2024-01-31 33.34, 2024-02-29 33.33": a whole plan in one comparable string */
static const char *
plan_text(const IqInstallment *plan, int n)
{
	static char text[PLAN_TEXT_LEN];
	size_t		length = 0;

	text[0] = '\0';
	for (int i = 0; i < n; i++)
	{
		char		date[IQ_DATE_BUFLEN];
		char		cents[IQ_CENTS_BUFLEN];

		iq_date_to_text(plan[i].invoice_date, date);
		iq_cents_to_text(plan[i].units, cents);
		length += (size_t) snprintf(text + length, sizeof(text) - length, "%s%s %s",
									i > 0 ? ", " : "", date, cents);
	}
	return text;
}

static int64_t
plan_sum(const IqInstallment *plan, int n)
{
	int64_t		sum = 0;

	for (int i = 0; i < n; i++)
		sum += plan[i].units;
	return sum;
}

#define CHECK_PLAN(total, payments, first, freq, has_initial, initial, expected) \
	do { \
		IqInstallment p_[IQ_MAX_PAYMENTS]; \
		CHECK_INT(iq_plan_generate((total), (payments), (first), (freq), \
								   (has_initial), (initial), p_), IQ_PLAN_OK); \
		CHECK_STR(plan_text(p_, (payments)), (expected)); \
	} while (0)

/* a failing call must leave out untouched */
#define CHECK_PLAN_FAILS(total, payments, first, freq, has_initial, initial, status) \
	do { \
		IqInstallment p_[IQ_MAX_PAYMENTS]; \
		memset(p_, 0x5a, sizeof(p_)); \
		CHECK_INT(iq_plan_generate((total), (payments), (first), (freq), \
								   (has_initial), (initial), p_), (status)); \
		CHECK_INT(p_[0].units, INT64_C(0x5a5a5a5a5a5a5a5a)); \
		CHECK_INT(p_[0].invoice_date, (IqDate) 0x5a5a5a5a); \
	} while (0)

static void
test_generate_split(void)
{
	IqDate		jan31 = ymd(2024, 1, 31);
	IqInstallment plan[IQ_MAX_PAYMENTS];

	/* the documented example: month ends are clamped, never drift */
	CHECK_PLAN(10000, 4, jan31, frequency(1, 0), false, 0,
			   "2024-01-31 25.00, 2024-02-29 25.00, 2024-03-31 25.00, 2024-04-30 25.00");
	/* the cents that do not divide go to the earliest installments */
	CHECK_PLAN(10000, 3, jan31, frequency(1, 0), false, 0,
			   "2024-01-31 33.34, 2024-02-29 33.33, 2024-03-31 33.33");
	CHECK_PLAN(10001, 3, jan31, frequency(1, 0), false, 0,
			   "2024-01-31 33.34, 2024-02-29 33.34, 2024-03-31 33.33");
	CHECK_PLAN(2, 3, jan31, frequency(1, 0), false, 0,
			   "2024-01-31 0.01, 2024-02-29 0.01, 2024-03-31 0.00");
	CHECK_PLAN(0, 3, jan31, frequency(1, 0), false, 0,
			   "2024-01-31 0.00, 2024-02-29 0.00, 2024-03-31 0.00");
	CHECK_PLAN(123456, 1, jan31, frequency(1, 0), false, 0, "2024-01-31 1234.56");

	/* 60 payments: 1000.00 is 40 of 16.67 and 20 of 16.66 */
	CHECK_INT(iq_plan_generate(100000, 60, jan31, frequency(1, 0), false, 0, plan),
			  IQ_PLAN_OK);
	CHECK_INT(plan[0].units, 1667);
	CHECK_INT(plan[39].units, 1667);
	CHECK_INT(plan[40].units, 1666);
	CHECK_INT(plan[59].units, 1666);
	CHECK_INT(plan_sum(plan, 60), 100000);
	CHECK_STR(plan_text(plan + 59, 1), "2028-12-31 16.66");

	/* the largest total still splits exactly */
	CHECK_INT(iq_plan_generate(IQ_MAX_CENTS, 60, jan31, frequency(1, 0), false, 0, plan),
			  IQ_PLAN_OK);
	CHECK_INT(plan[0].units, INT64_C(1666666666666667));
	CHECK_INT(plan[38].units, INT64_C(1666666666666667));
	CHECK_INT(plan[39].units, INT64_C(1666666666666666));
	CHECK_INT(plan[59].units, INT64_C(1666666666666666));
	CHECK_INT(plan_sum(plan, 60), IQ_MAX_CENTS);
	CHECK_PLAN(IQ_MAX_CENTS, 1, jan31, frequency(1, 0), false, 0,
			   "2024-01-31 999999999999999.99");
}

static void
test_generate_initial(void)
{
	IqDate		first = ymd(2024, 3, 15);
	IqInstallment plan[IQ_MAX_PAYMENTS];

	/* the rest after the initial payment is split like a plain total */
	CHECK_PLAN(100000, 4, first, frequency(1, 0), true, 25001,
			   "2024-03-15 250.01, 2024-04-15 250.00, 2024-05-15 250.00, 2024-06-15 249.99");
	CHECK_PLAN(10000, 3, first, frequency(1, 0), true, 0,
			   "2024-03-15 0.00, 2024-04-15 50.00, 2024-05-15 50.00");
	CHECK_PLAN(10000, 3, first, frequency(1, 0), true, 10000,
			   "2024-03-15 100.00, 2024-04-15 0.00, 2024-05-15 0.00");
	CHECK_PLAN(1, 2, first, frequency(1, 0), true, 1,
			   "2024-03-15 0.01, 2024-04-15 0.00");
	CHECK_PLAN(1, 2, first, frequency(1, 0), true, 0,
			   "2024-03-15 0.00, 2024-04-15 0.01");
	CHECK_PLAN(0, 2, first, frequency(1, 0), true, 0,
			   "2024-03-15 0.00, 2024-04-15 0.00");
	CHECK_PLAN(10000, 1, first, frequency(1, 0), true, 10000, "2024-03-15 100.00");

	/* an initial payment with the largest remainder over 59 */
	CHECK_INT(iq_plan_generate(IQ_MAX_CENTS, 60, first, frequency(1, 0), true, 1, plan),
			  IQ_PLAN_OK);
	CHECK_INT(plan[0].units, 1);
	CHECK_INT(plan[1].units, INT64_C(1694915254237289));
	CHECK_INT(plan[59].units, INT64_C(1694915254237288));
	CHECK_INT(plan_sum(plan, 60), IQ_MAX_CENTS);

	CHECK_PLAN_FAILS(10000, 3, first, frequency(1, 0), true, 10001,
					 IQ_PLAN_INITIAL_EXCEEDS_TOTAL);
	CHECK_PLAN_FAILS(0, 3, first, frequency(1, 0), true, 1,
					 IQ_PLAN_INITIAL_EXCEEDS_TOTAL);
	CHECK_PLAN_FAILS(10000, 1, first, frequency(1, 0), true, 10001,
					 IQ_PLAN_INITIAL_EXCEEDS_TOTAL);
	CHECK_PLAN_FAILS(10000, 1, first, frequency(1, 0), true, 9999,
					 IQ_PLAN_INITIAL_NOT_TOTAL);
	CHECK_PLAN_FAILS(10000, 1, first, frequency(1, 0), true, 0,
					 IQ_PLAN_INITIAL_NOT_TOTAL);
}

static void
test_generate_frequency(void)
{
	CHECK_PLAN(400, 4, ymd(2024, 11, 30), frequency(3, 0), false, 0,
			   "2024-11-30 1.00, 2025-02-28 1.00, 2025-05-30 1.00, 2025-08-30 1.00");
	CHECK_PLAN(500, 5, ymd(2024, 2, 29), frequency(12, 0), false, 0,
			   "2024-02-29 1.00, 2025-02-28 1.00, 2026-02-28 1.00, 2027-02-28 1.00, "
			   "2028-02-29 1.00");
	CHECK_PLAN(300, 3, ymd(2024, 2, 20), frequency(0, 14), false, 0,
			   "2024-02-20 1.00, 2024-03-05 1.00, 2024-03-19 1.00");
	CHECK_PLAN(200, 2, ymd(2023, 12, 31), frequency(0, 1), false, 0,
			   "2023-12-31 1.00, 2024-01-01 1.00");
	/* months first, then days, both multiplied by k - 1 */
	CHECK_PLAN(400, 4, ymd(2024, 1, 31), frequency(1, 1), false, 0,
			   "2024-01-31 1.00, 2024-03-01 1.00, 2024-04-02 1.00, 2024-05-03 1.00");
	CHECK_PLAN(400, 4, ymd(2024, 1, 31), frequency(2, 10), false, 0,
			   "2024-01-31 1.00, 2024-04-10 1.00, 2024-06-20 1.00, 2024-08-30 1.00");
	/* BC dates are ordinary dates */
	CHECK_PLAN(300, 3, ymd(0, 12, 31), frequency(2, 0), false, 0,
			   "0001-12-31 BC 1.00, 0001-02-28 1.00, 0001-04-30 1.00");

	CHECK_PLAN_FAILS(100, 2, 0, frequency(0, 0), false, 0, IQ_PLAN_BAD_FREQUENCY);
	CHECK_PLAN_FAILS(100, 2, 0, frequency(-1, 30), false, 0, IQ_PLAN_BAD_FREQUENCY);
	CHECK_PLAN_FAILS(100, 2, 0, frequency(1, -1), false, 0, IQ_PLAN_BAD_FREQUENCY);
	CHECK_PLAN_FAILS(100, 2, 0, frequency(INT32_MIN, INT32_MIN), false, 0,
					 IQ_PLAN_BAD_FREQUENCY);
	/* even a single payment needs a valid frequency */
	CHECK_PLAN_FAILS(100, 1, 0, frequency(0, 0), false, 0, IQ_PLAN_BAD_FREQUENCY);
}

static void
test_generate_limits(void)
{
	IqDate		first = ymd(2024, 1, 1);

	CHECK_PLAN_FAILS(100, 0, first, frequency(1, 0), false, 0, IQ_PLAN_BAD_COUNT);
	CHECK_PLAN_FAILS(100, 61, first, frequency(1, 0), false, 0, IQ_PLAN_BAD_COUNT);
	CHECK_PLAN_FAILS(100, -1, first, frequency(1, 0), false, 0, IQ_PLAN_BAD_COUNT);
	CHECK_PLAN_FAILS(100, INT32_MAX, first, frequency(1, 0), false, 0, IQ_PLAN_BAD_COUNT);
	CHECK_PLAN_FAILS(100, INT32_MIN, first, frequency(1, 0), true, 0, IQ_PLAN_BAD_COUNT);

	CHECK_PLAN_FAILS(100, 2, IQ_DATE_NOEND, frequency(1, 0), false, 0,
					 IQ_PLAN_FIRST_DATE_INFINITE);
	CHECK_PLAN_FAILS(100, 1, IQ_DATE_NOBEGIN, frequency(1, 0), false, 0,
					 IQ_PLAN_FIRST_DATE_INFINITE);

	/* the last valid day can be reached, not passed */
	CHECK_PLAN(300, 3, ymd(5874897, 10, 31), frequency(1, 0), false, 0,
			   "5874897-10-31 1.00, 5874897-11-30 1.00, 5874897-12-31 1.00");
	CHECK_PLAN_FAILS(400, 4, ymd(5874897, 10, 31), frequency(1, 0), false, 0,
					 IQ_PLAN_DATE_OUT_OF_RANGE);
	CHECK_PLAN_FAILS(200, 2, ymd(5874897, 12, 31), frequency(0, 1), false, 0,
					 IQ_PLAN_DATE_OUT_OF_RANGE);
	CHECK_PLAN_FAILS(200, 2, 0, frequency(0, INT32_MAX), false, 0,
					 IQ_PLAN_DATE_OUT_OF_RANGE);
	CHECK_PLAN_FAILS(6000, 60, 0, frequency(INT32_MAX, INT32_MAX), false, 0,
					 IQ_PLAN_DATE_OUT_OF_RANGE);
	CHECK_PLAN_FAILS(100, 1, ymd(5874898, 1, 1), frequency(1, 0), false, 0,
					 IQ_PLAN_DATE_OUT_OF_RANGE);
	CHECK_PLAN(200, 2, ymd(2024, 1, 1), frequency(0, 2145031948 - 8766), false, 0,
			   "2024-01-01 1.00, 5874897-12-31 1.00");

	/* the statuses come in the order of the enum */
	CHECK_PLAN_FAILS(100, 0, IQ_DATE_NOEND, frequency(0, 0), true, 101, IQ_PLAN_BAD_COUNT);
	CHECK_PLAN_FAILS(100, 2, IQ_DATE_NOEND, frequency(0, 0), true, 101,
					 IQ_PLAN_BAD_FREQUENCY);
	CHECK_PLAN_FAILS(100, 2, IQ_DATE_NOEND, frequency(1, 0), true, 101,
					 IQ_PLAN_FIRST_DATE_INFINITE);
	CHECK_PLAN_FAILS(100, 2, ymd(5874897, 12, 1), frequency(1, 0), true, 101,
					 IQ_PLAN_DATE_OUT_OF_RANGE);
}

/* ---- validation ---- */

/* A plan under test; plan_init makes it a valid monthly plan of 100.00 each. */
typedef struct Plan
{
	int			ndates;
	int			namounts;
	IqPlanDate	dates[MAX_POSITIONS];
	IqListedAmount amounts[MAX_POSITIONS];
	IqPlanTotal total;
	IqTerm		term;
	bool		has_acceptance;
	IqDate		acceptance;
	const IqCurrency *currency;
	bool		show_values;
} Plan;

static void
plan_init(Plan *plan, int n, IqDate first)
{
	memset(plan, 0, sizeof(*plan));
	plan->currency = &iq_currency_usd;
	plan->show_values = true;
	plan->ndates = plan->namounts = n;
	for (int i = 0; i < MAX_POSITIONS; i++)
	{
		iq_date_add_months(first, i, &plan->dates[i].date);
		plan->amounts[i].cents = 10000;
	}
	plan->total.matches = true;
	plan->total.total_units = 10000 * (int64_t) n;
	plan->total.sum_text = "unused";
	plan->term.lower = first;
	plan->term.upper_inf = true;
	plan->has_acceptance = true;
	plan->acceptance = first;
}

static void
set_amount(Plan *plan, int installment, bool negative, bool subcent, const char *text)
{
	plan->amounts[installment - 1].negative = negative;
	plan->amounts[installment - 1].subcent = subcent;
	plan->amounts[installment - 1].text = text;
}

static int
validate(const Plan *plan, Captured *captured)
{
	int			n;

	memset(captured, 0, sizeof(*captured));
	n = iq_plan_validate(plan->dates, plan->ndates, plan->amounts, plan->namounts,
						 &plan->total, &plan->term, plan->has_acceptance,
						 plan->acceptance, plan->currency, plan->show_values, capture,
						 captured);
	CHECK_INT(n, captured->count);
	return n;
}


static void
test_validate_count_and_length(void)
{
	Plan		plan;
	Captured	c;

	plan_init(&plan, 3, ymd(2024, 1, 1));
	CHECK_INT(validate(&plan, &c), 0);
	plan_init(&plan, 1, ymd(2024, 1, 1));
	CHECK_INT(validate(&plan, &c), 0);
	plan_init(&plan, 60, ymd(2024, 1, 1));
	CHECK_INT(validate(&plan, &c), 0);

	plan_init(&plan, 61, ymd(2024, 1, 1));
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_PAYMENT_COUNT, 0,
					"the plan has 61 invoice dates; at most 60 are allowed");

	plan_init(&plan, 0, ymd(2024, 1, 1));
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_PAYMENT_COUNT, 0,
					"the plan has no invoice dates; at least 1 is required");

	/* the missing counterpart is length_mismatch alone, not a NULL */
	plan_init(&plan, 12, ymd(2024, 1, 1));
	plan.namounts = 11;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_LENGTH_MISMATCH, 0,
					"there are 12 invoice dates but 11 amounts");

	plan_init(&plan, 2, ymd(2024, 1, 1));
	plan.ndates = 1;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_LENGTH_MISMATCH, 0,
					"there is 1 invoice date but 2 amounts");

	plan_init(&plan, 1, ymd(2024, 1, 1));
	plan.ndates = 3;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_LENGTH_MISMATCH, 0,
					"there are 3 invoice dates but 1 amount");

	plan_init(&plan, 2, ymd(2024, 1, 1));
	plan.ndates = 0;
	CHECK_INT(validate(&plan, &c), 2);
	CHECK_VIOLATION(c, 0, IQ_RULE_PAYMENT_COUNT, 0,
					"the plan has no invoice dates; at least 1 is required");
	CHECK_VIOLATION(c, 1, IQ_RULE_LENGTH_MISMATCH, 0,
					"there are 0 invoice dates but 2 amounts");

	/* the checks past the shorter array still run on the longer one */
	plan_init(&plan, 3, ymd(2024, 1, 1));
	plan.namounts = 1;
	plan.dates[2].isnull = true;
	plan.term.upper_inf = false;
	plan.term.upper = ymd(2024, 2, 1);
	CHECK_INT(validate(&plan, &c), 3);
	CHECK_VIOLATION(c, 0, IQ_RULE_LENGTH_MISMATCH, 0,
					"there are 3 invoice dates but 1 amount");
	CHECK_VIOLATION(c, 1, IQ_RULE_AFTER_CONTRACT_END, 2,
					"installment 2 invoice date 2024-02-01 is after the contract term, "
					"which ends 2024-01-31");
	CHECK_VIOLATION(c, 2, IQ_RULE_NULL_VALUE, 3, "installment 3 has no invoice date");
}

static void
test_validate_values(void)
{
	Plan		plan;
	Captured	c;

	plan_init(&plan, 4, ymd(2024, 1, 1));
	plan.dates[2].isnull = true;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_NULL_VALUE, 3, "installment 3 has no invoice date");

	plan_init(&plan, 4, ymd(2024, 1, 1));
	plan.amounts[2].isnull = true;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_NULL_VALUE, 3, "installment 3 has no amount");

	/* one violation for an installment with neither */
	plan_init(&plan, 4, ymd(2024, 1, 1));
	plan.dates[3].isnull = true;
	plan.amounts[3].isnull = true;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_NULL_VALUE, 4,
					"installment 4 has no invoice date and no amount");

	/* NULL dates are not duplicates of each other, nor backdated */
	plan_init(&plan, 4, ymd(2024, 1, 1));
	plan.dates[1].isnull = true;
	plan.dates[2].isnull = true;
	plan.acceptance = ymd(2030, 1, 1);
	CHECK_INT(validate(&plan, &c), 3);
	CHECK_VIOLATION(c, 0, IQ_RULE_NULL_VALUE, 2, "installment 2 has no invoice date");
	CHECK_VIOLATION(c, 1, IQ_RULE_NULL_VALUE, 3, "installment 3 has no invoice date");
	CHECK_VIOLATION(c, 2, IQ_RULE_BACKDATED_INVOICES, 0,
					"2 invoice dates (installments 1, 4) are before the acceptance date "
					"2030-01-01; at most 1 may be");

	plan_init(&plan, 3, ymd(2024, 1, 1));
	set_amount(&plan, 2, true, false, "-5.00");
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_NEGATIVE_AMOUNT, 2, "installment 2 amount -5.00 is negative");

	plan_init(&plan, 4, ymd(2024, 1, 1));
	set_amount(&plan, 4, false, true, "10.005");
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_AMOUNT_PRECISION, 4,
					"installment 4 amount 10.005 has more than two decimal places");

	/* an amount can break both amount rules */
	plan_init(&plan, 2, ymd(2024, 1, 1));
	set_amount(&plan, 2, true, true, "-0.005");
	CHECK_INT(validate(&plan, &c), 2);
	CHECK_VIOLATION(c, 0, IQ_RULE_NEGATIVE_AMOUNT, 2, "installment 2 amount -0.005 is negative");
	CHECK_VIOLATION(c, 1, IQ_RULE_AMOUNT_PRECISION, 2,
					"installment 2 amount -0.005 has more than two decimal places");

	/* a NULL amount has no status to report */
	plan_init(&plan, 2, ymd(2024, 1, 1));
	set_amount(&plan, 1, true, false, "-1");
	plan.amounts[0].isnull = true;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_NULL_VALUE, 1, "installment 1 has no amount");

	plan_init(&plan, 3, ymd(2024, 1, 1));
	plan.total.matches = false;
	plan.total.total_units = 100000;
	plan.total.sum_text = "999.99";
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_TOTAL_MISMATCH, 0,
					"the amounts add up to 999.99, not the contract total 1000.00");
}

static void
test_validate_dates(void)
{
	Plan		plan;
	Captured	c;

	plan_init(&plan, 6, ymd(2024, 1, 1));
	plan.dates[4].date = ymd(2024, 2, 1);
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_DUPLICATE_INVOICE_DATE, 5,
					"installment 5 invoice date 2024-02-01 repeats installment 2");

	/* every later copy names the first installment with the date */
	plan.dates[5].date = ymd(2024, 2, 1);
	CHECK_INT(validate(&plan, &c), 2);
	CHECK_VIOLATION(c, 0, IQ_RULE_DUPLICATE_INVOICE_DATE, 5,
					"installment 5 invoice date 2024-02-01 repeats installment 2");
	CHECK_VIOLATION(c, 1, IQ_RULE_DUPLICATE_INVOICE_DATE, 6,
					"installment 6 invoice date 2024-02-01 repeats installment 2");

	/* the term's last day is accepted, the day after it is not */
	plan_init(&plan, 3, ymd(2025, 12, 31));
	plan.term.lower = ymd(2024, 2, 1);
	plan.term.upper_inf = false;
	plan.term.upper = ymd(2026, 2, 1);
	plan.dates[1].date = ymd(2026, 1, 31);
	plan.dates[2].date = ymd(2026, 2, 1);
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_AFTER_CONTRACT_END, 3,
					"installment 3 invoice date 2026-02-01 is after the contract term, "
					"which ends 2026-01-31");

	/* 'infinity' is after any finite end, and inside an unbounded term */
	plan.dates[2].date = IQ_DATE_NOEND;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_AFTER_CONTRACT_END, 3,
					"installment 3 invoice date infinity is after the contract term, "
					"which ends 2026-01-31");
	plan.term.upper_inf = true;
	CHECK_INT(validate(&plan, &c), 0);

	/* a term bounded by 'infinity' ends there; even -infinity cannot overflow */
	plan.term.upper_inf = false;
	plan.term.upper = IQ_DATE_NOEND;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_AFTER_CONTRACT_END, 3,
					"installment 3 invoice date infinity is after the contract term, "
					"which ends infinity");
	plan.term.upper = IQ_DATE_NOBEGIN;
	CHECK_INT(validate(&plan, &c), 3);
	CHECK_VIOLATION(c, 0, IQ_RULE_AFTER_CONTRACT_END, 1,
					"installment 1 invoice date 2025-12-31 is after the contract term, "
					"which ends -infinity");
}

static void
test_validate_backdated(void)
{
	Plan		plan;
	Captured	c;

	/* one date before acceptance is allowed, a date on it is not backdated */
	plan_init(&plan, 3, ymd(2024, 1, 1));
	plan.acceptance = ymd(2024, 2, 1);
	CHECK_INT(validate(&plan, &c), 0);

	plan.acceptance = ymd(2024, 3, 1);
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_BACKDATED_INVOICES, 0,
					"2 invoice dates (installments 1, 2) are before the acceptance date "
					"2024-03-01; at most 1 may be");

	plan.acceptance = ymd(2024, 3, 2);
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_BACKDATED_INVOICES, 0,
					"3 invoice dates (installments 1, 2, 3) are before the acceptance "
					"date 2024-03-02; at most 1 may be");

	/* acceptance, when given, wins over the term's start */
	plan.term.lower = ymd(2025, 1, 1);
	plan.acceptance = ymd(2024, 1, 2);
	CHECK_INT(validate(&plan, &c), 0);

	/* without acceptance the term's first day is the reference */
	plan.has_acceptance = false;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_BACKDATED_INVOICES, 0,
					"3 invoice dates (installments 1, 2, 3) are before the contract start "
					"2025-01-01; at most 1 may be");
	plan.term.lower = ymd(2024, 2, 1);
	CHECK_INT(validate(&plan, &c), 0);
	plan.term.lower = ymd(2024, 3, 1);
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_BACKDATED_INVOICES, 0,
					"2 invoice dates (installments 1, 2) are before the contract start "
					"2024-03-01; at most 1 may be");

	/* and with neither, nothing is backdated, not even -infinity */
	plan.term.lower_inf = true;
	plan.dates[0].date = IQ_DATE_NOBEGIN;
	CHECK_INT(validate(&plan, &c), 0);

	/* a list that does not fit ends with an ellipsis, within the limit */
	plan_init(&plan, 60, ymd(2024, 1, 1));
	plan.acceptance = ymd(2030, 1, 1);
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_BACKDATED_INVOICES, 0,
					"60 invoice dates (installments 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, "
					"12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, "
					"29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, ...) are "
					"before the acceptance date 2030-01-01; at most 1 may be");

	/* 43 numbers just fit; with a 44th, room is kept for the ellipsis */
	plan.ndates = plan.namounts = 43;
	plan.total.total_units = 430000;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_BACKDATED_INVOICES, 0,
					"43 invoice dates (installments 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, "
					"12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, "
					"29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43) are "
					"before the acceptance date 2030-01-01; at most 1 may be");
	CHECK_INT(strlen(c.violations[0].message), IQ_MESSAGE_LEN - 3);
	plan.ndates = plan.namounts = 44;
	plan.total.total_units = 440000;
	CHECK_INT(validate(&plan, &c), 1);
	CHECK_VIOLATION(c, 0, IQ_RULE_BACKDATED_INVOICES, 0,
					"44 invoice dates (installments 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, "
					"12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, "
					"29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, ...) are "
					"before the acceptance date 2030-01-01; at most 1 may be");
}

/* for a reader who may not see them, messages carry no dates or amounts */
static void
test_validate_hidden_values(void)
{
	Plan		plan;
	Captured	c;

	plan_init(&plan, 4, ymd(2024, 1, 1));
	plan.show_values = false;
	plan.dates[1].date = ymd(2024, 1, 1);
	plan.amounts[2].negative = true;
	plan.amounts[2].subcent = true;
	plan.amounts[2].text = NULL;
	plan.term.upper_inf = false;
	plan.term.upper = ymd(2024, 4, 1);
	plan.total.matches = false;
	plan.total.sum_text = "399.995";
	plan.acceptance = ymd(2024, 12, 1);
	CHECK_INT(validate(&plan, &c), 6);
	CHECK_VIOLATION(c, 0, IQ_RULE_DUPLICATE_INVOICE_DATE, 2,
					"installment 2 invoice date repeats installment 1");
	CHECK_VIOLATION(c, 1, IQ_RULE_NEGATIVE_AMOUNT, 3,
					"installment 3 amount is negative");
	CHECK_VIOLATION(c, 2, IQ_RULE_AMOUNT_PRECISION, 3,
					"installment 3 amount has more than two decimal places");
	CHECK_VIOLATION(c, 3, IQ_RULE_AFTER_CONTRACT_END, 4,
					"installment 4 invoice date is after the contract term");
	CHECK_VIOLATION(c, 4, IQ_RULE_TOTAL_MISMATCH, 0,
					"the amounts do not add up to the contract total");
	CHECK_VIOLATION(c, 5, IQ_RULE_BACKDATED_INVOICES, 0,
					"4 invoice dates (installments 1, 2, 3, 4) are before the acceptance "
					"date; at most 1 may be");
}

/* many violations at once come plan-wide, installment by installment, plan-wide */
static void
test_validate_order(void)
{
	Plan		plan;
	Captured	c;

	plan_init(&plan, 62, ymd(2024, 1, 1));
	plan.namounts = 61;
	plan.term.lower = ymd(2024, 1, 1);
	plan.term.upper_inf = false;
	plan.term.upper = ymd(2028, 1, 1);
	plan.acceptance = ymd(2024, 2, 2);
	plan.dates[1].date = ymd(2023, 12, 1);
	plan.dates[2].isnull = true;
	set_amount(&plan, 3, true, false, "-0.01");
	plan.dates[3].date = ymd(2024, 1, 1);
	set_amount(&plan, 4, false, true, "0.001");
	plan.dates[4].date = ymd(2030, 1, 1);
	plan.amounts[4].isnull = true;
	plan.dates[5].date = ymd(2030, 1, 1);
	plan.total.matches = false;
	plan.total.total_units = 620000;
	plan.total.sum_text = "5899.99";

	/* installments 49 .. 62 fall in 2028 or later */
	CHECK_INT(validate(&plan, &c), 2 + 8 + 14 + 2);
	CHECK_VIOLATION(c, 0, IQ_RULE_PAYMENT_COUNT, 0,
					"the plan has 62 invoice dates; at most 60 are allowed");
	CHECK_VIOLATION(c, 1, IQ_RULE_LENGTH_MISMATCH, 0,
					"there are 62 invoice dates but 61 amounts");
	CHECK_VIOLATION(c, 2, IQ_RULE_NULL_VALUE, 3, "installment 3 has no invoice date");
	CHECK_VIOLATION(c, 3, IQ_RULE_NEGATIVE_AMOUNT, 3, "installment 3 amount -0.01 is negative");
	CHECK_VIOLATION(c, 4, IQ_RULE_AMOUNT_PRECISION, 4,
					"installment 4 amount 0.001 has more than two decimal places");
	CHECK_VIOLATION(c, 5, IQ_RULE_DUPLICATE_INVOICE_DATE, 4,
					"installment 4 invoice date 2024-01-01 repeats installment 1");
	CHECK_VIOLATION(c, 6, IQ_RULE_NULL_VALUE, 5, "installment 5 has no amount");
	CHECK_VIOLATION(c, 7, IQ_RULE_AFTER_CONTRACT_END, 5,
					"installment 5 invoice date 2030-01-01 is after the contract term, "
					"which ends 2027-12-31");
	CHECK_VIOLATION(c, 8, IQ_RULE_DUPLICATE_INVOICE_DATE, 6,
					"installment 6 invoice date 2030-01-01 repeats installment 5");
	CHECK_VIOLATION(c, 9, IQ_RULE_AFTER_CONTRACT_END, 6,
					"installment 6 invoice date 2030-01-01 is after the contract term, "
					"which ends 2027-12-31");
	CHECK_VIOLATION(c, 10, IQ_RULE_AFTER_CONTRACT_END, 49,
					"installment 49 invoice date 2028-01-01 is after the contract term, "
					"which ends 2027-12-31");
	CHECK_VIOLATION(c, 21, IQ_RULE_AFTER_CONTRACT_END, 60,
					"installment 60 invoice date 2028-12-01 is after the contract term, "
					"which ends 2027-12-31");
	CHECK_VIOLATION(c, 23, IQ_RULE_AFTER_CONTRACT_END, 62,
					"installment 62 invoice date 2029-02-01 is after the contract term, "
					"which ends 2027-12-31");
	CHECK_VIOLATION(c, 24, IQ_RULE_TOTAL_MISMATCH, 0,
					"the amounts add up to 5899.99, not the contract total 6200.00");
	CHECK_VIOLATION(c, 25, IQ_RULE_BACKDATED_INVOICES, 0,
					"3 invoice dates (installments 1, 2, 4) are before the acceptance date "
					"2024-02-02; at most 1 may be");
}

/* ---- randomized: every generated plan is exact and valid ---- */

static uint64_t random_state = UINT64_C(0x9e3779b97f4a7c15);

/* xorshift64 from a fixed start, so a failure always reproduces */
static uint64_t
next_random(void)
{
	random_state ^= random_state << 13;
	random_state ^= random_state >> 7;
	random_state ^= random_state << 17;
	return random_state;
}

/* 0 .. bound - 1; the modulo bias does not matter here */
static int64_t
random_below(int64_t bound)
{
	return (int64_t) (next_random() % (uint64_t) bound);
}

static void
test_random_plans(void)
{
	static const int64_t scales[] = {2, 100, 100000, INT64_C(10000000000), IQ_MAX_CENTS + 1};
	int			not_ok = 0,
				not_exact = 0,
				not_increasing = 0,
				not_equal = 0,
				not_initial = 0,
				not_calendar = 0,
				not_valid = 0;

	for (int iteration = 0; iteration < 20000; iteration++)
	{
		IqInstallment out[IQ_MAX_PAYMENTS];
		IqPlanDate	dates[IQ_MAX_PAYMENTS];
		IqListedAmount amounts[IQ_MAX_PAYMENTS];
		IqPlanTotal total;
		IqTerm		term;
		Captured	c = {0};
		int			payments = 1 + (int) random_below(IQ_MAX_PAYMENTS);
		int64_t		total_cents = random_below(scales[random_below(5)]);
		IqDate		first = ymd(1900, 1, 1) + (IqDate) random_below(200000);
		IqFrequency f = frequency(0, 0);
		bool		has_initial = random_below(2) == 0;
		int64_t		initial = payments == 1 ? total_cents : random_below(total_cents + 1);
		int			split_from = has_initial ? 1 : 0;
		int64_t		low = INT64_MAX,
					high = 0;
		int			first_year,
					first_month,
					first_day;

		switch (random_below(3))
		{
			case 0:
				f.months = 1 + (int32_t) random_below(24);
				break;
			case 1:
				f.days = 1 + (int32_t) random_below(400);
				break;
			default:
				f.months = 1 + (int32_t) random_below(12);
				f.days = 1 + (int32_t) random_below(40);
				break;
		}

		if (iq_plan_generate(total_cents, payments, first, f, has_initial, initial, out)
			!= IQ_PLAN_OK)
		{
			not_ok++;
			continue;
		}

		if (plan_sum(out, payments) != total_cents)
			not_exact++;
		if (has_initial && out[0].units != initial)
			not_initial++;
		for (int i = 0; i < payments; i++)
		{
			if (i > 0 && out[i].invoice_date <= out[i - 1].invoice_date)
				not_increasing++;
			if (i >= split_from)
			{
				/* shares never grow: the extra cents come first */
				if (out[i].units > low)
					not_equal++;
				if (out[i].units < low)
					low = out[i].units;
				if (out[i].units > high)
					high = out[i].units;
			}
		}
		if (payments > split_from && (high - low > 1 || low < 0))
			not_equal++;

		/* the same day of month (or the month's last day), then the days */
		iq_date_to_ymd(first, &first_year, &first_month, &first_day);
		for (int i = 0; i < payments; i++)
		{
			int			index = first_year * 12 + first_month - 1 + i * f.months;
			int			year = index / 12;
			int			month = index % 12 + 1;
			int			last = iq_ymd_to_date(year + month / 12, month % 12 + 1, 1) -
			iq_ymd_to_date(year, month, 1);
			IqDate		expected =
			iq_ymd_to_date(year, month, first_day < last ? first_day : last) +
			i * f.days;

			if (out[i].invoice_date != expected)
				not_calendar++;
		}

		/* a term that just covers the plan; one date may precede acceptance */
		for (int i = 0; i < payments; i++)
		{
			dates[i].isnull = false;
			dates[i].date = out[i].invoice_date;
			amounts[i].isnull = false;
			amounts[i].negative = amounts[i].subcent = false;
			amounts[i].cents = out[i].units;
			amounts[i].text = NULL;
		}
		total.matches = true;
		total.total_units = total_cents;
		total.sum_text = NULL;
		term.lower_inf = false;
		term.lower = first;
		term.upper_inf = false;
		term.upper = out[payments - 1].invoice_date + 1;
		if (iq_plan_validate(dates, payments, amounts, payments, &total, &term,
							 random_below(2) == 0, first + (IqDate) random_below(2),
							 &iq_currency_usd, true, capture, &c) != 0)
			not_valid++;
	}

	CHECK_INT(not_ok, 0);
	CHECK_INT(not_exact, 0);
	CHECK_INT(not_increasing, 0);
	CHECK_INT(not_equal, 0);
	CHECK_INT(not_initial, 0);
	CHECK_INT(not_calendar, 0);
	CHECK_INT(not_valid, 0);
}

static void
test_billed_on(void)
{
	IqDate		march = ymd(2025, 3, 5);

	/* an invoice dated before acceptance is raised at acceptance */
	CHECK_INT(iq_installment_billed_on(ymd(2025, 2, 1), march), march);
	CHECK_INT(iq_installment_billed_on(march, march), march);
	CHECK_INT(iq_installment_billed_on(ymd(2025, 4, 1), march), ymd(2025, 4, 1));
	CHECK_INT(iq_installment_billed_on(IQ_DATE_NOBEGIN, march), march);
	CHECK_INT(iq_installment_billed_on(IQ_DATE_NOEND, march), IQ_DATE_NOEND);
	CHECK_INT(iq_installment_billed_on(march, IQ_DATE_NOBEGIN), march);
	CHECK_INT(iq_installment_billed_on(march, IQ_DATE_NOEND), IQ_DATE_NOEND);
}

void
test_installment(void)
{
	test_generate_split();
	test_generate_initial();
	test_generate_frequency();
	test_generate_limits();
	test_validate_count_and_length();
	test_validate_values();
	test_validate_dates();
	test_validate_backdated();
	test_validate_hidden_values();
	test_validate_order();
	test_random_plans();
	test_billed_on();
}
