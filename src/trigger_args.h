/*
 * trigger_args.h
 *		What the iqfees trigger functions share: checking how they were
 *		fired and resolving the table and column names in their arguments.
 */
#ifndef IQFEES_TRIGGER_ARGS_H
#define IQFEES_TRIGGER_ARGS_H

#include "compat.h"

#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
#include "utils/rel.h"

/*
 * The trigger data of a row trigger fired at the given timing
 * (TRIGGER_TYPE_BEFORE or TRIGGER_TYPE_AFTER) by one of the given events
 * (TRIGGER_TYPE_INSERT | ...), with nargs in [min_args, max_args]; any
 * other call is an error naming the function.
 */
extern TriggerData *iq_trigger_data(FunctionCallInfo fcinfo, const char *funcname,
									int16 timing, int16 events,
									int min_args, int max_args,
									const char *args_hint);

/*
 * The attribute number of a column of rel named in a trigger argument,
 * checked to be of base type needed (InvalidOid: any type).  role says
 * what the trigger uses the column for, for the messages.  The column's
 * type and typmod (the domain's base typmod for a domain) are returned.
 */
extern AttrNumber iq_trigger_column(Relation rel, Trigger *trigger,
									const char *column, const char *role,
									Oid needed, Oid *type, int32 *typmod);

/*
 * A table named in a trigger argument.  An unqualified name is looked up
 * in the schema of the trigger's own table, never along search_path, so
 * that what the trigger reads cannot depend on who fires it.
 */
extern Oid	iq_trigger_table(Relation rel, const char *name);

/*
 * The queries a trigger runs on other tables run as the owner of the
 * trigger's own table, the role that attached the trigger, as PostgreSQL's
 * foreign keys do: whoever changes the rows needs no rights on the offer
 * table, and the queries can see and lock no more than that owner may.
 */
typedef struct IqSavedUser
{
	Oid			userid;
	int			sec_context;
} IqSavedUser;

extern void iq_trigger_become_owner(Relation rel, IqSavedUser *saved);
extern void iq_trigger_restore_user(const IqSavedUser *saved);

/* "schema"."table" for SQL text */
extern char *iq_qualified_table_name(Oid relid);

/* The row's value of the column as text, for messages. */
extern char *iq_value_text(Datum value, Oid type);

#endif							/* IQFEES_TRIGGER_ARGS_H */
