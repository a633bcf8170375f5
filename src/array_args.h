/*
 * array_args.h
 *		One-dimensional array arguments of the SQL-callable functions.
 */
#ifndef IQFEES_ARRAY_ARGS_H
#define IQFEES_ARRAY_ARGS_H

#include "compat.h"

#include "utils/array.h"

/*
 * A one-dimensional array's elements, whatever its lower bound: element i
 * of the result is position i + 1.  A multi-dimensional array is 22023,
 * naming what ("invoice_dates").  Returns the number of elements.
 */
extern int	iq_array_elements(ArrayType *array, const char *what, Oid elemtype,
							  Datum **values, bool **nulls);

#endif							/* IQFEES_ARRAY_ARGS_H */
