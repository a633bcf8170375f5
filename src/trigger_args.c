/*
 * trigger_args.c
 *		Decoding the arguments of the iqfees trigger functions.
 *
 * Arguments come in two forms.  The positional form lists names in the
 * order the function's roles are declared:
 *		iq_price_trigger(amount, approved_on, expert_fee, payout, buyer_total)
 * the named form gives every argument as role=name, in any order, and is
 * what the set-up functions write:
 *		iq_price_trigger('amount_column=amount', 'approved_on_column=approved_at',
 *						 'payout_column=payout')
 * Column names are taken exactly, as identifiers; table names are read like
 * regclass text, an unqualified one in the schema of the table the trigger
 * was created on (for a partition, its partitioned table), never along
 * search_path, so what a trigger reads cannot depend on who fires it.
 *
 * On a Citus node a trigger fires on a shard of its table, and reads the
 * shards of the tables its arguments name that this node holds beside it.
 */
#include "compat.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_oper.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/rls.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "core/calendar.h"
#include "distributed.h"
#include "trigger_args.h"

char *
iq_arg_description(const IqTriggerInfo *info, int argno, int role)
{
	if (info->setup)
		return pstrdup(info->kind->roles[role].name);
	return psprintf("argument %d (%s) of trigger \"%s\" on %s", argno,
					info->kind->roles[role].label, info->tgname, info->relname);
}

/* "insert or update", "insert, update or delete", ... */
static char *
describe_events(int16 events)
{
	const char *names[4];
	int			n = 0;
	StringInfoData buf;

	if (events & TRIGGER_TYPE_INSERT)
		names[n++] = "insert";
	if (events & TRIGGER_TYPE_UPDATE)
		names[n++] = "update";
	if (events & TRIGGER_TYPE_DELETE)
		names[n++] = "delete";
	if (events & TRIGGER_TYPE_TRUNCATE)
		names[n++] = "truncate";
	initStringInfo(&buf);
	for (int i = 0; i < n; i++)
		appendStringInfo(&buf, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ",
						 names[i]);
	return buf.data;
}

TriggerData *
iq_trigger_firing(FunctionCallInfo fcinfo, const IqTriggerKind *kind)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TriggerEvent event;
	int16		fired;
	const char *timing;
	bool		right_timing;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: not called by trigger manager", kind->funcname)));

	event = trigdata->tg_event;
	fired = TRIGGER_FIRED_BY_INSERT(event) ? TRIGGER_TYPE_INSERT :
		TRIGGER_FIRED_BY_UPDATE(event) ? TRIGGER_TYPE_UPDATE :
		TRIGGER_FIRED_BY_DELETE(event) ? TRIGGER_TYPE_DELETE : TRIGGER_TYPE_TRUNCATE;
	timing = TRIGGER_FIRED_BEFORE(event) ? "before" :
		TRIGGER_FIRED_INSTEAD(event) ? "instead of" : "after";
	right_timing = kind->timing == TRIGGER_TYPE_BEFORE ?
		TRIGGER_FIRED_BEFORE(event) : TRIGGER_FIRED_AFTER(event);

	if (!TRIGGER_FIRED_FOR_ROW(event) || !right_timing || (fired & kind->events) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on %s fired %s %s for each %s, but %s must fire %s %s for each row",
						trigdata->tg_trigger->tgname,
						iq_qualified_table_name(RelationGetRelid(trigdata->tg_relation)),
						timing, describe_events(fired),
						TRIGGER_FIRED_FOR_ROW(event) ? "row" : "statement",
						kind->funcname,
						kind->timing == TRIGGER_TYPE_BEFORE ? "before" : "after",
						describe_events(kind->events))));
	return trigdata;
}

char *
iq_qualified_table_name(Oid relid)
{
	char	   *relname = get_rel_name(relid);

	if (relname == NULL)
		elog(ERROR, "cache lookup failed for relation %u", relid);
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
									  relname);
}


