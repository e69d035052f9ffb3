-- The transfer register's rules (SPEC §1) in PostgreSQL, from the text table
-- reg_raw of the committed sample's CSV: status words, date spellings, and
-- duplicate rows resolved per key (disputed when the status classes differ,
-- the earliest signed date otherwise). Shared by the reference tests
-- (tests/e2e/test_analyze_ref.py) and the PostGIS benchmark job.
CREATE TABLE reg_rows AS
SELECT trim(k) AS key,
       CASE lower(trim(s))
         WHEN 'signed' THEN 'signed' WHEN '已签约' THEN 'signed' WHEN '已流转' THEN 'signed'
         WHEN 'pending' THEN 'pending' WHEN '未签约' THEN 'pending' WHEN '待签' THEN 'pending'
         WHEN 'refused' THEN 'refused' WHEN '拒签' THEN 'refused' WHEN '不同意' THEN 'refused'
         WHEN 'disputed' THEN 'disputed' WHEN '争议' THEN 'disputed' END AS class,
       CASE WHEN d ~ '^\s*\d{4}\D+\d{1,2}\D+\d{1,2}' THEN
         make_date((regexp_match(d, '(\d{4})\D+(\d{1,2})\D+(\d{1,2})'))[1]::int,
                   (regexp_match(d, '(\d{4})\D+(\d{1,2})\D+(\d{1,2})'))[2]::int,
                   (regexp_match(d, '(\d{4})\D+(\d{1,2})\D+(\d{1,2})'))[3]::int) END AS signed_on
FROM (SELECT "地块编码" AS k, "流转状态" AS s, "签约日期" AS d FROM reg_raw) r
WHERE trim(coalesce(k, '')) <> '';
CREATE TABLE reg AS
SELECT key, CASE WHEN count(DISTINCT class) > 1 THEN 'disputed' ELSE min(class) END AS class,
       min(signed_on) AS signed_on
FROM reg_rows GROUP BY key;
