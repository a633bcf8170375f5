/*
 * installment_trigger.c
 *		iq_installment_constraint(): enforces the installment plan rules per
 *		offer on a table with one row per installment.
 *
 *		CREATE CONSTRAINT TRIGGER installment_plan
 *			AFTER INSERT OR UPDATE OR DELETE ON installment
 *			DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
 *			EXECUTE FUNCTION iq_installment_constraint(
 *				installment, offer_id, invoice_date, amount,
 *				offer, id, contract_total, contract_term, accepted_on);
 *
 * The same trigger, with the same arguments, goes on the offer table too,
 * so that changing an offer's total, term or acceptance date is checked.
 *
 * Each row event names an offer.  Checking an offer takes iqfees' lock on
 * it (offer_checks.c), so that checks of one offer take turns, then reads
 * the offer row and all its installments with a fresh snapshot in one
 * query and validates them as iq_installment_plan_check would.  An offer
 * is checked once for all the changes one check can see: an event whose
 * change the offer's last check in this transaction already read (its
 * command came before that check's) is skipped, however the trigger is
 * fired (deferred, immediate) and whatever made the change (a statement,
 * a cascade, another trigger).
 */
#include "compat.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/typcache.h"

#include "currency.h"
#include "index_lookup.h"
#include "offer_checks.h"
#include "installment.h"
#include "schedule_freeze.h"
#include "trigger_cache.h"
#include "violation.h"

enum
{
	ROLE_INSTALLMENT_TABLE,
	ROLE_OFFER_REF,
	ROLE_INVOICE_DATE,
	ROLE_AMOUNT,
	ROLE_OFFER_TABLE,
	ROLE_OFFER_KEY,
	ROLE_TOTAL,
	ROLE_TERM,
	ROLE_ACCEPTANCE,
	ROLE_TERM_START,			/* the named form only, from here on */
	ROLE_TERM_END,
	ROLE_CURRENCY,
	NROLES
};

static const IqRole constraint_roles[NROLES] = {
	{"installment_table", "installment table", IQ_ARG_TABLE, IQ_ON_INSTALLMENTS, IQ_ROLE_REQUIRED},
	{"offer_column", "offer column", IQ_ARG_KEY, IQ_ON_INSTALLMENTS, IQ_ROLE_REQUIRED},
	{"invoice_date_column", "invoice date column", IQ_ARG_DATE, IQ_ON_INSTALLMENTS, IQ_ROLE_REQUIRED},
	{"amount_column", "amount column", IQ_ARG_NUMERIC, IQ_ON_INSTALLMENTS, IQ_ROLE_REQUIRED},
	{"offer_table", "offer table", IQ_ARG_TABLE, IQ_ON_OFFERS, IQ_ROLE_REQUIRED},
	{"offer_key_column", "offer key column", IQ_ARG_KEY, IQ_ON_OFFERS, IQ_ROLE_REQUIRED},
	{"contract_total_column", "contract total column", IQ_ARG_NUMERIC, IQ_ON_OFFERS, IQ_ROLE_REQUIRED},
	{"contract_term_column", "contract term column", IQ_ARG_DATERANGE, IQ_ON_OFFERS, 0},
	{"acceptance_column", "acceptance date column", IQ_ARG_DATE, IQ_ON_OFFERS, 0},
	{"term_start_column", "term start column", IQ_ARG_DATE, IQ_ON_OFFERS, 0},
	{"term_end_column", "term end column", IQ_ARG_DATE, IQ_ON_OFFERS, 0},
	{"currency_column", "currency column", IQ_ARG_CURRENCY, IQ_ON_OFFERS, 0},
};

/* the check query's columns */
enum
{
	COL_KEY,
	COL_XMIN,
	COL_TOTAL,
	COL_TERM,					/* the daterange, or the term's first day */
	COL_TERM_END,				/* the term's last day, or NULL */
	COL_ACCEPTANCE,
	COL_CURRENCY,
	COL_REF,
	COL_INVOICE_DATE,
	COL_AMOUNT,
	NCOLS
};

#define CHECK_PLAN	0

/* What a decoded trigger keeps besides its columns and query. */
typedef struct ConstraintState
{
	/* the offer a row of the fired-on table names, by name in that table */
	AttrNumber	row_key_attnum;
	Oid			row_key_type;
	int16		row_key_typlen;
	bool		row_key_typbyval;
	AttrNumber	row_acceptance_attnum;	/* on the offer table; 0 without */

	/* hashing keys for iq_lock_offer, the same on both tables' triggers */
	bool		hash_keys;
	FmgrInfo	hash_proc;
	Oid			hash_collation;

	/* the offer key as the offer table stores it */
	int16		key_typlen;
	bool		key_typbyval;

	/* reading an offer and its installments without a query, when possible */
	IqIndexLookup offer_lookup;
	IqIndexLookup installment_lookup;
	uint64		readable_in;	/* the lock generation the owner's rights were
								 * checked in */
	bool		readable;		/* the owner may read both tables whole */

	Oid			result_types[NCOLS];
	const char *result_names[NCOLS];
	char	   *identity;		/* what is checked, for offer_checks.c */
	IqOfferSetCache offers;
} ConstraintState;