void
iq_check_comparable(const IqTriggerInfo *info, int role_a, int role_b)
{
	const IqColumn *a = &info->columns[role_a];
	const IqColumn *b = &info->columns[role_b];
	Operator	op = oper(NULL, list_make2(makeString("pg_catalog"), makeString("=")),
						  a->basetype, b->basetype, true, -1);

	if (op == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s names column \"%s\" of type %s, which cannot be compared with the %s \"%s\" of type %s",
						iq_arg_description(info, a->argno, role_a), a->name,
						format_type_be(a->type), info->kind->roles[role_b].label,
						b->name, format_type_be(b->type))));
	ReleaseSysCache(op);
}

bool
iq_user_may_read(Oid userid, Oid relid, const AttrNumber *attnums, int n)
{
	if (check_enable_rls(relid, userid, true) == RLS_ENABLED)
		return false;
	if (pg_class_aclcheck(relid, userid, ACL_SELECT) == ACLCHECK_OK)
		return true;
	for (int i = 0; i < n; i++)
		if (pg_attribute_aclcheck(relid, attnums[i], userid, ACL_SELECT) != ACLCHECK_OK)
			return false;
	return true;
}

bool
iq_same_column_value(HeapTuple a, HeapTuple b, TupleDesc desc, AttrNumber attnum)
{
	Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
	bool		a_null;
	bool		b_null;
	Datum		a_value = heap_getattr(a, attnum, desc, &a_null);
	Datum		b_value = heap_getattr(b, attnum, desc, &b_null);

	if (a_null || b_null)
		return a_null && b_null;
	return datumIsEqual(a_value, b_value, att->attbyval, att->attlen);
}

/* an error in between restores the user as part of (sub)transaction abort */
void
iq_become_owner(Relation rel, IqSavedUser *saved)
{
	GetUserIdAndSecContext(&saved->userid, &saved->sec_context);
	SetUserIdAndSecContext(RelationGetForm(rel)->relowner,
						   saved->sec_context | SECURITY_LOCAL_USERID_CHANGE);
}

void
iq_restore_user(const IqSavedUser *saved)
{
	SetUserIdAndSecContext(saved->userid, saved->sec_context);
}

DateADT
iq_column_to_date(const IqColumn *column, Datum value)
{
	if (column->datekind == IQ_DATE_COLUMN)
		return DatumGetDateADT(value);

	/*
	 * timestamp and timestamptz store the same microseconds from 2000-01-01
	 * UTC
	 */
	return iq_usecs_to_date(DatumGetInt64(value));
}

/*
 * The table the trigger was created on, in whose schema unqualified table
 * names are looked up.  A partition's trigger is a clone of its
 * partitioned table's (tgparentid), and may be in another schema.
 */
static Oid
created_on(Relation rel, Oid tgoid)
{
	Oid			relid = RelationGetRelid(rel);
	Relation	pg_trigger;

	if (!OidIsValid(tgoid))
		return relid;

	pg_trigger = table_open(TriggerRelationId, AccessShareLock);
	for (;;)
	{
		ScanKeyData key;
		SysScanDesc scan;
		HeapTuple	tuple;
		Form_pg_trigger form;
		Oid			parent;

		ScanKeyInit(&key, Anum_pg_trigger_oid, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(tgoid));
		scan = systable_beginscan(pg_trigger, TriggerOidIndexId, true, NULL, 1, &key);
		tuple = systable_getnext(scan);
		if (!HeapTupleIsValid(tuple))
			elog(ERROR, "could not find trigger %u", tgoid);
		form = (Form_pg_trigger) GETSTRUCT(tuple);
		relid = form->tgrelid;
		parent = form->tgparentid;
		systable_endscan(scan);
		if (!OidIsValid(parent))
			break;
		tgoid = parent;
	}
	table_close(pg_trigger, AccessShareLock);
	return relid;
}

/* The arguments of each role, as the positional or the named form gives them. */
typedef struct RoleArgs
{
	int			argno;			/* of the first, 0 for none */
	const char *value;
	List	   *repeats;		/* argno of each further one, as int */
} RoleArgs;

static int
find_role(const IqTriggerKind *kind, const char *name, size_t len)
{
	for (int r = 0; r < kind->nroles; r++)
		if (strlen(kind->roles[r].name) == len &&
			strncmp(kind->roles[r].name, name, len) == 0)
			return r;
	return -1;
}

