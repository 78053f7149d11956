-- Buildings in a bbox. Parameters: xmin, ymin, xmax, ymax (3067), tol, lim
SELECT json_build_object('type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_SimplifyPreserveTopology(geom, :tol), 4326)), 7, 1)::json,
    'properties', json_build_object('use', use, 'floors', floors))::text AS f
FROM building
WHERE geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
LIMIT :lim;
