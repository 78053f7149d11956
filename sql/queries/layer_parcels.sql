-- Property units in a bbox, simplified for the zoom. Parameters: xmin, ymin, xmax, ymax (3067), tol, lim
SELECT json_build_object('type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_SimplifyPreserveTopology(geom, :tol), 4326)), 7, 1)::json,
    'properties', json_build_object('property_id', property_id, 'kind', kind, 'public_type', public_type,
                                    'name', name))::text AS f
FROM property_unit
WHERE geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
LIMIT :lim;