/* The named form: its first argument is role=name with a known role. */
static bool
named_form(const IqTriggerKind *kind, int nargs, char **args)
{
	const char *eq;

	return nargs > 0 && (eq = strchr(args[0], '=')) != NULL &&
		find_role(kind, args[0], eq - args[0]) >= 0;
}

static void
args_count_error(IqTriggerInfo *info, int nargs, const char *problem)
{
	const IqTriggerKind *kind = info->kind;

	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 problem ? errmsg("trigger \"%s\" on %s %s", info->tgname, info->relname, problem) :
			 kind->max_positional == FUNC_MAX_ARGS ?
			 errmsg_plural("trigger \"%s\" on %s has %d argument, but %s needs at least %d",
						   "trigger \"%s\" on %s has %d arguments, but %s needs at least %d",
						   nargs, info->tgname, info->relname, nargs, kind->funcname,
						   kind->min_positional) :
			 kind->min_positional == kind->max_positional ?
			 errmsg_plural("trigger \"%s\" on %s has %d argument, but %s needs %d",
						   "trigger \"%s\" on %s has %d arguments, but %s needs %d",
						   nargs, info->tgname, info->relname, nargs, kind->funcname,
						   kind->min_positional) :
			 errmsg_plural("trigger \"%s\" on %s has %d argument, but %s needs %d to %d",
						   "trigger \"%s\" on %s has %d arguments, but %s needs %d to %d",
						   nargs, info->tgname, info->relname, nargs, kind->funcname,
						   kind->min_positional, kind->max_positional),
			 errhint("%s", kind->args_hint)));
}

static RoleArgs *
parse_args(IqTriggerInfo *info, int nargs, char **args)
{
	const IqTriggerKind *kind = info->kind;
	RoleArgs   *roles = palloc0(sizeof(RoleArgs) * kind->nroles);

	if (named_form(kind, nargs, args))
	{
		for (int i = 0; i < nargs; i++)
		{
			const char *eq = strchr(args[i], '=');
			int			r = eq ? find_role(kind, args[i], eq - args[i]) : -1;

			if (r < 0)
				ereport(ERROR,
						(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						 errmsg("argument %d of trigger \"%s\" on %s, \"%s\", is not role=name with a role %s takes",
								i + 1, info->tgname, info->relname, args[i], kind->funcname),
						 errhint("%s", kind->args_hint)));
			if (roles[r].argno == 0)
			{
				roles[r].argno = i + 1;
				roles[r].value = eq + 1;
			}
			else if (kind->roles[r].flags & IQ_ROLE_REPEATS)
				roles[r].repeats = lappend_int(roles[r].repeats, i + 1);
			else
				ereport(ERROR,
						(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						 errmsg("arguments %d and %d of trigger \"%s\" on %s both give the %s",
								roles[r].argno, i + 1, info->tgname, info->relname,
								kind->roles[r].label),
						 errhint("%s", kind->args_hint)));
		}
		for (int r = 0; r < kind->nroles; r++)
			if ((kind->roles[r].flags & IQ_ROLE_REQUIRED) && roles[r].argno == 0)
				ereport(ERROR,
						(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						 errmsg("trigger \"%s\" on %s gives no %s",
								info->tgname, info->relname, kind->roles[r].label),
						 errhint("Add the argument '%s=...'.", kind->roles[r].name)));
		return roles;
	}

	if (nargs < kind->min_positional || nargs > kind->max_positional)
		args_count_error(info, nargs, NULL);
	for (int i = 0; i < nargs; i++)
	{
		int			r = Min(i, kind->nroles - 1);

		if (i >= kind->nroles && !(kind->roles[r].flags & IQ_ROLE_REPEATS))
			args_count_error(info, nargs, NULL);
		if (roles[r].argno == 0)
		{
			roles[r].argno = i + 1;
			roles[r].value = args[i];
		}
		else
			roles[r].repeats = lappend_int(roles[r].repeats, i + 1);
	}
	return roles;
}

