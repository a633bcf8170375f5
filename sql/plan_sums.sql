--
-- The total_mismatch rule adds whole-cent amounts in cents and falls back
-- to numeric when an amount has sub-cent digits (src/installment.c).
-- Both against numeric's own sum, 0.00 + sum(amounts): whether it matches
-- the contract total, and its text in the message, for amounts with 0 to
-- 5 decimals, negative, NULL and large ones.  Repeatable: setseed fixes the random values.
--
SET datestyle = 'ISO, YMD';
SELECT setseed(0.515);

CREATE TEMP TABLE sum_case AS
WITH element AS (
    SELECT i, k,
           CASE WHEN r < 0.3 THEN round(m, 2)
                WHEN r < 0.45 THEN round(m, 2)::numeric(20, 5)
                WHEN r < 0.55 THEN trim_scale(round(m, 2))
                WHEN r < 0.7 THEN -round(m, 2)
                WHEN r < 0.75 THEN round(m, 3)
                WHEN r < 0.9 THEN round(m * 1000000000000)
                ELSE NULL END AS amount
      FROM (SELECT i, k, random() AS r, (random() * 1000)::numeric AS m
              FROM generate_series(1, 4000) AS i,
                   generate_series(1, 1 + i % 12) AS k) AS s
)
SELECT i, array_agg(date '2024-01-01' + k ORDER BY k) AS dates,
       array_agg(amount ORDER BY k) AS amounts,
       0.00 + coalesce(sum(amount), 0) AS exact_sum
  FROM element
 GROUP BY i;

-- a third of the totals match the sum exactly (where it is a valid total)
ALTER TABLE sum_case ADD COLUMN total numeric;
UPDATE sum_case
   SET total = CASE WHEN i % 3 = 0 AND exact_sum >= 0 AND exact_sum = trunc(exact_sum, 2)
                         AND exact_sum <= 999999999999999.99 THEN exact_sum
                    ELSE least(abs(round(exact_sum, 2)) + 0.01, 999999999999999.99) END;

SELECT count(*) AS plans,
       count(*) FILTER (WHERE v.message IS DISTINCT FROM
                              CASE WHEN c.exact_sum = c.total THEN NULL
                                   ELSE format('the amounts add up to %s, not the contract total %s',
                                               c.exact_sum, round(c.total, 2)) END) AS wrong,
       count(*) FILTER (WHERE c.exact_sum = c.total) AS matching,
       count(*) FILTER (WHERE scale(c.exact_sum) > 2
                          AND c.exact_sum = trunc(c.exact_sum, 2)) AS whole_cents_wide_scale,
       count(*) FILTER (WHERE c.exact_sum < 0) AS negative_sum,
       count(*) FILTER (WHERE c.exact_sum <> trunc(c.exact_sum, 2)) AS sub_cent_sum,
       count(*) FILTER (WHERE array_position(c.amounts, NULL) IS NOT NULL) AS with_null
  FROM sum_case AS c
  LEFT JOIN LATERAL (
      SELECT message
        FROM iq_installment_plan_violations(c.dates, c.amounts, c.total,
                                            '[2024-01-01,2025-01-01)')
       WHERE rule = 'total_mismatch') AS v ON true;

-- amounts that add up only with their sub-cent digits, and a sum too
-- large for 64-bit cents
SELECT * FROM iq_installment_plan_violations('{2024-01-01,2024-02-01}', '{0.005,0.995}', 1,
                                             '[2024-01-01,2025-01-01)');
SELECT rule, message
  FROM iq_installment_plan_violations(
           ARRAY(SELECT date '2024-01-01' + k FROM generate_series(1, 10000) AS k),
           array_fill(999999999999999.99, ARRAY[10000]), 0, '[2024-01-01,2100-01-01)')
 WHERE rule = 'total_mismatch';
