-- Shorelines within a distance of a site, clipped to that neighbourhood.
-- Parameters: site (WKB 3067), distance_m
WITH s AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT ST_AsBinary(ST_Intersection(l.geom, ST_Expand(s.g, :distance_m + 1))) AS wkb
FROM shoreline l, s
WHERE ST_DWithin(l.geom, s.g, :distance_m);
