-- The rules each municipality's stored opposite neighbours were built with ('mixed': parts
-- under different rules), for municipalities that have units. A key other than today's means
-- they are answered live until `rajapiste db relations` rebuilds them.
SELECT b.municipality, b.rules_key
FROM relation_build b
WHERE EXISTS (SELECT 1 FROM property_unit u WHERE u.municipality = b.municipality)
ORDER BY b.municipality;
