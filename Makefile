PG_CONFIG ?= pg_config

EXTENSION = iqfees
MODULE_big = iqfees
# the server-free core, then what SQL calls
OBJS = \
	src/core/money.o \
	src/core/currency.o \
	src/core/calendar.o \
	src/core/violation.o \
	src/core/installment.o \
	src/core/eligibility.o \
	src/core/proposal.o \
	src/core/instance_hours.o \
	src/core/form_1099k.o \
	src/iqfees.o \
	src/money.o \
	src/currency.o \
	src/calendar.o \
	src/violation.o \
	src/array_args.o \
	src/distributed.o \
	src/fee_schedule.o \
	src/pricing.o \
	src/pricing_sums.o \
	src/installment.o \
	src/billing_schedule.o \
	src/eligibility.o \
	src/proposal.o \
	src/instance_hours.o \
	src/form_1099k.o \
	src/trigger_args.o \
	src/trigger_cache.o \
	src/index_lookup.o \
	src/offer_checks.o \
	src/price_trigger.o \
	src/offer_reads.o \
	src/installment_trigger.o \
	src/schedule_freeze.o \
	src/trigger_setup.o

# The server headers are system headers to us: -Wextra warnings in them
# are not ours to fix.
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server)

DATA = $(wildcard sql/$(EXTENSION)--*.sql)

# each test runs alone too: pg_regress creates the extension first
REGRESS_OPTS = --load-extension=$(EXTENSION)
REGRESS = pricing pricing_errors pricing_random numeric_forms fee_schedule schedule_lookup \
	price_trigger price_trigger_typmods \
	installment_plan installment_violations plan_sums installment_triggers \
	constraint_firings read_ahead \
	expert_eligibility proposal billing_schedule instance_usage \
	hostile_input security schema_changes setup_functions charge_sum currency form_1099k distribution

# concurrent sessions: test/isolation/specs/*.spec, run by pg_isolation_regress
ISOLATION = installment_concurrency installment_freeze_concurrency installment_own_rows \
	installment_deadlocks schema_change_sessions read_ahead_sessions \
	schedule_commit_sessions
ISOLATION_OPTS = --inputdir=test/isolation --load-extension=$(EXTENSION)

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# rebuild what includes a changed header (PGXS does only when the server
# was configured with --enable-depend)
ifneq ($(autodepend), yes)
override CPPFLAGS += -MMD -MP
-include $(OBJS:.o=.d)
endif

# The money core's unit tests: plain C, no server, run under sanitizers.
CORE_SRCS = $(wildcard src/core/*.c)
UNIT_SRCS = $(wildcard test/unit/*.c)
UNIT_CC ?= gcc
UNIT_CFLAGS = -std=gnu99 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

test/unit/unit: $(CORE_SRCS) $(UNIT_SRCS) $(wildcard src/core/*.h) test/unit/unit.h
	$(UNIT_CC) $(UNIT_CFLAGS) -Isrc/core -Itest/unit -o $@ $(CORE_SRCS) $(UNIT_SRCS)

.PHONY: unitcheck
unitcheck: test/unit/unit
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 test/unit/unit

# libFuzzer over the same core, each target checked against an independent
# reference; FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 30
FUZZ_CC ?= clang

test/fuzz/fuzz_core: $(CORE_SRCS) test/fuzz/fuzz_core.c $(wildcard src/core/*.h)
	$(FUZZ_CC) -std=gnu99 -g -O1 -Wall -Wextra -Werror \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc/core -o $@ $(CORE_SRCS) test/fuzz/fuzz_core.c

.PHONY: fuzzcheck
fuzzcheck: test/fuzz/fuzz_core
	mkdir -p test/fuzz/corpus
	test/fuzz/fuzz_core -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-artifact_prefix=test/fuzz/ test/fuzz/corpus

EXTRA_CLEAN = test/unit/unit test/fuzz/fuzz_core $(OBJS:.o=.d)
