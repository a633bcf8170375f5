/*
 * compat.h
 *		The one place that knows about differences between PostgreSQL
 *		versions.  iqfees supports PostgreSQL 15, 16 and 17.
 */
#ifndef IQFEES_COMPAT_H
#define IQFEES_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "iqfees requires PostgreSQL 15 or later"
#endif

#if PG_VERSION_NUM >= 160000
#include "varatt.h"				/* varlena macros left postgres.h in 16 */
#endif

#endif							/* IQFEES_COMPAT_H */