/* The term comes from one daterange column or from two day columns. */
static void
validate_constraint(IqTriggerInfo *info)
{
	bool		range = iq_role_column(info, ROLE_TERM) != NULL;
	bool		start = iq_role_column(info, ROLE_TERM_START) != NULL;
	bool		end = iq_role_column(info, ROLE_TERM_END) != NULL;

	if (range && (start || end))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 info->setup ?
				 errmsg("contract_term_column and term_start_column or term_end_column both give the contract term") :
				 errmsg("trigger \"%s\" on %s gives the contract term both as a daterange column and as day columns",
						info->tgname, info->relname),
				 errhint("Give either contract_term_column, or term_start_column and term_end_column.")));
	if (!range && !(start && end))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 info->setup ?
				 errmsg("the contract term needs contract_term_column, or both term_start_column and term_end_column") :
				 errmsg("trigger \"%s\" on %s gives no whole contract term", info->tgname, info->relname),
				 errhint("Give either contract_term_column, or term_start_column and term_end_column.")));
	iq_check_comparable(info, ROLE_OFFER_REF, ROLE_OFFER_KEY);
}

/* The offer key's hash, when both sides' key types hash alike. */
static void
prepare_hashing(IqTriggerInfo *info, ConstraintState *state)
{
	const IqColumn *ref = &info->columns[ROLE_OFFER_REF];
	const IqColumn *key = &info->columns[ROLE_OFFER_KEY];
	TypeCacheEntry *ref_hash = lookup_type_cache(ref->basetype,
												 TYPECACHE_HASH_PROC_FINFO | TYPECACHE_HASH_OPFAMILY);
	TypeCacheEntry *key_hash = lookup_type_cache(key->basetype,
												 TYPECACHE_HASH_PROC_FINFO | TYPECACHE_HASH_OPFAMILY);
	TypeCacheEntry *mine = info->side == IQ_SIDE_INSTALLMENTS ? ref_hash : key_hash;

	/*
	 * Hash functions of one hash operator family agree on equal values of its
	 * types (int4 and int8, say).  Otherwise every offer of the table gets
	 * the same lock: correct, only coarser.
	 */
	state->hash_keys = OidIsValid(ref_hash->hash_opf) &&
		ref_hash->hash_opf == key_hash->hash_opf &&
		OidIsValid(mine->hash_proc_finfo.fn_oid);
	if (state->hash_keys)
		fmgr_info_copy(&state->hash_proc, &mine->hash_proc_finfo, info->context);
	state->hash_collation = key->collation;
}

/* The column of the fired-on table (or partition) that names the offer. */
static void
prepare_row_columns(IqTriggerInfo *info, ConstraintState *state, Relation rel)
{
	const IqColumn *named = &info->columns[info->side == IQ_SIDE_INSTALLMENTS ?
										   ROLE_OFFER_REF : ROLE_OFFER_KEY];
	const IqColumn *acceptance = iq_role_column(info, ROLE_ACCEPTANCE);

	state->row_key_attnum = SPI_fnumber(RelationGetDescr(rel), named->name);
	state->row_key_type = named->type;
	get_typlenbyval(named->type, &state->row_key_typlen, &state->row_key_typbyval);
	if (info->side == IQ_SIDE_OFFERS && acceptance != NULL)
		state->row_acceptance_attnum = SPI_fnumber(RelationGetDescr(rel), acceptance->name);
}

/* Index lookups of the offer by key and its installments by offer column. */
static void
prepare_lookups(IqTriggerInfo *info, ConstraintState *state, Relation rel)
{
	Oid			reader = RelationGetForm(rel)->relowner;
	Oid			value_type = getBaseType(state->row_key_type);
	Relation	offers = table_open(info->offers, NoLock);
	Relation	installments = table_open(info->installments, NoLock);

	iq_index_lookup_prepare(&state->offer_lookup, offers,
							info->columns[ROLE_OFFER_KEY].attnum, value_type, reader);
	iq_index_lookup_prepare(&state->installment_lookup, installments,
							info->columns[ROLE_OFFER_REF].attnum, value_type, reader);
	if (OidIsValid(state->offer_lookup.indexoid) &&
		OidIsValid(state->installment_lookup.indexoid))
	{
		info->indexes[info->nindexes++] = state->offer_lookup.indexoid;
		info->indexes[info->nindexes++] = state->installment_lookup.indexoid;
	}
	table_close(offers, NoLock);
	table_close(installments, NoLock);
}

