--
-- Reading amounts straight from numeric's stored form, and writing results
-- in it (src/money.c), against PostgreSQL's own numeric functions:
-- every amount up to 1000.00 and its negative, sub-cent values, every
-- power of ten from 10^-300 to 10^300 with its neighbours, random values,
-- NaN and the infinities.  Each is read in every form it can take: short
-- and long headers, the packed 1-byte varlena header of a value read from
-- a table, a 4-byte header computed in memory, and compressed.  Repeatable: setseed fixes the random values.
--
SET datestyle = 'ISO, YMD';
SELECT setseed(0.4242);

CREATE TEMP TABLE form_value (v numeric);
INSERT INTO form_value
-- every cent up to 1000.00, with 2 decimals, with none or one where they
-- are zeros, and with 5 (trailing zeros)
SELECT i * 0.01 FROM generate_series(0, 100000) AS i
UNION ALL SELECT trim_scale(i * 0.01) FROM generate_series(0, 100000, 7) AS i
UNION ALL SELECT round(i * 0.01, 5) FROM generate_series(0, 100000, 11) AS i
UNION ALL SELECT -i * 0.01 FROM generate_series(1, 100000, 3) AS i
-- tenths of a cent and smaller: most are sub-cent, every tenth is not
UNION ALL SELECT i * 0.001 FROM generate_series(1, 20000) AS i
UNION ALL SELECT -i * 0.001 FROM generate_series(1, 2000) AS i
UNION ALL SELECT i * 0.00001 FROM generate_series(1, 2000) AS i
-- powers of ten and their neighbours, positive and negative; 10^256 and
-- up, and 10^-257 and down, take the long form
UNION ALL SELECT s * (trim_scale(10::numeric ^ e) + d)
  FROM generate_series(-300, 300) AS e,
       unnest('{-0.01,-0.001,0,0.001,0.01,1}'::numeric[]) AS d,
       unnest('{1,-1}'::numeric[]) AS s
-- more than 63 decimals take the long form even for small values
UNION ALL SELECT round(i * 0.01, 64 + i % 40) FROM generate_series(0, 3000) AS i
UNION ALL SELECT round(i * 0.001, 70) FROM generate_series(1, 100) AS i
-- around the largest amount
UNION ALL SELECT unnest('{999999999999999.99,999999999999999.990,1000000000000000,
                          1000000000000000.00,999999999999999.995,99999999999999999.99,
                          9223372036854775807,92233720368547758.07,-999999999999999.99}'::numeric[])
-- random values of every size, sign and scale
UNION ALL SELECT (CASE WHEN random() < 0.1 THEN -1 ELSE 1 END) *
                 round((random() * 10 ^ (random() * 20))::numeric, (random() * 4)::int)
  FROM generate_series(1, 20000)
-- large enough to be stored compressed
UNION ALL SELECT 10::numeric ^ 5000 - 1
UNION ALL SELECT 1 - 10::numeric ^ 5000
UNION ALL SELECT unnest('{NaN,Infinity,-Infinity}'::numeric[]);

-- the digit count from numeric_send: long-form values are 2 bytes bigger
CREATE TEMP VIEW form AS
SELECT v,
       get_byte(numeric_send(v), 0) * 256 + get_byte(numeric_send(v), 1) AS ndigits,
       pg_column_size(v) AS stored_size,
       pg_column_size(v + 0) AS memory_size
  FROM form_value;

-- every form is covered
SELECT count(*) AS tested,
       count(*) FILTER (WHERE v = 'NaN' OR abs(v) = 'Infinity') AS special,
       count(*) FILTER (WHERE abs(v) <> 'Infinity' AND v <> 'NaN'
                          AND memory_size = 6 + 2 * ndigits) AS short_form,
       count(*) FILTER (WHERE memory_size = 8 + 2 * ndigits) AS long_form,
       count(*) FILTER (WHERE stored_size < memory_size AND memory_size < 127) AS packed_header,
       count(*) FILTER (WHERE stored_size < memory_size / 4) AS compressed,
       count(*) FILTER (WHERE v < 0) AS negative,
       count(*) FILTER (WHERE v > -1 AND v < 1 AND v <> 0) AS below_one
  FROM form;

