/*
 * eligibility.c
 *		SQL-callable expert eligibility functions:
 *		iq_expert_eligibility_violations, iq_expert_eligibility_check and
 *		iq_expert_is_eligible.
 */
#include "compat.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "array_args.h"
#include "calendar.h"
#include "core/eligibility.h"
#include "violation.h"

/* An enum label of iq_certification_level, by the value's OID. */
typedef struct LevelLabel
{
	Oid			value;
	char	   *label;
} LevelLabel;

/* per-expression state, in fn_extra: how to read an iq_certification */
typedef struct EligibilityCache
{
	Oid			certification_type;
	TupleDesc	desc;
	int			nlevels;
	LevelLabel *levels;
} EligibilityCache;

#define CERTIFICATION_NATTS		3

static void
load_levels(EligibilityCache *cache, Oid enum_type)
{
	CatCList   *list = SearchSysCacheList1(ENUMTYPOIDNAME, ObjectIdGetDatum(enum_type));

	cache->nlevels = list->n_members;
	cache->levels = palloc(sizeof(LevelLabel) * Max(list->n_members, 1));
	for (int i = 0; i < list->n_members; i++)
	{
		Form_pg_enum e = (Form_pg_enum) GETSTRUCT(&list->members[i]->tuple);

		cache->levels[i].value = e->oid;
		cache->levels[i].label = pstrdup(NameStr(e->enumlabel));
	}
	ReleaseSysCacheList(list);
}

/* The row type of iq_certification and its level labels, read once. */
static EligibilityCache *
eligibility_cache(FunctionCallInfo fcinfo, Oid certification_type)
{
	EligibilityCache *cache = fcinfo->flinfo->fn_extra;
	MemoryContext oldcxt;
	TupleDesc	desc;

	if (cache != NULL && cache->certification_type == certification_type)
		return cache;

	oldcxt = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	cache = palloc0(sizeof(EligibilityCache));
	desc = lookup_rowtype_tupdesc_copy(certification_type, -1);
	if (desc->natts != CERTIFICATION_NATTS ||
		get_typtype(TupleDescAttr(desc, 0)->atttypid) != TYPTYPE_ENUM ||
		TupleDescAttr(desc, 1)->atttypid != TEXTOID ||
		TupleDescAttr(desc, 2)->atttypid != DATEOID)
		elog(ERROR, "type %s is not (level enum, name text, expires_on date)",
			 format_type_be(certification_type));
	cache->certification_type = certification_type;
	cache->desc = desc;
	load_levels(cache, TupleDescAttr(desc, 0)->atttypid);
	MemoryContextSwitchTo(oldcxt);

	fcinfo->flinfo->fn_extra = cache;
	return cache;
}

static const char *
level_label(const EligibilityCache *cache, Oid value)
{
	for (int i = 0; i < cache->nlevels; i++)
		if (cache->levels[i].value == value)
			return cache->levels[i].label;
	elog(ERROR, "enum value %u is not a certification level", value);
	return NULL;				/* keep compiler quiet */
}

static void
decode_certification(const EligibilityCache *cache, Datum value,
					 IqCertification *certification)
{
	HeapTupleHeader header = DatumGetHeapTupleHeader(value);
	HeapTupleData tuple;
	Datum		values[CERTIFICATION_NATTS];
	bool		nulls[CERTIFICATION_NATTS];

	tuple.t_len = HeapTupleHeaderGetDatumLength(header);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = header;
	heap_deform_tuple(&tuple, cache->desc, values, nulls);

	certification->isnull = false;
	certification->level = nulls[0] ? NULL : level_label(cache, DatumGetObjectId(values[0]));
	certification->name = nulls[1] ? NULL : TextDatumGetCString(values[1]);
	certification->expiry_known = !nulls[2];
	certification->expires_on = nulls[2] ? 0 : DatumGetDateADT(values[2]);
}

