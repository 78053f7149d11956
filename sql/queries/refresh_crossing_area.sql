-- Rebuild the derived crossing areas from public-area units, road areas and water areas.
-- Street units are named after the road centreline running longest inside them.
TRUNCATE crossing_area;

INSERT INTO crossing_area (kind, property_id, name, state_road, geom)
SELECT k.kind, p.property_id, COALESCE(nm.name, u.name), COALESCE(nm.state_road, false),
       ST_Subdivide(p.geom, 64)
FROM parcel p
JOIN property_unit u USING (property_id)
CROSS JOIN LATERAL (SELECT CASE u.public_type
        WHEN 'street' THEN 'road' WHEN 'traffic' THEN 'road'
        WHEN 'park' THEN 'park' WHEN 'water' THEN 'water' END AS kind) k
LEFT JOIN LATERAL (
    SELECT r.name_fi AS name, bool_or(r.state_road) AS state_road
    FROM road_centreline r
    WHERE k.kind = 'road' AND r.geom && p.geom AND ST_Intersects(r.geom, p.geom)
    GROUP BY r.name_fi
    ORDER BY (r.name_fi IS NULL), sum(ST_Length(ST_Intersection(r.geom, p.geom))) DESC
    LIMIT 1
) nm ON true
WHERE u.kind = 'public' AND k.kind IS NOT NULL;

INSERT INTO crossing_area (kind, name, state_road, geom)
SELECT 'road', name, state_road, ST_Subdivide(geom, 64) FROM road_area;

INSERT INTO crossing_area (kind, name, geom)
SELECT 'water', name, ST_Subdivide(geom, 64) FROM water_area;

ANALYZE crossing_area;