/* A table argument, looked up like regclass text in namespace. */
static Oid
resolve_table(IqTriggerInfo *info, int role, int argno, const char *name,
			  Oid namespace)
{
	List	   *names;
	RangeVar   *rv;
	Oid			relid;
	char		relkind;

	names = iq_qualified_name_list(name);
	rv = makeRangeVarFromNameList(names);
	if (rv->schemaname == NULL)
		rv->schemaname = get_namespace_name(namespace);
	relid = RangeVarGetRelid(rv, AccessShareLock, true);
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("%s names table %s, which does not exist",
						iq_arg_description(info, argno, role),
						quote_qualified_identifier(rv->schemaname, rv->relname))));
	relkind = get_rel_relkind(relid);
	if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s names %s, which is not a table",
						iq_arg_description(info, argno, role),
						iq_qualified_table_name(relid))));
	return relid;
}

/* The value of the argument that gives role name, or NULL. */
static const char *
role_value(const IqTriggerKind *kind, const RoleArgs *roles, const char *name)
{
	int			r = find_role(kind, name, strlen(name));

	return r >= 0 && roles[r].argno > 0 ? roles[r].value : NULL;
}

/*
 * A trigger reading an offer and its installments needs both on the node
 * it fires on; on_table is the installment table when the arguments name
 * none (iq_freeze_installments is on it).  Then, where the trigger fires
 * on a shard (shard_of is its table), the tables are read as this node's
 * shards co-located with it.
 */
static void
citus_tables(IqTriggerInfo *info, const RoleArgs *roles, Oid on_table,
			 Oid shard_of, int64 shardid)
{
	if (OidIsValid(info->offers))
		iq_check_offer_layout(info->kind->funcname,
							  OidIsValid(info->installments) ? info->installments : on_table,
							  role_value(info->kind, roles, "offer_column"), info->offers,
							  role_value(info->kind, roles, "offer_key_column"));
	if (!OidIsValid(shard_of))
		return;
	if (OidIsValid(info->installments))
	{
		info->installments = iq_colocated_shard(shardid, info->installments);
		LockRelationOid(info->installments, AccessShareLock);
	}
	if (OidIsValid(info->offers))
	{
		info->offers = iq_colocated_shard(shardid, info->offers);
		LockRelationOid(info->offers, AccessShareLock);
	}
}

/* true when relid is ancestor or one of its partitions, at any depth */
static bool
is_or_descends_from(Oid relid, Oid ancestor)
{
	List	   *ancestors;

	if (relid == ancestor)
		return true;
	if (!get_rel_relispartition(relid))
		return false;
	ancestors = get_partition_ancestors(relid);
	return list_member_oid(ancestors, ancestor);
}

static const char *
kind_type_name(IqArgKind kind)
{
	switch (kind)
	{
		case IQ_ARG_NUMERIC:
		case IQ_ARG_OUTPUT:
			return "numeric";
		case IQ_ARG_DATE:
			return "date, timestamp or timestamptz";
		case IQ_ARG_DATERANGE:
			return "daterange";
		case IQ_ARG_CURRENCY:
			return "text, varchar or char";
		default:
			return "any type";
	}
}

/*
 * The scale of a numeric typmod, read with numeric's own typmod output
 * "(p,s)"; true when the type has one.
 */
static bool
numeric_typmod_scale(int32 typmod, int *scale)
{
	char	   *text;
	int			precision;

	if (typmod < 0)
		return false;
	text = DatumGetCString(DirectFunctionCall1(numerictypmodout, Int32GetDatum(typmod)));
	return sscanf(text, "(%d,%d)", &precision, scale) == 2;
}

