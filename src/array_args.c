/*
 * array_args.c
 *		One-dimensional array arguments of the SQL-callable functions.
 */
#include "compat.h"

#include "access/tupmacs.h"
#include "catalog/pg_type.h"
#include "utils/date.h"
#include "utils/lsyscache.h"

#include "array_args.h"

int
iq_array_elements(ArrayType *array, const char *what, Oid elemtype,
				  Datum **values, bool **nulls)
{
	int16		elemlen;
	bool		elembyval;
	char		elemalign;
	int			n;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array, not %d-dimensional",
						what, ARR_NDIM(array))));
	if (ARR_ELEMTYPE(array) != elemtype)
		elog(ERROR, "%s has element type %u, expected %u", what,
			 ARR_ELEMTYPE(array), elemtype);

	/*
	 * The plans' arrays, without NULLs, walked with their element types
	 * known: dates lie one after another, numerics each at an int-aligned
	 * offset after the one before.
	 */
	if ((elemtype == DATEOID || elemtype == NUMERICOID) && !ARR_HASNULL(array))
	{
		const char *p = ARR_DATA_PTR(array);

		n = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
		*values = palloc(sizeof(Datum) * Max(n, 1));
		*nulls = palloc0(sizeof(bool) * Max(n, 1));
		if (elemtype == DATEOID)
			for (int i = 0; i < n; i++)
				(*values)[i] = DateADTGetDatum(((const DateADT *) p)[i]);
		else
			for (int i = 0; i < n; i++)
			{
				(*values)[i] = PointerGetDatum(p);
				p = att_addlength_pointer(p, -1, p);
				p = (const char *) att_align_nominal(p, TYPALIGN_INT);
			}
		return n;
	}

	/* the plans' element types without a catalog lookup for every call */
	switch (elemtype)
	{
		case DATEOID:
			elemlen = sizeof(DateADT);
			elembyval = true;
			elemalign = TYPALIGN_INT;
			break;
		case NUMERICOID:
			elemlen = -1;
			elembyval = false;
			elemalign = TYPALIGN_INT;
			break;
		default:
			get_typlenbyvalalign(elemtype, &elemlen, &elembyval, &elemalign);
			break;
	}
	deconstruct_array(array, elemtype, elemlen, elembyval, elemalign,
					  values, nulls, &n);
	return n;
}
