-- Property units in a bbox, simplified for the zoom; a private unit's name (it can be a family
-- name) is left out, as in the tiles and /ogc. `label_at` ([lon, lat]) is where the map writes
-- the unit's id: its centroid when that lies inside the unit, else a point on its surface (the
-- centroid of a bent lot or of a unit in several parts can lie on another unit). The laterals
-- are computed once a row (OFFSET 0 keeps the planner from copying them into each use).
-- Parameters: xmin, ymin, xmax, ymax (3067), tol, lim
SELECT json_build_object('type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_SimplifyPreserveTopology(geom, :tol), 4326)), 7, 1)::json,
    'properties', json_build_object('property_id', property_id, 'kind', kind, 'public_type', public_type,
                                    'name', CASE WHEN kind = 'public' THEN name END,
                                    'label_at', ST_AsGeoJSON(at, 7)::json -> 'coordinates'))::text AS f
FROM property_unit,
     LATERAL (SELECT ST_Centroid(geom) AS c OFFSET 0) centre,
     LATERAL (SELECT ST_Transform(CASE WHEN ST_Contains(geom, c) THEN c ELSE ST_PointOnSurface(geom) END, 4326) AS at OFFSET 0) label
WHERE geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
LIMIT :lim;
