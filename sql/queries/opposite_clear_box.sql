-- Forget the stored opposite neighbours of the units meeting a box (they are rebuilt).
-- Parameters: xmin, ymin, xmax, ymax (EPSG:3067)
DELETE FROM opposite_relation r
USING property_unit u
WHERE u.property_id = r.property_id
  AND u.geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067);
