/*
 * trigger_args.c
 *		Shared argument handling of the iqfees trigger functions.
 */
#include "compat.h"

#include "catalog/namespace.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"

#include "trigger_args.h"

/* "insert or update", "insert, update or delete", ... */
static char *
describe_events(int16 events)
{
	const char *names[3];
	int			n = 0;
	StringInfoData buf;

	if (events & TRIGGER_TYPE_INSERT)
		names[n++] = "insert";
	if (events & TRIGGER_TYPE_UPDATE)
		names[n++] = "update";
	if (events & TRIGGER_TYPE_DELETE)
		names[n++] = "delete";
	initStringInfo(&buf);
	for (int i = 0; i < n; i++)
		appendStringInfo(&buf, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ",
						 names[i]);
	return buf.data;
}

TriggerData *
iq_trigger_data(FunctionCallInfo fcinfo, const char *funcname, int16 timing,
				int16 events, int min_args, int max_args, const char *args_hint)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TriggerEvent event;
	int16		fired;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: not called by trigger manager", funcname)));

	event = trigdata->tg_event;
	fired = TRIGGER_FIRED_BY_INSERT(event) ? TRIGGER_TYPE_INSERT :
		TRIGGER_FIRED_BY_UPDATE(event) ? TRIGGER_TYPE_UPDATE :
		TRIGGER_FIRED_BY_DELETE(event) ? TRIGGER_TYPE_DELETE : TRIGGER_TYPE_TRUNCATE;
	if (!TRIGGER_FIRED_FOR_ROW(event) ||
		(timing == TRIGGER_TYPE_BEFORE) != (TRIGGER_FIRED_BEFORE(event) != 0) ||
		(fired & events) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be fired %s %s, for each row", funcname,
						timing == TRIGGER_TYPE_BEFORE ? "before" : "after",
						describe_events(events))));

	if (trigdata->tg_trigger->tgnargs < min_args ||
		trigdata->tg_trigger->tgnargs > max_args)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg_plural("trigger \"%s\" on relation \"%s\" has %d argument, but %s needs %s%d",
							   "trigger \"%s\" on relation \"%s\" has %d arguments, but %s needs %s%d",
							   trigdata->tg_trigger->tgnargs,
							   trigdata->tg_trigger->tgname,
							   RelationGetRelationName(trigdata->tg_relation),
							   trigdata->tg_trigger->tgnargs, funcname,
							   min_args == max_args ? "" : "at least ", min_args),
				 errhint("%s", args_hint)));
	return trigdata;
}

AttrNumber
iq_trigger_column(Relation rel, Trigger *trigger, const char *column,
				  const char *role, Oid needed, Oid *type, int32 *typmod)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			attnum = SPI_fnumber(desc, column);
	Form_pg_attribute att;
	Oid			base;

	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						column, RelationGetRelationName(rel)),
				 errdetail("Trigger \"%s\" names it as the %s column.",
						   trigger->tgname, role)));

	att = TupleDescAttr(desc, attnum - 1);
	*typmod = att->atttypmod;
	base = getBaseTypeAndTypmod(att->atttypid, typmod);
	if (att->atttypmod >= 0)
		*typmod = att->atttypmod;
	if (OidIsValid(needed) && base != needed)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of relation \"%s\" is of type %s, but the %s column must be of type %s",
						column, RelationGetRelationName(rel),
						format_type_be(att->atttypid), role, format_type_be(needed))));
	*type = att->atttypid;
	return attnum;
}

Oid
iq_trigger_table(Relation rel, const char *name)
{
	RangeVar   *rv = makeRangeVarFromNameList(iq_qualified_name_list(name));

	if (rv->schemaname == NULL)
		rv->schemaname = get_namespace_name(RelationGetNamespace(rel));
	return RangeVarGetRelid(rv, AccessShareLock, false);
}

/* an error in between restores the user as part of (sub)transaction abort */
void
iq_trigger_become_owner(Relation rel, IqSavedUser *saved)
{
	GetUserIdAndSecContext(&saved->userid, &saved->sec_context);
	SetUserIdAndSecContext(RelationGetForm(rel)->relowner,
						   saved->sec_context | SECURITY_LOCAL_USERID_CHANGE);
}

void
iq_trigger_restore_user(const IqSavedUser *saved)
{
	SetUserIdAndSecContext(saved->userid, saved->sec_context);
}

char *
iq_qualified_table_name(Oid relid)
{
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
									  get_rel_name(relid));
}

char *
iq_value_text(Datum value, Oid type)
{
	Oid			output;
	bool		varlena;

	getTypeOutputInfo(type, &output, &varlena);
	return OidOutputFunctionCall(output, value);
}
