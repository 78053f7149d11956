-- State road centrelines within a distance of a site. Parameters: site (WKB 3067), distance_m
WITH s AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT COALESCE(r.name_fi, r.road_number::text) AS name, r.road_class,
       ST_AsBinary(ST_Intersection(r.geom, ST_Expand(s.g, :distance_m + 1))) AS wkb
FROM road_centreline r, s
WHERE r.state_road AND ST_DWithin(r.geom, s.g, :distance_m);