/* Resolve one column argument in rel and check it against its role. */
static void
resolve_column(IqTriggerInfo *info, Relation rel, int role, int argno,
			   const char *name, IqColumn *column)
{
	const IqRole *spec = &info->kind->roles[role];
	TupleDesc	desc = RelationGetDescr(rel);
	int			attnum = SPI_fnumber(desc, name);
	Form_pg_attribute att;
	bool		type_ok;
	int			scale;

	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s names column \"%s\", which %s does not have",
						iq_arg_description(info, argno, role), name,
						iq_qualified_table_name(RelationGetRelid(rel)))));

	att = TupleDescAttr(desc, attnum - 1);
	column->argno = argno;
	column->name = pstrdup(name);
	column->attnum = attnum;
	column->type = att->atttypid;
	column->typmod = att->atttypmod;
	column->basetype = getBaseTypeAndTypmod(att->atttypid, &column->typmod);
	if (att->atttypmod >= 0)
		column->typmod = att->atttypmod;
	column->collation = att->attcollation;
	column->datekind = column->basetype == TIMESTAMPOID ? IQ_TIMESTAMP_COLUMN :
		column->basetype == TIMESTAMPTZOID ? IQ_TIMESTAMPTZ_COLUMN : IQ_DATE_COLUMN;

	switch (spec->kind)
	{
		case IQ_ARG_NUMERIC:
		case IQ_ARG_OUTPUT:
			type_ok = column->basetype == NUMERICOID;
			break;
		case IQ_ARG_DATE:
			type_ok = column->basetype == DATEOID || column->basetype == TIMESTAMPOID ||
				column->basetype == TIMESTAMPTZOID;
			break;
		case IQ_ARG_DATERANGE:
			type_ok = column->basetype == DATERANGEOID;
			break;
		case IQ_ARG_CURRENCY:
			type_ok = column->basetype == TEXTOID || column->basetype == VARCHAROID ||
				column->basetype == BPCHAROID;
			break;
		default:
			type_ok = true;
			break;
	}
	if (!type_ok)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s names column \"%s\" of type %s, but the %s must be of type %s",
						iq_arg_description(info, argno, role), name,
						format_type_be(att->atttypid), spec->label,
						kind_type_name(spec->kind))));

	/* a fee of numeric(10,0) would round; iqfees never rounds silently */
	if (spec->kind == IQ_ARG_OUTPUT && numeric_typmod_scale(column->typmod, &scale) &&
		scale < 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s names column \"%s\" of type %s, which cannot hold cents",
						iq_arg_description(info, argno, role), name,
						format_type_with_typemod(column->basetype, column->typmod)),
				 errhint("Use numeric with at least two decimal places, such as numeric(14,2).")));

	/*
	 * PostgreSQL computes stored generated columns after the BEFORE triggers:
	 * one would read a stale value there, and write one that is overwritten.
	 */
	if (att->attgenerated && info->kind->timing == TRIGGER_TYPE_BEFORE &&
		spec->table == IQ_ON_TRIGGER_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s names generated column \"%s\"",
						iq_arg_description(info, argno, role), name),
				 errdetail("%s runs before generated columns are computed, so it would %s a value that is not there yet.",
						   info->kind->funcname,
						   spec->kind == IQ_ARG_OUTPUT ? "write" : "read"),
				 spec->kind == IQ_ARG_OUTPUT ?
				 errhint("Name an ordinary column.") :
				 errhint("Name the column the value is computed from (date, timestamp and timestamptz columns are read as dates), or store the value in an ordinary column.")));
}

/* A column named twice on one table would be read and written as two. */
static void
check_distinct_columns(IqTriggerInfo *info)
{
	const IqTriggerKind *kind = info->kind;

	for (int a = 0; a < kind->nroles; a++)
	{
		IqColumn   *ca = &info->columns[a];

		if (ca->argno == 0 || kind->roles[a].kind == IQ_ARG_TABLE)
			continue;
		for (int b = a + 1; b < kind->nroles; b++)
		{
			IqColumn   *cb = &info->columns[b];

			if (cb->argno == 0 || kind->roles[b].table != kind->roles[a].table ||
				cb->attnum != ca->attnum)
				continue;
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s names column \"%s\", which %s names too",
							iq_arg_description(info, cb->argno, b), cb->name,
							info->setup ? kind->roles[a].name :
							psprintf("argument %d (%s)", ca->argno, kind->roles[a].label))));
		}
	}
}

