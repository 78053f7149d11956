-- The extent of the loaded units (EPSG:4326) and where they come from, without reading
-- every unit: the planner's estimate of the extent (kept by ANALYZE, which every import
-- runs), or the exact extent while there are no statistics yet; the sources by skipping
-- through the index on source (one probe per distinct source).
WITH RECURSIVE src AS (
    (SELECT source FROM property_unit WHERE source IS NOT NULL ORDER BY source LIMIT 1)
    UNION ALL
    SELECT (SELECT p.source FROM property_unit p WHERE p.source > src.source ORDER BY p.source LIMIT 1)
    FROM src WHERE src.source IS NOT NULL
), box AS (
    SELECT CASE WHEN EXISTS (SELECT 1 FROM property_unit)
                THEN COALESCE(ST_EstimatedExtent('public', 'property_unit', 'geom'),
                              (SELECT ST_Extent(geom) FROM property_unit)) END AS b
)
SELECT ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_SetSRID(box.b::geometry, 3067), 4326)))::json AS bbox,
       (SELECT string_agg(source, ',' ORDER BY source) FROM src WHERE source IS NOT NULL) AS sources
FROM box;
