/*
 * trigger_args.h
 *		What a trigger's arguments name, decoded once: the roles each trigger
 *		function takes, the tables and columns they resolve to, and the
 *		checks that make a trigger fail with a clear error instead of a
 *		wrong value.  The trigger functions and the set-up functions use
 *		the same decoder.
 */
#ifndef IQFEES_TRIGGER_ARGS_H
#define IQFEES_TRIGGER_ARGS_H

#include "compat.h"

#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/date.h"
#include "utils/rel.h"

/* What an argument names. */
typedef enum IqArgKind
{
	IQ_ARG_TABLE,				/* a table */
	IQ_ARG_KEY,					/* a column of any type with = to the other
								 * side */
	IQ_ARG_NUMERIC,				/* numeric, read */
	IQ_ARG_OUTPUT,				/* numeric written by the trigger, scale >= 2 */
	IQ_ARG_DATE,				/* date, timestamp or timestamptz */
	IQ_ARG_DATERANGE,			/* daterange */
	IQ_ARG_CURRENCY,			/* text, varchar or char */
	IQ_ARG_ANY					/* a column of any type */
} IqArgKind;

/* The table an argument's column belongs to. */
typedef enum IqArgTable
{
	IQ_ON_TRIGGER_TABLE,		/* the table the trigger is on */
	IQ_ON_INSTALLMENTS,			/* the installment table an argument names */
	IQ_ON_OFFERS				/* the offer table an argument names */
} IqArgTable;

#define IQ_ROLE_REQUIRED	0x01
#define IQ_ROLE_REPEATS		0x02	/* may be given more than once */

/* One role a trigger function's arguments can fill. */
typedef struct IqRole
{
	const char *name;			/* key of the named form: "amount_column" */
	const char *label;			/* in messages: "amount column" */
	IqArgKind	kind;
	IqArgTable	table;
	int			flags;
} IqRole;

/* How a date-valued column stores its dates. */
typedef enum IqDateKind
{
	IQ_DATE_COLUMN,				/* date */
	IQ_TIMESTAMP_COLUMN,		/* timestamp: its calendar day */
	IQ_TIMESTAMPTZ_COLUMN		/* timestamptz: its calendar day in UTC */
} IqDateKind;

/* A column an argument names, resolved in its table. */
typedef struct IqColumn
{
	int			argno;			/* 1-based argument position; 0: not given */
	const char *name;			/* as given */
	AttrNumber	attnum;
	Oid			type;			/* as declared, maybe a domain */
	Oid			basetype;
	int32		typmod;			/* of the column, or of the domain's base */
	Oid			collation;
	IqDateKind	datekind;		/* for IQ_ARG_DATE */
} IqColumn;

typedef struct IqTriggerInfo IqTriggerInfo;

/* A trigger function: when it fires, and the roles its arguments fill. */
typedef struct IqTriggerKind
{
	const char *funcname;
	int16		timing;			/* TRIGGER_TYPE_BEFORE or TRIGGER_TYPE_AFTER */
	int16		events;			/* TRIGGER_TYPE_INSERT | ... */
	int			nroles;
	const IqRole *roles;		/* the positional (1.2) form's order */
	int			min_positional;
	int			max_positional; /* FUNC_MAX_ARGS: the last role repeats */
	const char *args_hint;
	/* checks of combinations of roles, after every column is resolved */
	void		(*validate) (IqTriggerInfo *info);
	/* what the trigger keeps: its SPI plans, how it reads rows of rel */
	void		(*prepare) (IqTriggerInfo *info, Relation rel);
} IqTriggerKind;

/* Which of the tables its arguments name a trigger fires on. */
typedef enum IqSide
{
	IQ_SIDE_TRIGGER_TABLE,		/* the only table: no table arguments */
	IQ_SIDE_INSTALLMENTS,
	IQ_SIDE_OFFERS
} IqSide;

#define IQ_MAX_PLANS	2

/*
 * A trigger's arguments, decoded.  Everything it points to lives in
 * context, which goes with it.
 */
