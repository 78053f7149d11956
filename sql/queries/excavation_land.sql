-- Units a dig area lies on, with the area on each. Parameters: area (WKB 3067)
WITH a AS (SELECT ST_GeomFromWKB(:area, 3067) AS g)
SELECT u.property_id, u.kind, u.public_type, u.municipality,
       sum(ST_Area(ST_Intersection(p.geom, a.g))) AS area_m2
FROM parcel p JOIN property_unit u USING (property_id), a
WHERE p.geom && a.g AND ST_Intersects(p.geom, a.g)
GROUP BY u.property_id, u.kind, u.public_type, u.municipality
HAVING sum(ST_Area(ST_Intersection(p.geom, a.g))) > 0.01
ORDER BY area_m2 DESC;
