/*
 * offer_reads.c
 *		Reading an offer and all its installments for a check of its
 *		installment plan.
 *
 * Where both tables have a btree index to find the rows by and the owner
 * may read them whole, the rows are read through the indexes directly: a
 * prepared query's executor start-up would cost more than the lookups.
 * Otherwise one prepared query reads the offer and its installments, which
 * also applies row-level security and gives the right error when the owner
 * may not read them.
 */
#include "compat.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "installment.h"
#include "offer_reads.h"
#include "trigger_cache.h"
#include "violation.h"

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

/*
 * Offers read ahead of their checks.  A statement's deferred checks fire in
 * the order its rows were written, which for serial keys is mostly key
 * order: reading the next offers and their installments in the same two
 * index scans saves two index descents per offer.  Only integer keys of
 * one type on both tables are read ahead, since their order and equality
 * are the integers'.
 *
 * What was read ahead is used only while reading again would return the
 * same: while no command of this transaction has changed anything (the
 * command counter has not moved) and no transaction or subtransaction that
 * could have changed anything has ended (the snapshot's count of them,
 * which this transaction's end and its rolled-back subtransactions move
 * too).
 */
#define AHEAD_FIRST		4		/* offers read ahead once checks ascend */
#define AHEAD_MOST		64		/* ... doubling while all are used */
#define AHEAD_ROWS		1024	/* installments read ahead, at most */
#define AHEAD_NEAR		8		/* a key at most this far above the last */

StaticAssertDecl(AHEAD_ROWS < IQ_MAX_PLAN_LENGTH,
				 "only the offer checked may reach the installments a check reads");

typedef struct AheadOffer
{
	int64		key;
	OfferRead	read;
} AheadOffer;

typedef struct ReadAhead
{
	MemoryContext context;		/* what was read; reset by the next reading */
	uint64		completions;	/* what it was read under */
	CommandId	command;
	AheadOffer *offers;
	int			noffers;
	int			next;			/* those before were used or passed over */
	int			size;			/* how many to read ahead next time */
	int64		last_key;		/* of the last check */
	int			ascending;		/* checks in a row a little above the last */
} ReadAhead;

