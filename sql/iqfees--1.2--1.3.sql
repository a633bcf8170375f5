/* iqfees--1.2--1.3.sql: set-up functions, currencies, Form 1099-K thresholds, Citus */

\echo Use "ALTER EXTENSION iqfees UPDATE TO '1.3'" to load this file. \quit
