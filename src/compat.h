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

/* stringToQualifiedNameList gained a soft-error argument in 16 */
#if PG_VERSION_NUM >= 160000
#define iq_qualified_name_list(s)	stringToQualifiedNameList((s), NULL)
#else
#define iq_qualified_name_list(s)	stringToQualifiedNameList(s)
#endif

/* infinite intervals arrived in 17; before that every interval is finite */
#if PG_VERSION_NUM < 170000
#define INTERVAL_NOT_FINITE(i)	false
#endif

#endif							/* IQFEES_COMPAT_H */
