--
-- AMI offers with a custom duration: additional instance-hours over an
-- hourly usage table, their exact charge, and hostile input.
--
SET datestyle = 'ISO, YMD';
SET timezone = 'UTC';
\set VERBOSITY default

--
-- iq_instance_hours_charge
--

-- hours * price rounded half up to the cent, once: 3 hours at 0.125 is
-- 0.38 (rounding each hour would give 0.39)
SELECT hours, price, iq_instance_hours_charge(hours, price) AS charge,
       round(hours * price, 2) AS plain_sql
  FROM (VALUES (3::bigint, 0.125), (1, 0.125), (1, 0.124999), (0, 9.99), (744, 2.50),
               (5000, 0.000001), (4999, 0.000001), (1, 0.1234560000), (100, 0)) AS t(hours, price);
SELECT iq_instance_hours_charge(3, 0.125)::text AS two_decimals;
-- the largest charge and price
SELECT iq_instance_hours_charge(99999999999999999, 0.01) AS largest_charge,
       iq_instance_hours_charge(1, 999999999999.999999) AS largest_price;
-- NULL in, NULL out
SELECT iq_instance_hours_charge(NULL, 1) IS NULL AS null_hours,
       iq_instance_hours_charge(1, NULL) IS NULL AS null_price;

-- errors: negative hours or price, NaN and infinite prices, a seventh
-- decimal 22023; a price or charge too large 22003
SELECT iq_instance_hours_charge(-1, 0.125);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_instance_hours_charge(1, -0.125);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_instance_hours_charge(1, 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_instance_hours_charge(1, 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT iq_instance_hours_charge(1, 0.1234567);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_instance_hours_charge(1, 1000000000000);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_instance_hours_charge(100000000000000000, 0.01);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_instance_hours_charge(9223372036854775807, 999999999999.999999);
\echo :LAST_ERROR_SQLSTATE

--
-- iq_additional_instance_hours
--

-- per hour, the instances beyond the contracted count; never below zero
SELECT iq_additional_instance_hours(running, contracted) AS hours
  FROM (VALUES (5, 3), (3, 3), (1, 3), (0, 0), (10, 0)) AS t(running, contracted);
-- rows with a NULL count are skipped; none counted is NULL, as sum() gives
SELECT iq_additional_instance_hours(running, contracted) AS hours
  FROM (VALUES (5, 3), (NULL, 3), (9, NULL)) AS t(running, contracted);
SELECT iq_additional_instance_hours(running, contracted) IS NULL AS none
  FROM (VALUES (NULL::int, 3)) AS t(running, contracted);
SELECT iq_additional_instance_hours(1, 0) IS NULL AS no_rows FROM generate_series(1, 0);
-- negative counts: 22023
SELECT iq_additional_instance_hours(running, contracted)
  FROM (VALUES (5, 3), (-1, 3)) AS t(running, contracted);
\echo :LAST_ERROR_SQLSTATE
SELECT iq_additional_instance_hours(5, -3);
\echo :LAST_ERROR_SQLSTATE
-- the largest counts do not overflow; a total past bigint is 22003 (the
-- transition function called directly, rather than over 2^32 rows)
SELECT iq_additional_instance_hours(2147483647, 0) AS hours FROM generate_series(1, 3);
SELECT iq_additional_instance_hours_step(9223372036854775806, 1, 0) AS last_hour;
SELECT iq_additional_instance_hours_step(9223372036854775807, 1, 0);
\echo :LAST_ERROR_SQLSTATE

--
-- An offer with contracted instances per instance type and hourly prices,
-- and an hourly usage table: the additional hours and charge of March 2025
--
CREATE TABLE ami_contract (
    instance_type text PRIMARY KEY,
    instances     integer NOT NULL,
    hourly_price  numeric NOT NULL
);
CREATE TABLE ami_usage (
    hour          timestamptz NOT NULL,
    instance_type text NOT NULL,
    running       integer NOT NULL,
    PRIMARY KEY (hour, instance_type)
);
INSERT INTO ami_contract VALUES ('m5.large', 4, 0.125), ('c5.xlarge', 2, 0.3375);
-- every hour of March 2025, plus a day on each side: m5.large runs 3 to 7
-- instances, c5.xlarge 0 to 3
INSERT INTO ami_usage
SELECT h, 'm5.large', 3 + (extract(epoch FROM h)::bigint / 3600) % 5
  FROM generate_series(timestamptz '2025-02-28 00:00+00', '2025-04-01 23:00+00', '1 hour') AS h
UNION ALL
SELECT h, 'c5.xlarge', (extract(epoch FROM h)::bigint / 3600) % 4
  FROM generate_series(timestamptz '2025-02-28 00:00+00', '2025-04-01 23:00+00', '1 hour') AS h;

SELECT c.instance_type, c.instances, c.hourly_price, count(*) AS hours_in_period,
       iq_additional_instance_hours(u.running, c.instances) AS additional_hours,
       iq_instance_hours_charge(iq_additional_instance_hours(u.running, c.instances),
                                c.hourly_price) AS charge
  FROM ami_usage u JOIN ami_contract c USING (instance_type)
 WHERE u.hour >= '2025-03-01 00:00+00' AND u.hour < '2025-04-01 00:00+00'
 GROUP BY c.instance_type, c.instances, c.hourly_price
 ORDER BY c.instance_type;

-- the same in plain SQL
SELECT c.instance_type, sum(greatest(u.running - c.instances, 0)) AS additional_hours,
       round(sum(greatest(u.running - c.instances, 0)) * c.hourly_price, 2) AS charge
  FROM ami_usage u JOIN ami_contract c USING (instance_type)
 WHERE u.hour >= '2025-03-01 00:00+00' AND u.hour < '2025-04-01 00:00+00'
 GROUP BY c.instance_type, c.hourly_price
 ORDER BY c.instance_type;

-- in parallel, with int8pl combining the workers' partial sums
SET parallel_setup_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT iq_additional_instance_hours(running, 4) FROM ami_usage WHERE instance_type = 'm5.large';
SELECT iq_additional_instance_hours(running, 4) AS parallel_hours,
       (SELECT sum(greatest(running - 4, 0)) FROM ami_usage WHERE instance_type = 'm5.large') AS plain_sql
  FROM ami_usage WHERE instance_type = 'm5.large';
RESET parallel_setup_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

DROP TABLE ami_usage;
DROP TABLE ami_contract;