static void
prepare_constraint(IqTriggerInfo *info, Relation rel)
{
	ConstraintState *state = palloc0(sizeof(ConstraintState));
	const IqColumn *c = info->columns;
	const IqColumn *acceptance = iq_role_column(info, ROLE_ACCEPTANCE);
	Oid			param_type;
	StringInfoData sql;
	StringInfoData identity;
	const IqColumn *term_from = iq_role_column(info, ROLE_TERM) ?
	&c[ROLE_TERM] : &c[ROLE_TERM_START];
	const IqColumn *term_to = iq_role_column(info, ROLE_TERM_END);
	const IqColumn *currency = iq_role_column(info, ROLE_CURRENCY);

	prepare_row_columns(info, state, rel);
	prepare_hashing(info, state);
	prepare_lookups(info, state, rel);
	get_typlenbyval(c[ROLE_OFFER_KEY].type, &state->key_typlen, &state->key_typbyval);

	/*
	 * The offer row and all its installments in one query; an offer without
	 * installments comes back as one row with NULL installment columns.
	 * Sorting is left to sort_installments: a Sort node per check costs more.
	 */
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT o.%s, o.xmin, o.%s, o.%s, %s%s, %s%s, %s%s, i.%s, i.%s, i.%s"
					 " FROM %s o LEFT JOIN %s i ON i.%s OPERATOR(pg_catalog.=) o.%s"
					 " WHERE o.%s OPERATOR(pg_catalog.=) $1",
					 quote_identifier(c[ROLE_OFFER_KEY].name),
					 quote_identifier(c[ROLE_TOTAL].name),
					 quote_identifier(term_from->name),
					 term_to ? "o." : "NULL::pg_catalog.date",
					 term_to ? quote_identifier(term_to->name) : "",
					 acceptance ? "o." : "NULL::pg_catalog.date",
					 acceptance ? quote_identifier(acceptance->name) : "",
					 currency ? "o." : "NULL::pg_catalog.text",
					 currency ? quote_identifier(currency->name) : "",
					 quote_identifier(c[ROLE_OFFER_REF].name),
					 quote_identifier(c[ROLE_INVOICE_DATE].name),
					 quote_identifier(c[ROLE_AMOUNT].name),
					 iq_qualified_table_name(info->offers),
					 iq_qualified_table_name(info->installments),
					 quote_identifier(c[ROLE_OFFER_REF].name),
					 quote_identifier(c[ROLE_OFFER_KEY].name),
					 quote_identifier(c[ROLE_OFFER_KEY].name));
	param_type = state->row_key_type;
	iq_trigger_prepare(info, CHECK_PLAN, sql.data, 1, &param_type);

	state->result_types[COL_KEY] = c[ROLE_OFFER_KEY].type;
	state->result_types[COL_XMIN] = XIDOID;
	state->result_types[COL_TOTAL] = c[ROLE_TOTAL].type;
	state->result_types[COL_TERM] = term_from->type;
	state->result_types[COL_TERM_END] = term_to ? term_to->type : DATEOID;
	state->result_types[COL_ACCEPTANCE] = acceptance ? acceptance->type : DATEOID;
	state->result_types[COL_CURRENCY] = currency ? currency->type : TEXTOID;
	state->result_types[COL_REF] = c[ROLE_OFFER_REF].type;
	state->result_types[COL_INVOICE_DATE] = c[ROLE_INVOICE_DATE].type;
	state->result_types[COL_AMOUNT] = c[ROLE_AMOUNT].type;
	state->result_names[COL_KEY] = c[ROLE_OFFER_KEY].name;
	state->result_names[COL_XMIN] = "xmin";
	state->result_names[COL_TOTAL] = c[ROLE_TOTAL].name;
	state->result_names[COL_TERM] = term_from->name;
	state->result_names[COL_TERM_END] = term_to ? term_to->name : "NULL";
	state->result_names[COL_ACCEPTANCE] = acceptance ? acceptance->name : "NULL";
	state->result_names[COL_CURRENCY] = currency ? currency->name : "NULL";
	state->result_names[COL_REF] = c[ROLE_OFFER_REF].name;
	state->result_names[COL_INVOICE_DATE] = c[ROLE_INVOICE_DATE].name;
	state->result_names[COL_AMOUNT] = c[ROLE_AMOUNT].name;

	/*
	 * A trigger and its twin on the other table make the same check; they
	 * share what they have checked when their key values have one type.
	 */
	initStringInfo(&identity);
	appendStringInfo(&identity, "%u %u %u", info->installments, info->offers,
					 state->row_key_type);
	for (int r = 0; r < NROLES; r++)
		if (info->columns[r].argno > 0 && constraint_roles[r].kind != IQ_ARG_TABLE)
			appendStringInfo(&identity, " %s=%s", constraint_roles[r].name,
							 quote_identifier(info->columns[r].name));
	state->identity = identity.data;
	info->extra = state;
}

