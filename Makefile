PG_CONFIG ?= pg_config

EXTENSION = iqfees
MODULE_big = iqfees
OBJS = \
	src/iqfees.o \
	src/money.o \
	src/numeric_money.o \
	src/fee_schedule.o \
	src/pricing.o \
	src/price_trigger.o

# The server headers are system headers to us: -Wextra warnings in them
# are not ours to fix.
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server)

DATA = $(wildcard sql/$(EXTENSION)--*.sql)

REGRESS = pricing pricing_errors pricing_random fee_schedule price_trigger

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
