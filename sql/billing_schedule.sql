--
-- Billing dates: an invoice dated before acceptance is billed at
-- acceptance, every bill at 00:00 UTC whatever the TimeZone setting, and
-- the monthly "what is billed" report.
--
SET datestyle = 'ISO, YMD';
SET timezone = 'UTC';
\set VERBOSITY default

--
-- iq_billed_on
--
SELECT invoice_date, acceptance_date, iq_billed_on(invoice_date, acceptance_date) AS billed_on
  FROM (VALUES (date '2025-02-01', date '2025-03-05'),   -- before: at acceptance
               ('2025-03-05', '2025-03-05'),             -- on the day
               ('2025-04-01', '2025-03-05'),             -- after: on its date
               ('-infinity', '2025-03-05'),
               ('infinity', '2025-03-05'),
               ('2025-04-01', '-infinity'),
               ('2025-04-01', 'infinity'),
               ('2025-04-01', NULL),                     -- not accepted: not billed
               (NULL, '2025-03-05')) AS t(invoice_date, acceptance_date);

--
-- iq_billing_schedule
--

-- a plan whose first invoice falls before acceptance: billed at acceptance
SELECT * FROM iq_billing_schedule('{2025-02-01,2025-03-01,2025-04-01}', '{400,300,300}', '2025-03-05');
-- not accepted yet: the schedule, with nothing billed
SELECT * FROM iq_billing_schedule('{2025-02-01,2025-03-01}', '{400,300.000}');
-- a generated plan
SELECT b.*
  FROM (SELECT array_agg(invoice_date ORDER BY installment) AS dates,
               array_agg(amount ORDER BY installment) AS amounts
          FROM iq_installment_plan(1000, 3, '2024-12-31', '2 months')) AS p,
       iq_billing_schedule(p.dates, p.amounts, '2025-01-15') AS b;

-- 00:00 UTC, whatever the session's time zone: the instant is the same,
-- only its display changes
SET timezone = 'America/Los_Angeles';
SELECT billed_on, billed_at, billed_at = (billed_on::timestamp AT TIME ZONE 'UTC') AS midnight_utc
  FROM iq_billing_schedule('{2025-03-01,2025-07-01}', '{1,1}', '2025-01-01');
SET timezone = 'Asia/Kolkata';
SELECT billed_on, billed_at, billed_at = (billed_on::timestamp AT TIME ZONE 'UTC') AS midnight_utc
  FROM iq_billing_schedule('{2025-03-01,2025-07-01}', '{1,1}', '2025-01-01');
SET timezone = 'UTC';

-- infinite dates give infinite instants
SELECT * FROM iq_billing_schedule('{-infinity,infinity}', '{1,1}', '2025-01-01');
SELECT * FROM iq_billing_schedule('{2025-01-01}', '{1}', 'infinity');
-- the last day with a timestamp is fine; past it: 22008
SELECT * FROM iq_billing_schedule('{294276-12-31}', '{1}', '2025-01-01');
SELECT * FROM iq_billing_schedule('{294277-01-01}', '{1}', '2025-01-01');
\echo :LAST_ERROR_SQLSTATE
-- the same dates with no acceptance need no timestamp
SELECT * FROM iq_billing_schedule('{294277-01-01}', '{1}');

-- lower bounds other than 1: installments are counted from 1
SELECT * FROM iq_billing_schedule('[0:1]={2025-01-01,2025-02-01}'::date[], '[7:8]={5,6}'::numeric[], '2025-01-15');
-- empty arrays, NULL arrays: no rows
SELECT (SELECT count(*) FROM iq_billing_schedule('{}', '{}', '2025-01-01')) AS empty,
       (SELECT count(*) FROM iq_billing_schedule(NULL, '{1}', '2025-01-01')) AS null_dates,
       (SELECT count(*) FROM iq_billing_schedule('{2025-01-01}', NULL, '2025-01-01')) AS null_amounts;

-- hostile input: each an error with its SQLSTATE
SELECT * FROM iq_billing_schedule('{2025-01-01,2025-02-01}', '{1}', '2025-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_billing_schedule('{2025-01-01,NULL}', '{1,1}', '2025-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_billing_schedule('{2025-01-01,2025-02-01}', '{1,NULL}', '2025-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_billing_schedule('{2025-01-01}', '{-1}', '2025-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_billing_schedule('{2025-01-01}', '{0.001}', '2025-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_billing_schedule('{2025-01-01}', '{NaN}', '2025-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_billing_schedule('{2025-01-01}', '{1e15}', '2025-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM iq_billing_schedule('{{2025-01-01}}', '{1}', '2025-01-01');
\echo :LAST_ERROR_SQLSTATE

--
-- The monthly billed revenue report, section 4: what is billed in March
-- 2025, over offers with one row per installment ...
--
CREATE TEMP TABLE report_offer (
    id             int PRIMARY KEY,
    contract_total numeric(14,2) NOT NULL,
    contract_term  daterange NOT NULL,
    accepted_on    date
);
CREATE TEMP TABLE report_installment (
    offer_id     int NOT NULL REFERENCES report_offer,
    invoice_date date NOT NULL,
    amount       numeric(14,2) NOT NULL
);
INSERT INTO report_offer VALUES
    (1, 1200, '[2025-01-01,2026-01-01)', '2025-01-10'),  -- monthly from 2025-01-15
    (2, 900, '[2025-02-01,2026-02-01)', '2025-03-05'),   -- first invoice 2025-02-01, before acceptance
    (3, 500, '[2025-03-01,2025-04-01)', NULL);           -- not accepted: nothing billed
INSERT INTO report_installment
SELECT 1, invoice_date, amount FROM iq_installment_plan(1200, 12, '2025-01-15')
UNION ALL
SELECT 2, invoice_date, amount FROM iq_installment_plan(900, 3, '2025-02-01', '3 months')
UNION ALL
SELECT 3, '2025-03-15', 500;

SELECT o.id AS offer, lower(o.contract_term) AS contract_start,
       upper(o.contract_term) - 1 AS contract_end, o.contract_total,
       (SELECT count(*) FROM report_installment n WHERE n.offer_id = o.id) AS payments,
       i.invoice_date, iq_billed_on(i.invoice_date, o.accepted_on) AS billed_on, i.amount
  FROM report_offer o JOIN report_installment i ON i.offer_id = o.id
 WHERE iq_billed_on(i.invoice_date, o.accepted_on) >= '2025-03-01'
   AND iq_billed_on(i.invoice_date, o.accepted_on) < '2025-04-01'
 ORDER BY offer, i.invoice_date;

-- ... and over offers that keep the schedule as arrays
SELECT o.id AS offer, o.contract_total, cardinality(s.dates) AS payments,
       b.invoice_date, b.billed_on, b.billed_at, b.amount
  FROM report_offer o
  JOIN (SELECT offer_id, array_agg(invoice_date ORDER BY invoice_date) AS dates,
               array_agg(amount ORDER BY invoice_date) AS amounts
          FROM report_installment GROUP BY offer_id) AS s ON s.offer_id = o.id,
       iq_billing_schedule(s.dates, s.amounts, o.accepted_on) AS b
 WHERE b.billed_at >= '2025-03-01 00:00+00' AND b.billed_at < '2025-04-01 00:00+00'
 ORDER BY offer, b.installment;

DROP TABLE report_installment;
DROP TABLE report_offer;