struct IqTriggerInfo
{
	MemoryContext context;
	const IqTriggerKind *kind;

	/* what is being decoded, for the messages */
	bool		setup;			/* by a set-up function, before the trigger
								 * exists */
	const char *tgname;
	Oid			tgoid;			/* InvalidOid before the trigger exists */
	Oid			relid;			/* the table it fires on */
	const char *relname;		/* qualified, for messages */
	Oid			created_on;		/* the table the trigger was created on */

	/* the tables the arguments name, InvalidOid when they name none */
	Oid			installments;
	Oid			offers;
	IqSide		side;

	/* indexes the trigger reads directly, locked with the tables */
	int			nindexes;
	Oid			indexes[2];

	IqColumn   *columns;		/* kind->nroles of them, by role */
	int			nrepeated;		/* further columns of the repeating role */
	IqColumn   *repeated;

	/* the decoded trigger's queries; see trigger_cache.c */
	int			nplans;
	SPIPlanPtr	plans[IQ_MAX_PLANS];
	void	   *extra;			/* what else a trigger function keeps */
};

/* The trigger functions, for the set-up functions that create them. */
extern const IqTriggerKind iq_price_trigger_kind;
extern const IqTriggerKind iq_installment_constraint_kind;
extern const IqTriggerKind iq_freeze_installments_kind;
extern const IqTriggerKind iq_freeze_offer_schedule_kind;

/*
 * Decode a trigger's arguments against its table rel: which roles they
 * fill, the tables and columns they name, each checked for existence,
 * type and combination.  Errors name the trigger, its table and the
 * argument (position and role); with setup, they name the set-up
 * function's parameter instead.  Named tables are locked AccessShareLock.
 * The result and everything it points to is allocated in a new context
 * under parent.
 */
extern IqTriggerInfo *iq_decode_trigger(const IqTriggerKind *kind, Relation rel,
										const char *tgname, Oid tgoid,
										int nargs, char **args, bool setup,
										MemoryContext parent);

/* The decoded column of a role, or NULL when the arguments name none. */
static inline const IqColumn *
iq_role_column(const IqTriggerInfo *info, int role)
{
	return info->columns[role].argno > 0 ? &info->columns[role] : NULL;
}

/*
 * "argument 5 (offer table) of trigger "plan" on billing.offer_payments",
 * or for a set-up function its parameter's name, for messages.
 */
extern char *iq_arg_description(const IqTriggerInfo *info, int argno, int role);

/*
 * The trigger data of a firing the trigger function was written for; any
 * other call (not as a trigger, statement level, INSTEAD OF, the wrong
 * timing or event) is 39P01 naming the function.
 */
extern TriggerData *iq_trigger_firing(FunctionCallInfo fcinfo,
									  const IqTriggerKind *kind);

/*
 * The columns of roles a and b (on different tables) must be comparable
 * with =, as the trigger's queries compare them; else 42804.
 */
extern void iq_check_comparable(const IqTriggerInfo *info, int role_a, int role_b);

/*
 * Whether userid may see the values of the columns of relid: messages
 * show values read from other rows only to such a user, as PostgreSQL's
 * foreign-key errors do.  Row-level security on the table hides them too.
 */
extern bool iq_user_may_read(Oid userid, Oid relid, const AttrNumber *attnums,
							 int n);

/* true when two versions of a row hold the same value in the column */
extern bool iq_same_column_value(HeapTuple a, HeapTuple b, TupleDesc desc,
								 AttrNumber attnum);

/* A date-valued column's value as a date: a timestamp's calendar day. */
extern DateADT iq_column_to_date(const IqColumn *column, Datum value);

/* "schema"."table" for SQL text and messages */
extern char *iq_qualified_table_name(Oid relid);


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

extern void iq_become_owner(Relation rel, IqSavedUser *saved);
extern void iq_restore_user(const IqSavedUser *saved);

#endif							/* IQFEES_TRIGGER_ARGS_H */