const IqTriggerKind iq_installment_constraint_kind = {
	.funcname = "iq_installment_constraint",
	.timing = TRIGGER_TYPE_AFTER,
	.events = TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE,
	.nroles = NROLES,
	.roles = constraint_roles,
	.min_positional = ROLE_TERM + 1,
	.max_positional = ROLE_ACCEPTANCE + 1,
	.args_hint = "Pass the installment table and its offer, invoice date and amount columns, then the offer table and its key, contract total, contract term and (optionally) acceptance date columns.",
	.validate = validate_constraint,
	.prepare = prepare_constraint,
};

/* One installment as read, its date already a date. */
typedef struct InstallmentRow
{
	Datum		date;
	Datum		amount;
	bool		date_null;
	bool		amount_null;
} InstallmentRow;

/* An offer and its installments, as one check read them. */
typedef struct OfferRead
{
	bool		found;
	Datum		key;
	TransactionId xmin;
	Datum		total;
	bool		total_null;
	Datum		term;			/* a daterange column's value */
	bool		term_null;
	DateADT		term_start;		/* or the term's first and last days */
	bool		term_start_null;
	DateADT		term_end;
	bool		term_end_null;
	DateADT		acceptance;
	bool		acceptance_null;
	const IqCurrency *currency; /* NULL: a NULL currency column */
	int			ninstallments;
	InstallmentRow *installments;
} OfferRead;

/* ORDER BY invoice_date NULLS LAST, amount NULLS LAST */
static int
installment_cmp(const void *a, const void *b)
{
	const InstallmentRow *ra = a;
	const InstallmentRow *rb = b;

	if (ra->date_null != rb->date_null)
		return ra->date_null ? 1 : -1;
	if (!ra->date_null && DatumGetDateADT(ra->date) != DatumGetDateADT(rb->date))
		return DatumGetDateADT(ra->date) < DatumGetDateADT(rb->date) ? -1 : 1;
	if (ra->amount_null != rb->amount_null)
		return ra->amount_null ? 1 : -1;
	if (ra->amount_null)
		return 0;
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, ra->amount, rb->amount));
}

static void
too_many_installments(const IqTriggerInfo *info, Datum offer)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("offer %s has more than %d installments, more than can be checked",
					iq_value_to_text(offer, ((ConstraintState *) info->extra)->row_key_type),
					IQ_MAX_PLAN_LENGTH)));
}

/* An installment's date and amount, copied out of the tuple they sit in. */
static void
keep_installment(const IqTriggerInfo *info, InstallmentRow *row, Datum date,
				 bool date_null, Datum amount, bool amount_null)
{
	row->date_null = date_null;
	row->date = date_null ? (Datum) 0 :
		DateADTGetDatum(iq_column_to_date(&info->columns[ROLE_INVOICE_DATE], date));
	row->amount_null = amount_null;
	row->amount = amount_null ? (Datum) 0 : datumCopy(amount, false, -1);
}

/*
 * The offer's currency from its currency column (US dollars without one);
 * NULL for a NULL column, which check_offer refuses once it knows the
 * offer has installments.  An unknown code is an error naming the offer.
 */
static void
read_currency(const IqTriggerInfo *info, Datum offer, Datum value, bool isnull,
			  OfferRead *read)
{
	const IqColumn *column = iq_role_column(info, ROLE_CURRENCY);
	text	   *code;
	int			len;

	read->currency = &iq_currency_usd;
	if (column == NULL)
		return;
	read->currency = NULL;
	if (isnull)
		return;
	code = DatumGetTextPP(value);
	len = VARSIZE_ANY_EXHDR(code);
	/* char(n) pads with spaces */
	if (column->basetype == BPCHAROID)
		while (len > 0 && VARDATA_ANY(code)[len - 1] == ' ')
			len--;
	read->currency = iq_currency_find(VARDATA_ANY(code), len);
	if (read->currency == NULL)
		(void) iq_code_to_currency(VARDATA_ANY(code), len,
								   psprintf(" of offer %s",
											iq_value_to_text(offer,
															 ((ConstraintState *) info->extra)->row_key_type)));
}

/*
 * The offer and its installments through their indexes, with everything
 * committed so far and everything this transaction did.
 */
