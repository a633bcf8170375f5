/*
 * iqfees.c
 *		The module's entry point.  Each concern has a file of its own; the
 *		README's "Layout" table says which file holds which rule.
 */
#include "compat.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