void
iq_offer_reader_prepare(IqTriggerInfo *info, IqOfferReader *reader, Relation rel,
						Oid value_type, int plan)
{
	const IqColumn *c = info->columns;
	const IqColumn *acceptance = iq_role_column(info, ROLE_ACCEPTANCE);
	const IqColumn *term_from = iq_role_column(info, ROLE_TERM) ?
	&c[ROLE_TERM] : &c[ROLE_TERM_START];
	const IqColumn *term_to = iq_role_column(info, ROLE_TERM_END);
	const IqColumn *currency = iq_role_column(info, ROLE_CURRENCY);
	Oid			owner = RelationGetForm(rel)->relowner;
	Oid			basetype = getBaseType(value_type);
	Relation	offers;
	Relation	installments;
	StringInfoData sql;

	reader->value_type = value_type;
	reader->value_basetype = basetype;
	get_typlenbyval(c[ROLE_OFFER_KEY].type, &reader->key_typlen, &reader->key_typbyval);

	/* index lookups of the offer by key and its installments by offer column */
	offers = table_open(info->offers, NoLock);
	installments = table_open(info->installments, NoLock);
	iq_index_lookup_prepare(&reader->offer_lookup, offers,
							c[ROLE_OFFER_KEY].attnum, basetype, owner);
	iq_index_lookup_prepare(&reader->installment_lookup, installments,
							c[ROLE_OFFER_REF].attnum, basetype, owner);
	table_close(offers, NoLock);
	table_close(installments, NoLock);
	if (OidIsValid(reader->offer_lookup.indexoid) &&
		OidIsValid(reader->installment_lookup.indexoid))
	{
		info->indexes[info->nindexes++] = reader->offer_lookup.indexoid;
		info->indexes[info->nindexes++] = reader->installment_lookup.indexoid;
		if ((basetype == INT2OID || basetype == INT4OID || basetype == INT8OID) &&
			c[ROLE_OFFER_KEY].basetype == basetype &&
			c[ROLE_OFFER_REF].basetype == basetype &&
			OidIsValid(reader->offer_lookup.geproc) &&
			OidIsValid(reader->installment_lookup.geproc) &&
			!OidIsValid(reader->offer_lookup.subtype) &&
			!OidIsValid(reader->installment_lookup.subtype))
		{
			reader->ahead = palloc0(sizeof(ReadAhead));
			reader->ahead->context = AllocSetContextCreate(info->context,
														   "iqfees offers read ahead",
														   ALLOCSET_DEFAULT_SIZES);
			reader->ahead->size = AHEAD_FIRST;
			reader->ahead->last_key = PG_INT64_MAX;
		}
	}

	/*
	 * The offer row and all its installments in one query; an offer without
	 * installments comes back as one row with NULL installment columns.
	 * Sorting is left to the check: a Sort node per check costs more.
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
	reader->plan = plan;
	iq_trigger_prepare(info, plan, sql.data, 1, &value_type);

	reader->result_types = palloc(sizeof(Oid) * NCOLS);
	reader->result_names = palloc(sizeof(char *) * NCOLS);
	reader->result_types[COL_KEY] = c[ROLE_OFFER_KEY].type;
	reader->result_types[COL_XMIN] = XIDOID;
	reader->result_types[COL_TOTAL] = c[ROLE_TOTAL].type;
	reader->result_types[COL_TERM] = term_from->type;
	reader->result_types[COL_TERM_END] = term_to ? term_to->type : DATEOID;
	reader->result_types[COL_ACCEPTANCE] = acceptance ? acceptance->type : DATEOID;
	reader->result_types[COL_CURRENCY] = currency ? currency->type : TEXTOID;
	reader->result_types[COL_REF] = c[ROLE_OFFER_REF].type;
	reader->result_types[COL_INVOICE_DATE] = c[ROLE_INVOICE_DATE].type;
	reader->result_types[COL_AMOUNT] = c[ROLE_AMOUNT].type;
	reader->result_names[COL_KEY] = c[ROLE_OFFER_KEY].name;
	reader->result_names[COL_XMIN] = "xmin";
	reader->result_names[COL_TOTAL] = c[ROLE_TOTAL].name;
	reader->result_names[COL_TERM] = term_from->name;
	reader->result_names[COL_TERM_END] = term_to ? term_to->name : "NULL";
	reader->result_names[COL_ACCEPTANCE] = acceptance ? acceptance->name : "NULL";
	reader->result_names[COL_CURRENCY] = currency ? currency->name : "NULL";
	reader->result_names[COL_REF] = c[ROLE_OFFER_REF].name;
	reader->result_names[COL_INVOICE_DATE] = c[ROLE_INVOICE_DATE].name;
	reader->result_names[COL_AMOUNT] = c[ROLE_AMOUNT].name;
}

static void
too_many_installments(const IqOfferReader *reader, Datum offer)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("offer %s has more than %d installments, more than can be checked",
					iq_value_to_text(offer, reader->value_type),
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
 * The currency a currency column's value names, NULL for an unknown code;
 * *code and *len are the code as written.
 */
static const IqCurrency *
find_currency(const IqColumn *column, Datum value, const char **code, int *len)
{
	struct varlena *written = PG_DETOAST_DATUM_PACKED(value);

	*code = VARDATA_ANY(written);
	*len = VARSIZE_ANY_EXHDR(written);
	/* char(n) pads with spaces */
	if (column->basetype == BPCHAROID)
		while (*len > 0 && (*code)[*len - 1] == ' ')
			(*len)--;
	return iq_currency_find(*code, *len);
}

/*
 * The offer's currency from its currency column (US dollars without one);
 * NULL for a NULL column, which check_offer refuses once it knows the
 * offer has installments.  An unknown code is an error naming the offer.
 */
static void
read_currency(const IqTriggerInfo *info, const IqOfferReader *reader, Datum offer,
			  Datum value, bool isnull, OfferRead *read)
{
	const IqColumn *column = iq_role_column(info, ROLE_CURRENCY);
	const char *code;
	int			len;

	read->currency = &iq_currency_usd;
	if (column == NULL)
		return;
	read->currency = NULL;
	if (isnull)
		return;
	read->currency = find_currency(column, value, &code, &len);
	if (read->currency == NULL)
		(void) iq_code_to_currency(code, len,
								   psprintf(" of offer %s",
											iq_value_to_text(offer, reader->value_type)));
}

/* The offer's columns from its row in slot, copied out of it. */
static void
read_offer_columns(IqTriggerInfo *info, const IqOfferReader *reader, TupleTableSlot *slot,
				   Datum offer, OfferRead *read)
{
	const IqColumn *c = info->columns;
	const IqColumn *acceptance = iq_role_column(info, ROLE_ACCEPTANCE);
	bool		isnull;

	read->key = datumCopy(slot_getattr(slot, c[ROLE_OFFER_KEY].attnum, &isnull),
						  reader->key_typbyval, reader->key_typlen);
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

		read_currency(info, reader, offer, code, isnull, read);
	}
	else
		read->currency = &iq_currency_usd;
}

