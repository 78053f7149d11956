-- The municipality whose units cover most of a site. site (WKB 3067)
WITH site AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT u.municipality, sum(ST_Area(ST_Intersection(p.geom, s.g))) AS area_m2
FROM parcel p JOIN property_unit u USING (property_id), site s
WHERE p.geom && s.g AND ST_Intersects(p.geom, s.g)
GROUP BY u.municipality
ORDER BY area_m2 DESC
LIMIT 1;
