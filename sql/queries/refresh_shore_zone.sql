-- Rebuild the default-width (100 m) shore zone from the shorelines, for the map.
-- The checks measure distances to shorelines with each municipality's own width.
TRUNCATE shore_zone;
INSERT INTO shore_zone (width_m, geom)
SELECT 100.0, ST_Subdivide(ST_Union(ST_Buffer(geom, 100.0, 'quad_segs=4')), 256)
FROM shoreline;
ANALYZE shore_zone;
