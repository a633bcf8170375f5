/*
 * compat.h
 *		The one place that knows about differences between PostgreSQL
 *		versions.  iqfees supports PostgreSQL 15, 16 and 17, and builds on
 *		18.  Every name defined here is iqfees' own (iq_...).
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

/* the module's magic block names the module and its version from 18 on */
#if PG_VERSION_NUM >= 180000
#define IQ_MODULE_MAGIC	PG_MODULE_MAGIC_EXT(.name = "iqfees", .version = "1.3")
#else
#define IQ_MODULE_MAGIC	PG_MODULE_MAGIC
#endif

/* stringToQualifiedNameList gained a soft-error argument in 16 */
#if PG_VERSION_NUM >= 160000
#define iq_qualified_name_list(s)	stringToQualifiedNameList((s), NULL)
#else
#define iq_qualified_name_list(s)	stringToQualifiedNameList(s)
#endif

/* infinite intervals arrived in 17; before that every interval is finite */
#if PG_VERSION_NUM >= 170000
#define iq_interval_is_finite(i)	(!INTERVAL_NOT_FINITE(i))
#else
#define iq_interval_is_finite(i)	true
#endif

/* index_beginscan takes scan instrumentation from 18 on */
#if PG_VERSION_NUM >= 180000
#define iq_index_beginscan(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), NULL, (nkeys), (norderbys))
#else
#define iq_index_beginscan(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), (nkeys), (norderbys))
#endif

#endif							/* IQFEES_COMPAT_H */