static void
read_by_index(IqTriggerInfo *info, Datum offer, OfferRead *read)
{
	ConstraintState *state = info->extra;
	const IqColumn *c = info->columns;
	const IqColumn *acceptance = iq_role_column(info, ROLE_ACCEPTANCE);
	Snapshot	snapshot;
	Relation	rel;
	Relation	index;
	TupleTableSlot *slot;
	IndexScanDesc scan;
	ScanKeyData key;
	bool		isnull;

	Assert(OidIsValid(state->offer_lookup.indexoid) &&
		   OidIsValid(state->installment_lookup.indexoid));

	/*
	 * the tables and indexes are locked since the firing began
	 * (trigger_cache.c)
	 */

	/* the statement's own changes show only after the command counter moves */
	CommandCounterIncrement();
	snapshot = RegisterSnapshot(GetLatestSnapshot());

	rel = table_open(info->offers, NoLock);
	index = index_open(state->offer_lookup.indexoid, NoLock);
	slot = table_slot_create(rel, NULL);
	scan = iq_index_lookup_begin(&state->offer_lookup, rel, index, snapshot, offer, &key);
	read->found = index_getnext_slot(scan, ForwardScanDirection, slot);
	if (read->found)
	{
		read->key = datumCopy(slot_getattr(slot, c[ROLE_OFFER_KEY].attnum, &isnull),
							  state->key_typbyval, state->key_typlen);
		read->xmin = DatumGetTransactionId(slot_getsysattr(slot, MinTransactionIdAttributeNumber,
														   &isnull));
		read->total = slot_getattr(slot, c[ROLE_TOTAL].attnum, &read->total_null);
		if (!read->total_null)
			read->total = datumCopy(read->total, false, -1);
		if (iq_role_column(info, ROLE_TERM))
		{
			read->term = slot_getattr(slot, c[ROLE_TERM].attnum, &read->term_null);
			if (!read->term_null)
				read->term = datumCopy(read->term, false, -1);
		}
		else
		{
			Datum		day = slot_getattr(slot, c[ROLE_TERM_START].attnum,
										   &read->term_start_null);

			if (!read->term_start_null)
				read->term_start = iq_column_to_date(&c[ROLE_TERM_START], day);
			day = slot_getattr(slot, c[ROLE_TERM_END].attnum, &read->term_end_null);
			if (!read->term_end_null)
				read->term_end = iq_column_to_date(&c[ROLE_TERM_END], day);
		}
		read->acceptance_null = true;
		if (acceptance != NULL)
		{
			Datum		value = slot_getattr(slot, acceptance->attnum, &read->acceptance_null);

			if (!read->acceptance_null)
				read->acceptance = iq_column_to_date(acceptance, value);
		}
		if (iq_role_column(info, ROLE_CURRENCY))
		{
			Datum		code = slot_getattr(slot, c[ROLE_CURRENCY].attnum, &isnull);

			read_currency(info, offer, code, isnull, read);
		}
		else
			read->currency = &iq_currency_usd;
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(index, NoLock);
	table_close(rel, NoLock);

	read->ninstallments = 0;
	if (read->found)
	{
		int			room = 16;

		read->installments = palloc(sizeof(InstallmentRow) * room);
		rel = table_open(info->installments, NoLock);
		index = index_open(state->installment_lookup.indexoid, NoLock);
		slot = table_slot_create(rel, NULL);
		scan = iq_index_lookup_begin(&state->installment_lookup, rel, index, snapshot,
									 offer, &key);
		while (index_getnext_slot(scan, ForwardScanDirection, slot))
		{
			Datum		date;
			Datum		amount;
			bool		date_null;
			bool		amount_null;

			if (read->ninstallments == IQ_MAX_PLAN_LENGTH)
				too_many_installments(info, offer);
			if (read->ninstallments == room)
			{
				room *= 2;
				read->installments = repalloc(read->installments,
											  sizeof(InstallmentRow) * room);
			}
			date = slot_getattr(slot, c[ROLE_INVOICE_DATE].attnum, &date_null);
			amount = slot_getattr(slot, c[ROLE_AMOUNT].attnum, &amount_null);
			keep_installment(info, &read->installments[read->ninstallments++],
							 date, date_null, amount, amount_null);
		}
		index_endscan(scan);
		ExecDropSingleTupleTableSlot(slot);
		index_close(index, NoLock);
		table_close(rel, NoLock);
	}
	UnregisterSnapshot(snapshot);
}

/* The same with the prepared query, for tables no index lookup serves. */
static void
read_by_query(IqTriggerInfo *info, Datum offer, OfferRead *read)
{
	ConstraintState *state = info->extra;
	const IqColumn *acceptance = iq_role_column(info, ROLE_ACCEPTANCE);
	TupleDesc	desc;
	bool		isnull;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/*
	 * read-write: the command counter moves on, so the statement's changes
	 * show
	 */
	if (SPI_execute_snapshot(info->plans[CHECK_PLAN], &offer, NULL,
							 GetLatestSnapshot(), InvalidSnapshot,
							 false, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the installments of an offer");
	desc = SPI_tuptable->tupdesc;
	iq_trigger_check_result(info, desc, NCOLS, state->result_types,
							state->result_names);
	if (SPI_processed > IQ_MAX_PLAN_LENGTH)
		too_many_installments(info, offer);

	read->found = SPI_processed > 0;
	read->ninstallments = 0;
	if (read->found)
	{
		HeapTuple	first = SPI_tuptable->vals[0];
		Datum		value;

		value = SPI_getbinval(first, desc, COL_KEY + 1, &isnull);
		read->key = isnull ? (Datum) 0 :
			SPI_datumTransfer(value, state->key_typbyval, state->key_typlen);
		read->xmin = DatumGetTransactionId(SPI_getbinval(first, desc, COL_XMIN + 1, &isnull));
		read->total = SPI_getbinval(first, desc, COL_TOTAL + 1, &read->total_null);
		if (!read->total_null)
			read->total = SPI_datumTransfer(read->total, false, -1);
		if (iq_role_column(info, ROLE_TERM))
		{
			read->term = SPI_getbinval(first, desc, COL_TERM + 1, &read->term_null);
			if (!read->term_null)
				read->term = SPI_datumTransfer(read->term, false, -1);
		}
		else
		{
			value = SPI_getbinval(first, desc, COL_TERM + 1, &read->term_start_null);
			if (!read->term_start_null)
				read->term_start = iq_column_to_date(&info->columns[ROLE_TERM_START], value);
			value = SPI_getbinval(first, desc, COL_TERM_END + 1, &read->term_end_null);
			if (!read->term_end_null)
				read->term_end = iq_column_to_date(&info->columns[ROLE_TERM_END], value);
		}
		value = SPI_getbinval(first, desc, COL_ACCEPTANCE + 1, &read->acceptance_null);
		if (!read->acceptance_null)
			read->acceptance = acceptance ? iq_column_to_date(acceptance, value) :
				DatumGetDateADT(value);
		value = SPI_getbinval(first, desc, COL_CURRENCY + 1, &isnull);
		read_currency(info, offer, value, isnull, read);

		/* in the caller's memory: SPI's goes with SPI_finish */
		read->installments = SPI_palloc(sizeof(InstallmentRow) * SPI_processed);
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tuple = SPI_tuptable->vals[i];
			Datum		date;
			Datum		amount;
			bool		date_null;
			bool		amount_null;

			(void) SPI_getbinval(tuple, desc, COL_REF + 1, &isnull);
			if (isnull)
				continue;		/* the offer has no installments */
			date = SPI_getbinval(tuple, desc, COL_INVOICE_DATE + 1, &date_null);
			amount = SPI_getbinval(tuple, desc, COL_AMOUNT + 1, &amount_null);
			if (!amount_null)
				amount = SPI_datumTransfer(amount, false, -1);
			keep_installment(info, &read->installments[read->ninstallments++],
							 date, date_null, amount, amount_null);
		}
	}
	SPI_finish();
}

/* The installments read, as a plan numbered in date (then amount) order. */
static void
plan_from_read(OfferRead *read, IqPlanValues *plan)
{
	int			n = read->ninstallments;

	qsort(read->installments, n, sizeof(InstallmentRow), installment_cmp);
	plan->ndates = plan->namounts = n;
	plan->dates = palloc(sizeof(Datum) * Max(n, 1));
	plan->date_nulls = palloc(sizeof(bool) * Max(n, 1));
	plan->amounts = palloc(sizeof(Datum) * Max(n, 1));
	plan->amount_nulls = palloc(sizeof(bool) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		plan->dates[i] = read->installments[i].date;
		plan->date_nulls[i] = read->installments[i].date_null;
		plan->amounts[i] = read->installments[i].amount;
		plan->amount_nulls[i] = read->installments[i].amount_null;
	}
}

static uint32
key_hash(const ConstraintState *state, Datum key)
{
	if (!state->hash_keys)
		return 0;
	return DatumGetUInt32(FunctionCall1Coll((FmgrInfo *) &state->hash_proc,
											state->hash_collation, key));
}

/* May the user who fired the trigger see the values read from other rows? */
static bool
values_visible(const IqTriggerInfo *info, Oid userid)
{
	const IqColumn *c = info->columns;
	AttrNumber	offer_columns[5];
	AttrNumber	installment_columns[2];
	int			n = 0;

	offer_columns[n++] = c[ROLE_TOTAL].attnum;
	if (iq_role_column(info, ROLE_TERM))
		offer_columns[n++] = c[ROLE_TERM].attnum;
	else
	{
		offer_columns[n++] = c[ROLE_TERM_START].attnum;
		offer_columns[n++] = c[ROLE_TERM_END].attnum;
	}
	if (iq_role_column(info, ROLE_ACCEPTANCE))
		offer_columns[n++] = c[ROLE_ACCEPTANCE].attnum;
	if (iq_role_column(info, ROLE_CURRENCY))
		offer_columns[n++] = c[ROLE_CURRENCY].attnum;
	installment_columns[0] = c[ROLE_INVOICE_DATE].attnum;
	installment_columns[1] = c[ROLE_AMOUNT].attnum;
	return iq_user_may_read(userid, info->offers, offer_columns, n) &&
		iq_user_may_read(userid, info->installments, installment_columns, 2);
}

/*
 * Check one offer: lock it, read it with everything committed so far, and
 * raise 23514 when its installments break a rule (55000 when another
 * transaction accepted it while this one changed its schedule).  Runs as
 * the trigger table's owner; userid fired the trigger.  Returns the
 * command the check read up to (it saw every change made before).
 */
static CommandId
check_offer(IqTriggerInfo *info, Datum offer, Oid userid)
{
	ConstraintState *state = info->extra;
	OfferRead	read;
	IqPlanValues plan;
	IqOfferKey	offer_key;
	List	   *violations;

	iq_lock_offer(info->offers, key_hash(state, offer));

	/*
	 * Directly through the indexes when both tables have one and the owner
	 * may read them whole; otherwise the query (which also gives the right
	 * error when the owner may not read them).
	 */
	if (state->readable_in != iq_lock_generation())
	{
		state->readable =
			pg_class_aclcheck(info->offers, GetUserId(), ACL_SELECT) == ACLCHECK_OK &&
			pg_class_aclcheck(info->installments, GetUserId(), ACL_SELECT) == ACLCHECK_OK;
		state->readable_in = iq_lock_generation();
	}
	if (OidIsValid(state->offer_lookup.indexoid) &&
		OidIsValid(state->installment_lookup.indexoid) && state->readable)
		read_by_index(info, offer, &read);
	else
		read_by_query(info, offer, &read);

	/* the offer is gone; its own constraints decide about that */
	if (!read.found)
		return GetCurrentCommandId(false);

	/*
	 * Accepted by another transaction after this one changed the schedule:
	 * the acceptance did not see the change.
	 */
	offer_key.value = read.key;
	offer_key.typlen = state->key_typlen;
	offer_key.typbyval = state->key_typbyval;
	if (!read.acceptance_null && !TransactionIdIsCurrentTransactionId(read.xmin) &&
		iq_schedule_changed_here(info->offers, &offer_key))
		iq_refuse_schedule_change(iq_value_to_text(offer, state->row_key_type),
								  read.acceptance,
								  values_visible(info, userid), true);

	/*
	 * Like a CHECK constraint, an unknown total or term is no violation; an
	 * offer without installments has no plan to check.
	 */
	if (read.total_null || read.ninstallments == 0 ||
		(iq_role_column(info, ROLE_TERM) && read.term_null))
		return GetCurrentCommandId(false);

	if (read.currency == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("offer %s has no currency", iq_value_to_text(offer, state->row_key_type)),
				 errdetail("Its installment plan is checked in the currency of column \"%s\" of %s.",
						   info->columns[ROLE_CURRENCY].name,
						   iq_qualified_table_name(info->offers))));
	plan.contract_total = read.total;
	plan.currency = read.currency;
	if (iq_role_column(info, ROLE_TERM))
		plan.term = iq_range_to_term(read.term);
	else
		plan.term = iq_days_to_term(!read.term_start_null, read.term_start,
									!read.term_end_null, read.term_end,
									offer, state->row_key_type);
	plan.has_acceptance = !read.acceptance_null;
	plan.acceptance = read.acceptance_null ? 0 : read.acceptance;
	plan.hide_values = false;
	plan_from_read(&read, &plan);

	violations = iq_plan_violation_list(&plan);
	if (violations != NIL && !values_visible(info, userid))
	{
		plan.hide_values = true;
		violations = iq_plan_violation_list(&plan);
	}
	if (violations != NIL)
		iq_violation_report(violations,
							psprintf("installment plan of offer %s",
									 iq_value_to_text(offer, state->row_key_type)));
	return GetCurrentCommandId(false);
}

/*
 * The command that made the change an event reports: a row's inserting
 * (or updating) command, or a deleted row's deleting one.  InvalidCommandId
 * when the row does not tell (it was not written by this transaction, as
 * far as its header shows).
 */
static CommandId
change_command(TriggerData *trigdata)
{
	HeapTupleHeader header;

	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		header = trigdata->tg_trigtuple->t_data;
		if (!TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetUpdateXid(header)))
			return InvalidCommandId;
		return HeapTupleHeaderGetCmax(header);
	}
	header = (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
			  trigdata->tg_newtuple : trigdata->tg_trigtuple)->t_data;
	if (!TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetRawXmin(header)))
		return InvalidCommandId;
	return HeapTupleHeaderGetCmin(header);
}

