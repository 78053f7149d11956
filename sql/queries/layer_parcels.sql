-- Property units in a bbox, simplified for the zoom; a private unit's name (it can be a family
-- name) is left out, as in the tiles and /ogc. `label_at` ([lon, lat]) is where the map writes
-- the unit's id: a point inside the unit (unit_label_point, migration 0111; the labels layer,
-- layer_parcel_labels, gives the same points without the outlines).
-- Parameters: xmin, ymin, xmax, ymax (3067), tol, lim
SELECT json_build_object('type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_SimplifyPreserveTopology(geom, :tol), 4326)), 7, 1)::json,
    'properties', json_build_object('property_id', property_id, 'kind', kind, 'public_type', public_type,
                                    'name', CASE WHEN kind = 'public' THEN name END,
                                    'label_at', ST_AsGeoJSON(ST_Transform(unit_label_point(geom), 4326), 7)::json -> 'coordinates'))::text AS f
FROM property_unit
WHERE geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
LIMIT :lim;
