/*
 * offer_reads.h
 *		Reading an offer and all its installments for a check of its
 *		installment plan (installment_trigger.c): through the two tables'
 *		indexes where they serve, reading the next offers ahead while
 *		checks come in key order, and otherwise with one prepared query.
 */
#ifndef IQFEES_OFFER_READS_H
#define IQFEES_OFFER_READS_H

#include "compat.h"

#include "executor/tuptable.h"
#include "utils/date.h"

#include "currency.h"
#include "index_lookup.h"
#include "trigger_args.h"
#include "trigger_cache.h"

/* The constraint trigger's arguments, by role. */
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
	int			room;			/* installments allocated */
	InstallmentRow *installments;
} OfferRead;

struct ReadAhead;

/* How one trigger reads offers; part of its decoding. */
typedef struct IqOfferReader
{
	Oid			value_type;		/* of the offer values checks pass */
	Oid			value_basetype;
	int16		key_typlen;		/* the offer key as the offer table stores it */
	bool		key_typbyval;

	/* without a query, when both tables have an index to look rows up by */
	IqIndexLookup offer_lookup;
	IqIndexLookup installment_lookup;
	IqReadRights rights;		/* the owner may read both tables whole */
	struct ReadAhead *ahead;	/* NULL: offers are not read ahead */

	/* otherwise with the query in plan slot plan, and its columns */
	int			plan;
	Oid		   *result_types;
	const char **result_names;
} IqOfferReader;

/*
 * Prepare reader for the trigger being decoded (info, on rel), whose
 * events name offers by values of value_type; the query goes into plan
 * slot plan.  Adds the indexes read to info->indexes.
 */
extern void iq_offer_reader_prepare(IqTriggerInfo *info, IqOfferReader *reader,
									Relation rel, Oid value_type, int plan);

/*
 * Read offer and its installments with everything committed so far and
 * everything this transaction did, as the table owner (the caller's
 * current user).  own_row, when not NULL, is the offer's latest row
 * version, written by this transaction.  read->found is false when the
 * offer does not exist.  Installments come in no particular order.
 */
extern void iq_read_offer(IqTriggerInfo *info, IqOfferReader *reader, Datum offer,
						  TupleTableSlot *own_row, OfferRead *read);

#endif							/* IQFEES_OFFER_READS_H */
