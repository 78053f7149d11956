-- Rebuild the crossing areas (road, park, water) of the sources in a box: public-area units,
-- state road areas and water areas whose geometry meets it, each subdivided into pieces.
-- Street units are named after the road centreline running longest inside them.
-- Parameters: xmin, ymin, xmax, ymax (EPSG:3067)
WITH box AS (
    SELECT ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067) AS g
), units AS (
    SELECT u.property_id, u.name, u.geom,
           CASE u.public_type WHEN 'street' THEN 'road' WHEN 'traffic' THEN 'road'
                              WHEN 'park' THEN 'park' WHEN 'water' THEN 'water' END AS kind
    FROM property_unit u, box
    WHERE u.kind = 'public' AND u.geom && box.g
), gone AS (
    -- each way a piece can be gone on its own index (one condition OR-ed with the others
    -- made PostgreSQL read every piece of every town, 0.4 s for a box around one lot)
    DELETE FROM crossing_area ca
    WHERE ca.id IN (
        SELECT c.id FROM crossing_area c, box WHERE c.geom && box.g
        UNION ALL
        SELECT c.id FROM crossing_area c WHERE c.property_id IN (SELECT property_id FROM units)
        UNION ALL
        SELECT c.id FROM crossing_area c JOIN road_area r ON c.road_area_id = r.id, box
        WHERE r.geom && box.g
        UNION ALL
        SELECT c.id FROM crossing_area c JOIN water_area w ON c.water_area_id = w.id, box
        WHERE w.geom && box.g
    )
    RETURNING 1
)
INSERT INTO crossing_area (kind, property_id, road_area_id, water_area_id, name, state_road, geom)
SELECT u.kind, u.property_id, NULL::bigint, NULL::bigint, COALESCE(nm.name, u.name),
       COALESCE(nm.state_road, false), ST_Subdivide(p.geom, 64)
FROM units u
JOIN parcel p ON p.property_id = u.property_id
LEFT JOIN LATERAL (
    SELECT r.name_fi AS name, bool_or(r.state_road) AS state_road
    FROM road_centreline r
    WHERE u.kind = 'road' AND r.geom && p.geom AND ST_Intersects(r.geom, p.geom)
    GROUP BY r.name_fi
    ORDER BY (r.name_fi IS NULL), sum(ST_Length(ST_Intersection(r.geom, p.geom))) DESC
    LIMIT 1
) nm ON true
WHERE u.kind IS NOT NULL
UNION ALL
SELECT 'road', NULL, r.id, NULL, r.name, r.state_road, ST_Subdivide(r.geom, 64)
FROM road_area r, box WHERE r.geom && box.g
UNION ALL
SELECT 'water', NULL, NULL, w.id, w.name, false, ST_Subdivide(w.geom, 64)
FROM water_area w, box WHERE w.geom && box.g;
