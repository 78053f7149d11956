-- Units a drawn site overlaps, with the share of the unit and of the site covered.
-- Parameters: site (WKB 3067)
WITH site AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT u.property_id,
       ST_Area(ST_Intersection(u.geom, s.g)) AS overlap_m2,
       ST_Area(ST_Intersection(u.geom, s.g)) / NULLIF(ST_Area(u.geom), 0) AS unit_share,
       ST_Area(ST_Intersection(u.geom, s.g)) / NULLIF(ST_Area(s.g), 0) AS site_share
FROM property_unit u, site s
WHERE u.geom && s.g AND ST_Intersects(u.geom, s.g)
ORDER BY overlap_m2 DESC;
