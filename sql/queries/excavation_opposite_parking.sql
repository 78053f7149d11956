-- Private units across the street from a carriageway dig: their kerbside parking
-- is likely to be used by the work. Parameters: area (WKB 3067), max_m, exclude (text[])
WITH a AS (SELECT ST_GeomFromWKB(:area, 3067) AS g)
SELECT u.property_id, min(ST_Distance(p.geom, a.g)) AS distance_m
FROM parcel p JOIN property_unit u USING (property_id), a
WHERE u.kind = 'private'
  AND ST_DWithin(p.geom, a.g, :max_m)
  AND NOT (u.property_id = ANY (CAST(:exclude AS text[])))
  AND EXISTS (
      SELECT 1 FROM crossing_area ca
      WHERE ca.kind = 'road' AND ST_Intersects(ca.geom, ST_ShortestLine(a.g, p.geom))
  )
GROUP BY u.property_id
ORDER BY distance_m;
