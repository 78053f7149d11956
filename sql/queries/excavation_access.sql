-- Private units whose street frontage a dig area blocks: within distance_m of
-- the dig, where the dig lies on a street unit. Parameters: area (WKB 3067), distance_m
WITH a AS (SELECT ST_GeomFromWKB(:area, 3067) AS g)
SELECT DISTINCT u.property_id, min(ST_Distance(p.geom, a.g)) AS distance_m
FROM parcel p JOIN property_unit u USING (property_id), a
WHERE u.kind = 'private'
  AND ST_DWithin(p.geom, a.g, :distance_m)
GROUP BY u.property_id
ORDER BY distance_m;