/* Append the installment in slot to what was read of an offer. */
static void
add_installment(IqTriggerInfo *info, OfferRead *read, TupleTableSlot *slot)
{
	const IqColumn *c = info->columns;
	Datum		date;
	Datum		amount;
	bool		date_null;
	bool		amount_null;

	if (read->ninstallments == read->room)
	{
		read->room = Max(16, read->room * 2);
		read->installments = read->installments == NULL ?
			palloc(sizeof(InstallmentRow) * read->room) :
			repalloc(read->installments, sizeof(InstallmentRow) * read->room);
	}
	date = slot_getattr(slot, c[ROLE_INVOICE_DATE].attnum, &date_null);
	amount = slot_getattr(slot, c[ROLE_AMOUNT].attnum, &amount_null);
	keep_installment(info, &read->installments[read->ninstallments++],
					 date, date_null, amount, amount_null);
}

static int64
integer_key(Oid type, Datum value)
{
	switch (type)
	{
		case INT2OID:
			return DatumGetInt16(value);
		case INT4OID:
			return DatumGetInt32(value);
		default:
			return DatumGetInt64(value);
	}
}

/*
 * Note a check of key; true when the checks ascend, each key a little
 * above the one before, so that reading ahead is likely to serve them.
 */
static bool
ahead_wanted(ReadAhead *ahead, int64 key)
{
	if (key > ahead->last_key && (uint64) key - (uint64) ahead->last_key <= AHEAD_NEAR)
		ahead->ascending++;
	else
		ahead->ascending = 0;
	ahead->last_key = key;
	return ahead->ascending >= 2;
}

/* The offer key as read ahead, if it was and still holds. */
static bool
ahead_take(ReadAhead *ahead, uint64 completions, int64 key, OfferRead *read)
{
	if (ahead->next >= ahead->noffers)
		return false;			/* all used */
	if (ahead->completions == completions && completions != 0 &&
		ahead->command == GetCurrentCommandId(false))
	{
		for (int i = ahead->next; i < ahead->noffers; i++)
			if (ahead->offers[i].key == key)
			{
				*read = ahead->offers[i].read;
				ahead->next = i + 1;
				return true;
			}
	}
	/* changed since, or the checks left key order: start small again */
	ahead->noffers = ahead->next = 0;
	ahead->size = AHEAD_FIRST;
	return false;
}

/*
 * Read the offer and its installments, and the next offers after it with
 * theirs, in two index scans.  Offers whose check could fail just for
 * being read (an unknown currency) and offers whose installments were not
 * all read (past AHEAD_ROWS, counting installments of offers that do not
 * exist) are left out: their own checks read them.
 */
