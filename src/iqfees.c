/*
 * iqfees.c
 *		Module entry point.  Each concern has its own file:
 *
 *		money.c			exact cents, rates and fees (plain C)
 *		numeric_money.c	numeric <-> cents at the SQL boundary
 *		fee_schedule.c	reading iq_fee_schedule once per query
 *		pricing.c		iq_expert_fee, iq_payout, ... iq_fee_at
 *		price_trigger.c	iq_price_trigger
 */
#include "compat.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
