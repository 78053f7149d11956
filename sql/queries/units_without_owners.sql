-- Private units of a municipality that have no owners yet (psycopg positional: municipality).
SELECT property_id
FROM property_unit u
WHERE municipality = %s AND kind = 'private'
  AND NOT EXISTS (SELECT 1 FROM personal.owner o WHERE o.property_id = u.property_id)
ORDER BY property_id;