static void
read_ahead(IqTriggerInfo *info, IqOfferReader *reader, Snapshot snapshot,
		   uint64 completions, Datum offer, int64 key, OfferRead *read)
{
	ReadAhead  *ahead = reader->ahead;
	const IqColumn *c = info->columns;
	const IqColumn *currency = iq_role_column(info, ROLE_CURRENCY);
	MemoryContext oldcxt;
	IqIndexScan scan;
	int			want;
	int			n = 0;
	int			o = 0;
	int			rows = 0;
	bool		isnull;

	/* grow while every offer read ahead was used */
	want = ahead->noffers > 0 && ahead->next == ahead->noffers ?
		Min(ahead->size * 2, AHEAD_MOST) : ahead->size;
	ahead->size = want;
	ahead->noffers = ahead->next = 0;
	MemoryContextReset(ahead->context);
	oldcxt = MemoryContextSwitchTo(ahead->context);
	ahead->offers = palloc0(sizeof(AheadOffer) * (want + 1));

	iq_index_scan_begin(&scan, &reader->offer_lookup, info->offers, snapshot, offer, true);
	while (n <= want && iq_index_scan_next(&scan))
	{
		TupleTableSlot *slot = scan.slot;
		Datum		value = slot_getattr(slot, c[ROLE_OFFER_KEY].attnum, &isnull);
		int64		k = integer_key(reader->value_basetype, value);

		if (n == 0 && k != key)
			break;				/* the offer is gone */
		if (n > 0 && k == ahead->offers[n - 1].key)
			continue;			/* one row per key, as a lookup reads */
		if (n > 0 && currency != NULL)
		{
			Datum		written = slot_getattr(slot, currency->attnum, &isnull);
			const char *code;
			int			len;

			if (!isnull && find_currency(currency, written, &code, &len) == NULL)
				break;
		}
		ahead->offers[n].key = k;
		ahead->offers[n].read.found = true;
		read_offer_columns(info, reader, slot, value, &ahead->offers[n].read);
		n++;
	}
	iq_index_scan_end(&scan);

	if (n > 0)
	{
		int64		last = ahead->offers[n - 1].key;
		bool		have_group = false;
		int64		group = 0;
		OfferRead  *into = NULL;

		iq_index_scan_begin(&scan, &reader->installment_lookup, info->installments,
							snapshot, offer, true);
		while (iq_index_scan_next(&scan))
		{
			int64		ref = integer_key(reader->value_basetype,
										  slot_getattr(scan.slot, c[ROLE_OFFER_REF].attnum,
													   &isnull));

			if (ref > last)
				break;			/* every offer read has all its installments */
			if (ref != key && rows >= AHEAD_ROWS)
			{
				/* out of room: the offers from this one on go unread */
				while (n > 1 && ahead->offers[n - 1].key >= ref)
					n--;
				break;
			}
			if (!have_group || ref != group)
			{
				have_group = true;
				group = ref;
				while (o < n && ahead->offers[o].key < ref)
					o++;
				into = o < n && ahead->offers[o].key == ref ? &ahead->offers[o].read : NULL;
			}
			rows++;
			if (into == NULL)
				continue;		/* installments of no offer read */
			/* only the offer checked can have this many: AHEAD_ROWS is less */
			if (into->ninstallments == IQ_MAX_PLAN_LENGTH)
				too_many_installments(reader, offer);
			add_installment(info, into, scan.slot);
		}
		iq_index_scan_end(&scan);
	}
	MemoryContextSwitchTo(oldcxt);

	if (n == 0)
	{
		read->found = false;
		return;
	}
	*read = ahead->offers[0].read;
	ahead->completions = completions;
	ahead->command = GetCurrentCommandId(false);
	ahead->noffers = n;
	ahead->next = 1;
}

/* Serve a read from what was read ahead, or read ahead now; or neither. */
static bool
served_ahead(IqTriggerInfo *info, IqOfferReader *reader, Snapshot snapshot,
			 uint64 completions, Datum offer, OfferRead *read)
{
	int64		key;
	bool		wanted;

	/* under SERIALIZABLE, reading offers not checked would lock them */
	if (reader->ahead == NULL || IsolationIsSerializable())
		return false;
	key = integer_key(reader->value_basetype, offer);
	wanted = ahead_wanted(reader->ahead, key);
	if (ahead_take(reader->ahead, completions, key, read))
		return true;
	if (!wanted)
		return false;
	read_ahead(info, reader, snapshot, completions, offer, key, read);
	return true;
}

