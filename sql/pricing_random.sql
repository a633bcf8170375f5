--
-- Many thousand random requests against the plain SQL a user would write:
-- round(amount * rate, 2) with the 2020 waiver as a CASE.  Repeatable: setseed fixes the random values.
--
SET datestyle = 'ISO, YMD';
SELECT setseed(0.2026);

CREATE TEMP TABLE request AS
SELECT i,
       -- amounts of every magnitude, from cents to the largest allowed
       least(round((random() * 10 ^ (random() * 15))::numeric, 2),
             999999999999999.99) AS amount,
       date '2019-06-01' + (random() * 600)::int AS approved_on
  FROM generate_series(1, 60000) AS i;

-- amounts ending in 0.10 and 0.30 put many fees exactly on a half cent
INSERT INTO request
SELECT 60000 + i, (i * 10 + 10) / 100.0 + (i % 7) * 1000, date '2020-04-10' + i % 90
  FROM generate_series(1, 10000) AS i;

CREATE TEMP TABLE expected AS
SELECT i, amount, approved_on,
       CASE WHEN approved_on BETWEEN '2020-04-16' AND '2020-06-30'
            THEN 0 ELSE round(amount * 0.15, 2) END AS fee,
       CASE WHEN approved_on BETWEEN '2020-04-16' AND '2020-06-30'
            THEN 0 ELSE round(amount * 0.03, 2) END AS buyer_fee
  FROM request;

SELECT count(*) AS requests,
       count(*) FILTER (WHERE iq_expert_fee(amount, approved_on) <> fee) AS fee_wrong,
       count(*) FILTER (WHERE iq_payout(amount, approved_on) <> amount - fee) AS payout_wrong,
       count(*) FILTER (WHERE iq_buyer_fee(amount, approved_on) <> buyer_fee) AS buyer_fee_wrong,
       count(*) FILTER (WHERE iq_buyer_total(amount, approved_on) <> amount + buyer_fee) AS total_wrong,
       count(*) FILTER (WHERE scale(iq_payout(amount, approved_on)) <> 2) AS scale_wrong,
       count(*) FILTER (WHERE approved_on BETWEEN '2020-04-16' AND '2020-06-30') > 1000 AS waiver_covered,
       count(*) FILTER (WHERE amount * 1500 % 100 = 50) > 1000 AS half_cents_covered
  FROM expected;

-- iq_charge agrees with the single functions
SELECT count(*) FILTER (WHERE (c).expert_fee <> fee OR (c).buyer_fee <> buyer_fee
                          OR (c).expert_payout <> amount - fee
                          OR (c).buyer_total <> amount + buyer_fee) AS charge_wrong
  FROM (SELECT iq_charge(amount, approved_on) AS c, fee, buyer_fee, amount FROM expected) AS s;

-- iq_fee_at against round() with random rates of up to 18 decimals
SELECT count(*) > 60000 AS many_pairs,
       count(*) FILTER (WHERE iq_fee_at(amount, rate) <> round(amount * rate, 2)) AS fee_at_wrong
  FROM (SELECT amount, round(random()::numeric, (random() * 18)::int) AS rate
          FROM request) AS s
 WHERE rate < 1;