-- What PostgreSQL's numeric functions say the amount rules give: the
-- cents (numeric_mul by 100, then numeric_int8), or the error.
CREATE FUNCTION expected_amount(v numeric) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN v = 'NaN' OR abs(v) = 'Infinity' THEN '22023 amount ' || v || ' is not a finite number'
        WHEN v < 0 THEN '22023 amount ' || v || ' is negative'
        WHEN v <> trunc(v, 2) THEN '22023 amount ' || v || ' has more than two decimal places'
        WHEN v > 999999999999999.99 THEN '22003 amount ' || v || ' is too large'
        ELSE ((v * 100)::bigint)::text
    END
$$;

-- What iqfees reads: in the 2020 fee waiver the payout is the amount.
CREATE FUNCTION iqfees_amount(v numeric) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN ((iq_payout(v, '2020-05-01') * 100)::bigint)::text;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;

-- read from the table's pages, and from values computed in memory
SELECT count(*) FILTER (WHERE iqfees_amount(v) IS DISTINCT FROM expected_amount(v)) AS from_page_wrong,
       count(*) FILTER (WHERE iqfees_amount(v + 0) IS DISTINCT FROM expected_amount(v)) AS in_memory_wrong,
       count(*) FILTER (WHERE expected_amount(v) ~ '^[0-9]+$') AS valid,
       count(*) FILTER (WHERE expected_amount(v) LIKE '%negative') AS negative,
       count(*) FILTER (WHERE expected_amount(v) LIKE '%decimal places') AS sub_cent,
       count(*) FILTER (WHERE expected_amount(v) LIKE '%too large') AS too_large,
       count(*) FILTER (WHERE expected_amount(v) LIKE '%finite number') AS not_finite
  FROM form_value;

-- a few of each, to show the messages
SELECT v, iqfees_amount(v)
  FROM (SELECT v, row_number() OVER (PARTITION BY regexp_replace(expected_amount(v), '^(\d+) .* ', '\1 ')
                                     ORDER BY abs(v) NULLS FIRST, v) AS n
          FROM form_value
         WHERE expected_amount(v) !~ '^[0-9]+$' AND length(v::text) < 30) AS s
 WHERE n <= 2
 ORDER BY iqfees_amount(v), v;

-- Results are numeric's own stored form, byte for byte: the same digits,
-- weight, sign and scale (numeric_send) and the same size as round(x, 2).
SELECT count(*) AS priced,
       count(*) FILTER (WHERE numeric_send(iq_payout(v, '2020-05-01')) <> numeric_send(round(v, 2))
                           OR pg_column_size(iq_payout(v, '2020-05-01')) <> pg_column_size(round(v, 2))) AS payout_wrong,
       count(*) FILTER (WHERE numeric_send(iq_expert_fee(v, '2021-01-01')) <> numeric_send(round(v * 0.15, 2))
                           OR pg_column_size(iq_expert_fee(v, '2021-01-01')) <> pg_column_size(round(v * 0.15, 2))) AS fee_wrong,
       count(*) FILTER (WHERE numeric_send(iq_buyer_total(v, '2021-01-01')) <> numeric_send(round(v + round(v * 0.03, 2), 2))
                           OR pg_column_size(iq_buyer_total(v, '2021-01-01')) <> pg_column_size(round(v + round(v * 0.03, 2), 2))) AS total_wrong
  FROM form_value
 WHERE expected_amount(v) ~ '^[0-9]+$';

-- Rates in every form, against round(amount * rate, 2).
CREATE TEMP TABLE form_rate (r numeric);
INSERT INTO form_rate
SELECT i * 0.0001 FROM generate_series(0, 9999) AS i
UNION ALL SELECT round(i * 0.0001, 64 + i % 30) FROM generate_series(0, 9999, 13) AS i
UNION ALL SELECT trunc(random()::numeric, (random() * 18)::int) FROM generate_series(1, 5000)
UNION ALL SELECT unnest('{0.999999999999999999,0.000000000000000001,0.15000000000000000000000000000000000000000000000000000000000000000000}'::numeric[]);

SELECT count(*) AS pairs,
       count(*) FILTER (WHERE pg_column_size(r + 0) = 8 + 2 * (get_byte(numeric_send(r), 0) * 256
                                                            + get_byte(numeric_send(r), 1))) AS long_form_pairs,
       count(*) FILTER (WHERE iq_fee_at(a, r) <> round(a * r, 2)) AS fee_wrong,
       count(*) FILTER (WHERE iq_fee_at(a, r + 0) <> round(a * r, 2)) AS in_memory_fee_wrong
  FROM form_rate, unnest('{0.01,1000.00,123456789.99,999999999999999.99}'::numeric[]) AS a;