/*
 * The offer and its installments through their indexes, with everything
 * committed so far and everything this transaction did.  own_row, when
 * not NULL, is the offer's latest row version, written by this
 * transaction: nobody else can have changed it, so it needs no lookup.
 */
static void
read_by_index(IqTriggerInfo *info, IqOfferReader *reader, Datum offer,
			  TupleTableSlot *own_row, OfferRead *read)
{
	Snapshot	latest;
	uint64		completions;
	Snapshot	snapshot;
	IqIndexScan scan;

	Assert(OidIsValid(reader->offer_lookup.indexoid) &&
		   OidIsValid(reader->installment_lookup.indexoid));

	/*
	 * the tables and indexes are locked since the firing began
	 * (trigger_cache.c)
	 */

	/* the statement's own changes show only after the command counter moves */
	CommandCounterIncrement();
	latest = GetLatestSnapshot();
	/* how many transactions had ended then: a registered copy forgets it */
	completions = latest->snapXactCompletionCount;
	snapshot = RegisterSnapshot(latest);
	if (served_ahead(info, reader, snapshot, completions, offer, read))
	{
		UnregisterSnapshot(snapshot);
		return;
	}

	/* with a unique key, the offer's own row is the one a lookup finds */
	if (own_row != NULL && reader->offer_lookup.unique)
	{
		read->found = true;
		read_offer_columns(info, reader, own_row, offer, read);
	}
	else
	{
		iq_index_scan_begin(&scan, &reader->offer_lookup, info->offers, snapshot, offer,
							false);
		read->found = iq_index_scan_next(&scan);
		if (read->found)
			read_offer_columns(info, reader, scan.slot, offer, read);
		iq_index_scan_end(&scan);
	}

	if (read->found)
	{
		iq_index_scan_begin(&scan, &reader->installment_lookup, info->installments,
							snapshot, offer, false);
		while (iq_index_scan_next(&scan))
		{
			if (read->ninstallments == IQ_MAX_PLAN_LENGTH)
				too_many_installments(reader, offer);
			add_installment(info, read, scan.slot);
		}
		iq_index_scan_end(&scan);
	}
	UnregisterSnapshot(snapshot);
}

/* The same with the prepared query, for tables no index lookup serves. */
static void
read_by_query(IqTriggerInfo *info, IqOfferReader *reader, Datum offer, OfferRead *read)
{
	const IqColumn *acceptance = iq_role_column(info, ROLE_ACCEPTANCE);
	TupleDesc	desc;
	bool		isnull;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/*
	 * read-write: the command counter moves on, so the statement's changes
	 * show
	 */
	if (SPI_execute_snapshot(info->plans[reader->plan], &offer, NULL,
							 GetLatestSnapshot(), InvalidSnapshot,
							 false, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the installments of an offer");
	desc = SPI_tuptable->tupdesc;
	iq_trigger_check_result(info, desc, NCOLS, reader->result_types,
							reader->result_names);
	if (SPI_processed > IQ_MAX_PLAN_LENGTH)
		too_many_installments(reader, offer);

	read->found = SPI_processed > 0;
	read->ninstallments = 0;
	if (read->found)
	{
		HeapTuple	first = SPI_tuptable->vals[0];
		Datum		value;

		value = SPI_getbinval(first, desc, COL_KEY + 1, &isnull);
		read->key = isnull ? (Datum) 0 :
			SPI_datumTransfer(value, reader->key_typbyval, reader->key_typlen);
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
		read_currency(info, reader, offer, value, isnull, read);

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

void
iq_read_offer(IqTriggerInfo *info, IqOfferReader *reader, Datum offer,
			  TupleTableSlot *own_row, OfferRead *read)
{
	memset(read, 0, sizeof(OfferRead));
	if (OidIsValid(reader->offer_lookup.indexoid) &&
		OidIsValid(reader->installment_lookup.indexoid) &&
		iq_may_read_tables(&reader->rights, info->offers, info->installments))
		read_by_index(info, reader, offer, own_row, read);
	else
		read_by_query(info, reader, offer, read);
}
