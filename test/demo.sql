-- The walk-through test/demo runs on a throwaway cluster.
\pset footer off
CREATE EXTENSION iqfees;

\echo
\echo 'AWS IQ pricing example: a 1,000 USD payment request approved on 2020-08-01'
SELECT amount, expert_fee_rate, expert_fee, expert_payout,
       buyer_fee_rate, buyer_fee, buyer_total
  FROM iq_charge(1000, '2020-08-01');

\echo 'The same request approved on 2020-06-30, inside the 2020 fee waiver'
SELECT amount, expert_fee, expert_payout, buyer_fee, buyer_total
  FROM iq_charge(1000, '2020-06-30');

\echo 'Around the waiver window'
SELECT d AS approved_on, iq_expert_fee(1000, d) AS fee,
       iq_payout(1000, d) AS payout, iq_buyer_total(1000, d) AS buyer_total
  FROM unnest('{2020-04-15,2020-04-16,2020-06-30,2020-07-01}'::date[]) AS d;

\echo 'The fee schedule the prices come from'
SELECT * FROM iq_fee_schedule ORDER BY effective;

\echo 'A billing table priced by the trigger iq_price_requests attaches'
CREATE TABLE payment_request (
    id          int PRIMARY KEY,
    amount      numeric(14,2) NOT NULL,
    approved_on date,
    expert_fee  numeric(14,2),
    payout      numeric(14,2),
    buyer_total numeric(14,2)
);
SELECT iq_price_requests('payment_request', 'amount', 'approved_on',
                         expert_fee_column => 'expert_fee', payout_column => 'payout',
                         buyer_total_column => 'buyer_total') \gset
INSERT INTO payment_request (id, amount, approved_on) VALUES
    (1, 1000, '2020-08-01'), (2, 1000, '2020-05-01'), (3, 333.33, '2024-01-15'),
    (4, 250, NULL);
SELECT * FROM payment_request ORDER BY id;

\echo 'Every figure of the approved requests in one pass'
SELECT (iq_charge_sum(amount, approved_on)).* FROM payment_request;

\echo 'A sub-cent amount is refused, not rounded'
\set ON_ERROR_STOP 0
SELECT iq_payout(10.005, '2024-01-15');
\set ON_ERROR_STOP 1

\echo
\echo 'An AWS Marketplace installment plan: 1,000 USD in 6 monthly payments from 2024-01-31'
\echo '(month ends do not drift, and the odd cents go to the first installments)'
SELECT * FROM iq_installment_plan(1000, 6, '2024-01-31');

\echo 'Every rule a hand-made plan breaks'
SELECT * FROM iq_installment_plan_violations(
    '{2024-01-01,2024-02-01,2024-02-01,2025-03-01}', '{250,250,250.005,249}',
    1000, '[2024-01-01,2025-01-01)', '2024-03-01');

\echo
\echo 'The same contract in yen: whole yen, the odd yen to the first installment'
SELECT * FROM iq_installment_plan(1000000, 7, '2024-01-31', currency => 'JPY');