/* Check the offer a row names, unless its last check saw the change. */
static void
check_row_offer(IqTriggerInfo *info, TriggerData *trigdata, HeapTuple row,
				CommandId changed)
{
	ConstraintState *state = info->extra;
	IqOfferSet *set = iq_offer_set(state->identity, &state->offers);
	IqOfferKey	key;
	bool		isnull;
	IqSavedUser saved;
	CommandId	read_before;

	key.value = heap_getattr(row, state->row_key_attnum,
							 RelationGetDescr(trigdata->tg_relation), &isnull);
	if (isnull)
		return;					/* belongs to no offer */
	key.typlen = state->row_key_typlen;
	key.typbyval = state->row_key_typbyval;
	if (changed != InvalidCommandId && iq_offer_seen(set, &key, changed))
		return;

	iq_become_owner(trigdata->tg_relation, &saved);
	read_before = check_offer(info, key.value, saved.userid);
	iq_restore_user(&saved);
	iq_offer_checked(set, &key, read_before);
}

/*
 * An update of an offer row that another transaction accepted, by a
 * transaction that changed the offer's schedule before: the acceptance
 * did not see that change.  (Once this transaction's own row version is
 * the latest, the check cannot tell any more whose acceptance it was.)
 */
static void
check_accepted_meanwhile(IqTriggerInfo *info, TriggerData *trigdata)
{
	ConstraintState *state = info->extra;
	HeapTuple	old = trigdata->tg_trigtuple;
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	bool		isnull;
	bool		not_accepted;
	Datum		accepted;
	IqOfferKey	key;

	if (state->row_acceptance_attnum <= 0 ||
		TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetRawXmin(old->t_data)))
		return;
	accepted = heap_getattr(old, state->row_acceptance_attnum, desc, &not_accepted);
	key.value = heap_getattr(old, state->row_key_attnum, desc, &isnull);
	if (not_accepted || isnull)
		return;
	key.typlen = state->row_key_typlen;
	key.typbyval = state->row_key_typbyval;
	if (iq_schedule_changed_here(info->offers, &key))
		iq_refuse_schedule_change(iq_value_to_text(key.value, state->row_key_type),
								  iq_column_to_date(&info->columns[ROLE_ACCEPTANCE], accepted),
								  values_visible(info, GetUserId()), true);
}

