-- State roads the site borders: a state road area within the tolerance, or a state road
-- centreline within reach of the site (the road cap) running through a street unit the site
-- borders. Only centrelines near the site are joined (never every centreline in a whole
-- street network's box): one GiST probe each way, whatever the server's tuning. OFFSET 0
-- keeps the EXISTS a probe per centreline: as a semi-join, the planner estimated the
-- crossing-area x centreline spatial join from both histograms (5.7 ms of planning at 1 M,
-- 40 times the execution).
-- Parameters: site (WKB 3067), tolerance_m, reach_m
WITH site AS (SELECT ST_GeomFromWKB(:site, 3067) AS g),
streets AS (
    SELECT DISTINCT ca.property_id
    FROM crossing_area ca, site s
    WHERE ca.kind = 'road' AND ca.property_id IS NOT NULL AND ST_DWithin(ca.geom, s.g, :tolerance_m)
)
SELECT DISTINCT ON (name) name, road_number, road_class
FROM (
    SELECT ra.name, ra.road_number, ra.road_class
    FROM road_area ra, site s
    WHERE ra.state_road AND ST_DWithin(ra.geom, s.g, :tolerance_m)
    UNION ALL
    SELECT r.name_fi, r.road_number, r.road_class
    FROM site s
    JOIN road_centreline r ON r.state_road AND ST_DWithin(r.geom, s.g, :reach_m)
    WHERE EXISTS (
        SELECT 1 FROM crossing_area ca
        WHERE ca.property_id IN (SELECT property_id FROM streets)
          AND ST_Intersects(ca.geom, r.geom)
        OFFSET 0
    )
) x
ORDER BY name, road_number;
