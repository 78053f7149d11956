-- Plan areas in a bbox. Parameters: xmin, ymin, xmax, ymax (3067), tol, lim
SELECT json_build_object('type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_SimplifyPreserveTopology(geom, :tol), 4326)), 7, 1)::json,
    'properties', json_build_object('kind', kind, 'name', name, 'use_class', use_class,
                                    'building_right_m2', building_right_m2))::text AS f
FROM plan_area
WHERE geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
  AND (kind <> 'building-area' OR :tol < 1)
ORDER BY CASE kind WHEN 'master-plan' THEN 0 WHEN 'detailed-plan' THEN 1 ELSE 2 END
LIMIT :lim;
