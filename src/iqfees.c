/*
 * iqfees.c
 *		The module's entry point.  Each concern has a file of its own;
 *		CONTRIBUTING.md's "Layout" table says which file holds which rule.
 */
#include "compat.h"

#include "fmgr.h"

#include "offer_checks.h"
#include "trigger_cache.h"

IQ_MODULE_MAGIC;

void		_PG_init(void);

/* the callbacks that keep the caches true to the catalogs and transactions */
void
_PG_init(void)
{
	iq_offer_checks_init();
	iq_trigger_cache_init();
}
