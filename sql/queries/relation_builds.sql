-- The rules each municipality's stored opposite neighbours were built with ('mixed': parts
-- under different rules; NULL: never built, e.g. loaded before relations were stored), for
-- municipalities that have units. A key other than today's means they are answered live
-- until `rajapiste db relations` rebuilds them. The municipalities come from their index by
-- a loose scan (one probe each), not from reading every unit.
WITH RECURSIVE m(code) AS (
    SELECT min(municipality) FROM property_unit
    UNION ALL
    SELECT (SELECT min(u.municipality) FROM property_unit u WHERE u.municipality > m.code)
    FROM m WHERE m.code IS NOT NULL
)
SELECT m.code AS municipality, b.rules_key
FROM m LEFT JOIN relation_build b ON b.municipality = m.code
WHERE m.code IS NOT NULL
ORDER BY m.code;