PG_FUNCTION_INFO_V1(iq_installment_constraint);
Datum
iq_installment_constraint(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata;
	IqTriggerInfo *info = iq_trigger_info(fcinfo, &iq_installment_constraint_kind, &trigdata);
	CommandId	changed = change_command(trigdata);

	/* decoding refused a trigger on any other table */
	Assert(info->side == IQ_SIDE_INSTALLMENTS || info->side == IQ_SIDE_OFFERS);

	if (info->side == IQ_SIDE_OFFERS && TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		check_accepted_meanwhile(info, trigdata);

	/* an update may move an installment, or change an offer's key */
	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		check_row_offer(info, trigdata, trigdata->tg_trigtuple, changed);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		check_row_offer(info, trigdata, trigdata->tg_newtuple, changed);
	else if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		check_row_offer(info, trigdata, trigdata->tg_trigtuple, changed);

	return PointerGetDatum(NULL);
}

/*
 * iq_offer_event_needed(offer anyelement): for the WHEN clause of an
 * installment table's constraint trigger, false when the previous row the
 * same statement changed (as this WHEN clause saw it) names the same offer.
 * That row's event is queued already and fires no earlier than the end of
 * the statement, so its check sees this row too: a statement that inserts
 * an offer's installments one after another queues one event per offer,
 * not one per installment.  NULL names no offer: false.
 */
typedef struct LastOffer
{
	bool		valid;
	Datum		value;
	int16		typlen;
	bool		typbyval;
} LastOffer;

PG_FUNCTION_INFO_V1(iq_offer_event_needed);
Datum
iq_offer_event_needed(PG_FUNCTION_ARGS)
{
	LastOffer  *last = fcinfo->flinfo->fn_extra;
	Datum		value;
	MemoryContext oldcxt;

	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(false);
	value = PG_GETARG_DATUM(0);
	if (last == NULL)
	{
		last = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(LastOffer));
		get_typlenbyval(get_fn_expr_argtype(fcinfo->flinfo, 0), &last->typlen,
						&last->typbyval);
		fcinfo->flinfo->fn_extra = last;
	}
	else if (last->valid &&
			 datum_image_eq(last->value, value, last->typbyval, last->typlen))
		PG_RETURN_BOOL(false);

	if (last->valid && !last->typbyval)
		pfree(DatumGetPointer(last->value));
	oldcxt = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	last->value = datumCopy(value, last->typbyval, last->typlen);
	MemoryContextSwitchTo(oldcxt);
	last->valid = true;
	PG_RETURN_BOOL(true);
}
