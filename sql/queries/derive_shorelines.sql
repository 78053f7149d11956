-- Shorelines from the boundaries of water polygons marked shore_from_boundary (imported
-- without shoreline lines of their own), for the water areas meeting a box (an import's
-- extent): derived in bulk after each water import. The part of a boundary that runs along
-- another water area (within 5 cm) is no shore, and where shoreline lines already run
-- (within 1 m) nothing is added twice.
-- Parameters: xmin, ymin, xmax, ymax (EPSG:3067)
WITH box AS (
    SELECT ST_Expand(ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067), 1.0) AS g
), areas AS (
    SELECT w.* FROM water_area w, box WHERE w.geom && box.g
), gone AS (
    DELETE FROM shoreline l WHERE l.water_area_id IN (SELECT id FROM areas) RETURNING 1
)
INSERT INTO shoreline (source_id, kind, water_area_id, geom)
SELECT w.source_id, w.kind, w.id, d.geom
FROM areas w
CROSS JOIN LATERAL (
    SELECT ST_Union(ST_Buffer(o.geom, 0.05, 'quad_segs=2')) AS g
    FROM water_area o
    WHERE o.id <> w.id AND ST_DWithin(o.geom, w.geom, 0.05)
) other_water
CROSS JOIN LATERAL (
    SELECT ST_Union(ST_Buffer(l.geom, 1.0, 'quad_segs=2')) AS g
    FROM shoreline l
    WHERE l.water_area_id IS NULL AND ST_DWithin(l.geom, w.geom, 1.0)
) given_lines
CROSS JOIN LATERAL (
    SELECT CASE WHEN given_lines.g IS NULL THEN b.g ELSE ST_Difference(b.g, given_lines.g) END AS g
    FROM (SELECT CASE WHEN other_water.g IS NULL THEN ST_Boundary(w.geom)
                      ELSE ST_Difference(ST_Boundary(w.geom), other_water.g) END AS g) b
) shore
CROSS JOIN LATERAL ST_Subdivide(shore.g, 128) AS piece(geom)
CROSS JOIN LATERAL ST_Dump(piece.geom) AS d
WHERE w.shore_from_boundary
  AND GeometryType(d.geom) = 'LINESTRING'
  AND ST_Length(d.geom) > 0.01;
