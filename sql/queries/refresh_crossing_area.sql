-- Rebuild the crossing areas (road, park, water) of the sources in a box: public-area units,
-- state road areas and water areas whose geometry meets it, each subdivided into pieces.
-- A street unit's parcel is named after the road centrelines running longest inside it, as
-- geo/street_names.py found them (crossing_street_parcels.sql, crossing_street_lines.sql):
-- the three arrays named_parcel[i] (parcel.id), named_name[i] (NULL: the unit's own name)
-- and named_state_road[i]. Parameters: xmin, ymin, xmax, ymax (EPSG:3067), the arrays.
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
LEFT JOIN unnest(CAST(:named_parcel AS bigint[]), CAST(:named_name AS text[]),
                 CAST(:named_state_road AS boolean[])) AS nm (parcel_id, name, state_road)
       ON u.kind = 'road' AND nm.parcel_id = p.id
WHERE u.kind IS NOT NULL
UNION ALL
SELECT 'road', NULL, r.id, NULL, r.name, r.state_road, ST_Subdivide(r.geom, 64)
FROM road_area r, box WHERE r.geom && box.g
UNION ALL
SELECT 'water', NULL, NULL, w.id, w.name, false, ST_Subdivide(w.geom, 64)
FROM water_area w, box WHERE w.geom && box.g;
