-- State roads the site borders: a state road area within the tolerance, or a
-- state road centreline inside a street unit that the site borders.
-- Parameters: site (WKB 3067), tolerance_m
WITH site AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT DISTINCT ON (name) name, road_number, road_class
FROM (
    SELECT ra.name, ra.road_number, ra.road_class
    FROM road_area ra, site s
    WHERE ra.state_road AND ST_DWithin(ra.geom, s.g, :tolerance_m)
    UNION ALL
    SELECT r.name_fi, r.road_number, r.road_class
    FROM crossing_area ca
    JOIN site s ON ST_DWithin(ca.geom, s.g, :tolerance_m)
    JOIN road_centreline r ON r.state_road AND r.geom && ca.geom AND ST_Intersects(r.geom, ca.geom)
    WHERE ca.kind = 'road'
) x
ORDER BY name, road_number;
