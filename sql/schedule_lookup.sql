--
-- Finding the schedule row of an approval date (src/fee_schedule.c)
-- against a join with the table: schedules of 1 to 8 rows (counted), of 9
-- and 200 rows (binary search, remembering the last row found), requests
-- in random and in date order, and dates in gaps that no row covers.
-- Repeatable (setseed); the shipped schedule is back afterwards.
--
SET datestyle = 'ISO, YMD';
SELECT setseed(0.31);

CREATE TEMP TABLE request AS
SELECT i, round((random() * 10000)::numeric, 2) AS amount,
       date '2014-10-01' + (random() * 6500)::int AS approved_on
  FROM generate_series(1, 20000) AS i;

-- the fee, or the SQLSTATE of the error
CREATE FUNCTION try_fee(amount numeric, approved_on date) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN iq_expert_fee(amount, approved_on)::text;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$$;

-- Replace the schedule with nrows rows of 30 days from 2015-01-01 at
-- random rates, every fifth ending 10 days early, and compare.
CREATE FUNCTION lookup_check(nrows int)
RETURNS TABLE (covered bigint, fee_wrong bigint, buyer_fee_wrong bigint,
               in_order_wrong bigint, uncovered bigint, uncovered_not_refused bigint)
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM iq_fee_schedule;
    INSERT INTO iq_fee_schedule
    SELECT daterange(date '2015-01-01' + k * 30,
                     date '2015-01-01' + k * 30 + CASE WHEN k % 5 = 4 THEN 20 ELSE 30 END),
           round(random()::numeric * 0.3, 4), round(random()::numeric * 0.05, 4), 'row ' || k
      FROM generate_series(0, nrows - 1) AS k;

    RETURN QUERY
    SELECT count(s.effective),
           count(*) FILTER (WHERE CASE WHEN s.effective IS NULL THEN false
                                       ELSE iq_expert_fee(r.amount, r.approved_on)
                                            <> round(r.amount * s.expert_fee_rate, 2) END),
           count(*) FILTER (WHERE CASE WHEN s.effective IS NULL THEN false
                                       ELSE iq_buyer_fee(r.amount, r.approved_on)
                                            <> round(r.amount * s.buyer_fee_rate, 2) END),
           count(*) FILTER (WHERE o.fee <> round(r.amount * s.expert_fee_rate, 2)),
           count(*) FILTER (WHERE s.effective IS NULL),
           count(*) FILTER (WHERE s.effective IS NULL AND try_fee(r.amount, r.approved_on) <> '22023')
      FROM request r
      LEFT JOIN iq_fee_schedule s ON s.effective @> r.approved_on
      -- the same requests priced in date order, in one scan
      LEFT JOIN (SELECT i, iq_expert_fee(amount, approved_on) AS fee
                   FROM (SELECT * FROM request r2
                          WHERE EXISTS (SELECT FROM iq_fee_schedule s2
                                         WHERE s2.effective @> r2.approved_on)
                          ORDER BY approved_on OFFSET 0) AS sorted) AS o ON o.i = r.i
     WHERE s.effective IS NOT NULL OR r.i % 10 = 0;
END
$$;

BEGIN;
SELECT n AS schedule_rows, c.*
  FROM unnest('{1,2,3,7,8,9,10,200}'::int[]) AS n, lookup_check(n) AS c;
ROLLBACK;

-- the shipped schedule is back
SELECT count(*) AS shipped_rows, iq_payout(1000, '2020-08-01') AS payout
  FROM iq_fee_schedule;
