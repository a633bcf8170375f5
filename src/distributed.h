/*
 * distributed.h
 *		What iqfees needs to know about Citus, the distributed PostgreSQL:
 *		whether it is installed in this database, and which placements
 *		this node holds.
 *		Citus is found at run time through its catalogs; nothing here
 *		links to it, and without it every function answers "not
 *		distributed".
 */
#ifndef IQFEES_DISTRIBUTED_H
#define IQFEES_DISTRIBUTED_H

#include "compat.h"

/* true when the Citus extension is installed in this database */
extern bool iq_citus_installed(void);

/*
 * The relation the fee schedule table relid is read from on this node:
 * the table itself, or this node's placement of it once it is a Citus
 * reference table.  Errors (55000) where a node would price with a copy
 * of its own: on a Citus worker while the table is not a reference table,
 * or on one that holds no placement of it.
 */
extern Oid	iq_fee_schedule_source(Oid relid);

#endif							/* IQFEES_DISTRIBUTED_H */