static IqFact
fact_arg(FunctionCallInfo fcinfo, int argno)
{
	if (PG_ARGISNULL(argno))
		return IQ_FACT_UNKNOWN;
	return PG_GETARG_BOOL(argno) ? IQ_FACT_TRUE : IQ_FACT_FALSE;
}

/*
 * The arguments (certifications, birth_date, lives_in_us,
 * works_for_us_company, has_us_bank_account, has_us_tin,
 * is_amazon_employee, as_of) as the core's facts.  NULL facts are unknown;
 * false when as_of is NULL, the one argument the question needs.
 */
static bool
expert_from_args(FunctionCallInfo fcinfo, IqExpert *expert, DateADT *as_of)
{
	memset(expert, 0, sizeof(*expert));
	if (PG_ARGISNULL(7))
		return false;
	*as_of = PG_GETARG_DATEADT(7);

	expert->certifications_known = !PG_ARGISNULL(0);
	if (expert->certifications_known)
	{
		ArrayType  *array = PG_GETARG_ARRAYTYPE_P(0);
		EligibilityCache *cache = eligibility_cache(fcinfo, ARR_ELEMTYPE(array));
		IqCertification *certifications;
		Datum	   *values;
		bool	   *nulls;
		int			n;

		n = iq_array_elements(array, "certifications", ARR_ELEMTYPE(array),
							  &values, &nulls);
		certifications = palloc0(sizeof(IqCertification) * Max(n, 1));
		for (int i = 0; i < n; i++)
		{
			if (nulls[i])
				certifications[i].isnull = true;
			else
				decode_certification(cache, values[i], &certifications[i]);
		}
		expert->ncertifications = n;
		expert->certifications = certifications;
	}

	expert->birth_date_known = !PG_ARGISNULL(1);
	if (expert->birth_date_known)
	{
		expert->birth_date = PG_GETARG_DATEADT(1);
		if (DATE_NOT_FINITE(expert->birth_date))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("birth date %s is not a finite date",
							iq_date_to_cstring(expert->birth_date)),
					 errhint("Pass NULL for a birth date that is not known.")));
	}
	expert->lives_in_us = fact_arg(fcinfo, 2);
	expert->works_for_us_company = fact_arg(fcinfo, 3);
	expert->has_us_bank_account = fact_arg(fcinfo, 4);
	expert->has_us_tin = fact_arg(fcinfo, 5);
	expert->is_amazon_employee = fact_arg(fcinfo, 6);
	return true;
}

/* Every violation, as a List of IqViolation *; false when as_of is NULL. */
static bool
eligibility_violations(FunctionCallInfo fcinfo, List **violations)
{
	IqExpert	expert;
	DateADT		as_of;

	*violations = NIL;
	if (!expert_from_args(fcinfo, &expert, &as_of))
		return false;
	iq_eligibility_validate(&expert, as_of, iq_collect_violation, violations);
	return true;
}

PG_FUNCTION_INFO_V1(iq_expert_eligibility_violations);
Datum
iq_expert_eligibility_violations(PG_FUNCTION_ARGS)
{
	List	   *violations;

	if (!eligibility_violations(fcinfo, &violations))
		violations = NIL;
	iq_violation_rows(fcinfo, violations);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(iq_expert_eligibility_check);
Datum
iq_expert_eligibility_check(PG_FUNCTION_ARGS)
{
	List	   *violations;

	if (!eligibility_violations(fcinfo, &violations))
		PG_RETURN_NULL();
	iq_violation_report(violations, "expert");
	PG_RETURN_BOOL(true);
}

PG_FUNCTION_INFO_V1(iq_expert_is_eligible);
Datum
iq_expert_is_eligible(PG_FUNCTION_ARGS)
{
	List	   *violations;

	if (!eligibility_violations(fcinfo, &violations))
		PG_RETURN_NULL();
	PG_RETURN_BOOL(violations == NIL);
}
