-- State roads a dig area touches: state road areas, or state road centrelines
-- (or roads the municipality names as state roads) within the given distance.
-- Parameters: area (WKB 3067), distance_m, names (text[])
WITH a AS (SELECT ST_GeomFromWKB(:area, 3067) AS g)
SELECT DISTINCT ON (name) name, road_number, road_class
FROM (
    SELECT ra.name, ra.road_number, ra.road_class
    FROM road_area ra, a WHERE ra.state_road AND ST_Intersects(ra.geom, a.g)
    UNION ALL
    SELECT r.name_fi, r.road_number, r.road_class
    FROM road_centreline r, a
    WHERE (r.state_road OR r.name_fi = ANY (CAST(:names AS text[])))
      AND ST_DWithin(r.geom, a.g, :distance_m)
) x
ORDER BY name;