IqTriggerInfo *
iq_decode_trigger(const IqTriggerKind *kind, Relation rel, const char *tgname,
				  Oid tgoid, int nargs, char **args, bool setup,
				  MemoryContext parent)
{
	MemoryContext context = AllocSetContextCreate(parent, "iqfees trigger",
												  ALLOCSET_SMALL_SIZES);
	MemoryContext oldcxt = MemoryContextSwitchTo(context);
	IqTriggerInfo *info = palloc0(sizeof(IqTriggerInfo));
	RoleArgs   *roles;
	Oid			namespace;
	Oid			shard_of = InvalidOid;
	int64		shardid = 0;
	Oid			on_table;
	Relation	installments = NULL;
	Relation	offers = NULL;

	info->context = context;
	info->kind = kind;
	info->setup = setup;
	info->tgname = pstrdup(tgname);
	info->tgoid = tgoid;
	info->relid = RelationGetRelid(rel);
	info->relname = iq_qualified_table_name(info->relid);
	info->columns = palloc0(sizeof(IqColumn) * kind->nroles);
	info->side = IQ_SIDE_TRIGGER_TABLE;

	Assert(kind->nroles > 0 && kind->min_positional <= kind->max_positional);
	roles = parse_args(info, nargs, args);
	info->created_on = created_on(rel, tgoid);
	namespace = get_rel_namespace(info->created_on);

	/* the tables first: the columns are resolved in them */
	for (int r = 0; r < kind->nroles; r++)
	{
		Oid			relid;

		if (kind->roles[r].kind != IQ_ARG_TABLE || roles[r].argno == 0)
			continue;
		relid = resolve_table(info, r, roles[r].argno, roles[r].value, namespace);
		info->columns[r].argno = roles[r].argno;
		info->columns[r].name = pstrdup(roles[r].value);
		if (kind->roles[r].table == IQ_ON_INSTALLMENTS)
			info->installments = relid;
		else
			info->offers = relid;
	}
	/* a trigger fires on the shards of a Citus table (distributed.c) */
	if (!setup)
		shard_of = iq_shard_table(info->relid, &shardid);
	on_table = OidIsValid(shard_of) ? shard_of : info->relid;
	if (OidIsValid(info->installments) && OidIsValid(info->offers))
	{
		if (is_or_descends_from(on_table, info->installments))
			info->side = IQ_SIDE_INSTALLMENTS;
		else if (is_or_descends_from(on_table, info->offers))
			info->side = IQ_SIDE_OFFERS;
		else if (!setup)
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("trigger \"%s\" is on %s, but its arguments name the installment table %s and the offer table %s",
							info->tgname, info->relname,
							iq_qualified_table_name(info->installments),
							iq_qualified_table_name(info->offers)),
					 errhint("Put %s on the installment table or the offer table its arguments name.",
							 kind->funcname)));
	}
	citus_tables(info, roles, on_table, shard_of, shardid);
	if (OidIsValid(info->installments) && OidIsValid(info->offers))
	{
		installments = table_open(info->installments, NoLock);
		offers = table_open(info->offers, NoLock);
	}
	else if (OidIsValid(info->offers))
		offers = table_open(info->offers, NoLock);

	for (int r = 0; r < kind->nroles; r++)
	{
		const IqRole *spec = &kind->roles[r];
		Relation	in = spec->table == IQ_ON_INSTALLMENTS ? installments :
		spec->table == IQ_ON_OFFERS ? offers : rel;
		ListCell   *lc;

		if (spec->kind == IQ_ARG_TABLE || roles[r].argno == 0)
			continue;
		resolve_column(info, in, r, roles[r].argno, roles[r].value, &info->columns[r]);
		if (roles[r].repeats == NIL)
			continue;
		info->repeated = palloc0(sizeof(IqColumn) * list_length(roles[r].repeats));
		foreach(lc, roles[r].repeats)
		{
			int			argno = lfirst_int(lc);

			resolve_column(info, in, r, argno,
						   named_form(kind, nargs, args) ?
						   strchr(args[argno - 1], '=') + 1 : args[argno - 1],
						   &info->repeated[info->nrepeated++]);
		}
	}
	if (installments)
		table_close(installments, NoLock);
	if (offers)
		table_close(offers, NoLock);

	check_distinct_columns(info);
	if (kind->validate)
		kind->validate(info);
	if (kind->prepare && !setup)
		kind->prepare(info, rel);

	MemoryContextSwitchTo(oldcxt);
	return info;
}
