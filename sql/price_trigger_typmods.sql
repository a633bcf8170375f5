--
-- iq_price_trigger leaves a result as it is when its column is
-- numeric(p, 2) and the result fits, and coerces it like an INSERT
-- otherwise.  Both against the same INSERT with the pricing functions in
-- its SELECT list, for columns of many typmods and amounts at the limits of
-- each (in the 2020 waiver too, where results equal the amounts): the same
-- errors, and stored values identical to the byte (numeric_send and the
-- stored size).
--
SET datestyle = 'ISO, YMD';

CREATE FUNCTION typmod_check(typmod text)
RETURNS TABLE (amounts int, refused int, differ int)
LANGUAGE plpgsql AS $$
DECLARE
    a       numeric;
    d       date;
    by_trigger text;
    by_select  text;
BEGIN
    EXECUTE format('CREATE TEMP TABLE by_trigger (amount numeric, approved_on date,
                        fee numeric%1$s, payout numeric%1$s, total numeric%1$s)', typmod);
    CREATE TEMP TABLE by_select (LIKE by_trigger);
    CREATE TRIGGER price BEFORE INSERT ON by_trigger FOR EACH ROW
        EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, total);
    amounts := 0;
    refused := 0;
    differ := 0;
    -- every power of ten from 0.01 to 10^15, one cent either side
    FOR a IN SELECT greatest(p + e, 0)
               FROM unnest('{0.01,0.1,1,10,100,1000,10000,100000,1000000,10000000,
                             100000000,1000000000,10000000000,100000000000,
                             1000000000000,10000000000000,100000000000000,
                             999999999999999.99}'::numeric[]) AS p,
                    unnest('{-0.01,0,0.01}'::numeric[]) AS e
              WHERE p + e <= 999999999999999.99
    LOOP
    FOREACH d IN ARRAY '{2024-01-01,2020-05-01}'::date[]
    LOOP
        amounts := amounts + 1;
        BEGIN
            INSERT INTO by_trigger (amount, approved_on) VALUES (a, d);
            by_trigger := 'ok';
        EXCEPTION WHEN OTHERS THEN
            by_trigger := SQLSTATE;
        END;
        BEGIN
            INSERT INTO by_select
            VALUES (a, d, iq_expert_fee(a, d), iq_payout(a, d), iq_buyer_total(a, d));
            by_select := 'ok';
        EXCEPTION WHEN OTHERS THEN
            by_select := SQLSTATE;
        END;
        IF by_trigger <> by_select THEN
            differ := differ + 1;
        ELSIF by_trigger <> 'ok' THEN
            refused := refused + 1;
        END IF;
    END LOOP;
    END LOOP;

    differ := differ + (
        SELECT count(*)
          FROM by_trigger t FULL JOIN by_select s USING (amount, approved_on)
         WHERE numeric_send(t.fee) IS DISTINCT FROM numeric_send(s.fee)
            OR numeric_send(t.payout) IS DISTINCT FROM numeric_send(s.payout)
            OR numeric_send(t.total) IS DISTINCT FROM numeric_send(s.total)
            OR pg_column_size(t.fee) IS DISTINCT FROM pg_column_size(s.fee)
            OR pg_column_size(t.payout) IS DISTINCT FROM pg_column_size(s.payout)
            OR pg_column_size(t.total) IS DISTINCT FROM pg_column_size(s.total));
    DROP TABLE by_trigger, by_select;
    RETURN NEXT;
END
$$;

SELECT typmod, c.*
  FROM unnest('{"","(3,2)","(5,2)","(12,2)","(14,2)","(17,2)","(18,2)","(19,2)","(30,2)",
                "(14,3)","(20,6)"}'::text[]) AS typmod,
       typmod_check(typmod) AS c;

-- a column with fewer than two decimals would round the cents: refused
-- (42804), whatever the amount
CREATE TABLE whole (amount numeric, approved_on date,
                    fee numeric(10,0), payout numeric(14,2), total numeric(14,2));
CREATE TRIGGER price BEFORE INSERT ON whole FOR EACH ROW
    EXECUTE FUNCTION iq_price_trigger(amount, approved_on, fee, payout, total);
INSERT INTO whole (amount, approved_on) VALUES (100, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE whole ALTER COLUMN fee TYPE numeric(14,2), ALTER COLUMN total TYPE numeric(12,1);
INSERT INTO whole (amount, approved_on) VALUES (100, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE whole ALTER COLUMN total TYPE numeric(6,-1);
INSERT INTO whole (amount, approved_on) VALUES (100, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE whole ALTER COLUMN total TYPE numeric(14,2);
INSERT INTO whole (amount, approved_on) VALUES (100, '2024-01-01');
SELECT * FROM whole;
DROP TABLE whole;

DROP FUNCTION typmod_check(text);
