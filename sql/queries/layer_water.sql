-- Water areas and the shore zone in a bbox. Parameters: xmin, ymin, xmax, ymax (3067), tol, lim
SELECT json_build_object('type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_SimplifyPreserveTopology(
        ST_ClipByBox2D(geom, ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)), :tol), 4326)), 7, 1)::json,
    'properties', json_build_object('kind', k, 'name', name))::text AS f
FROM (
    SELECT 'water' AS k, name, geom FROM water_area
    UNION ALL
    SELECT 'shore_zone', NULL, geom FROM shore_zone
) x
WHERE geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
LIMIT :lim;
