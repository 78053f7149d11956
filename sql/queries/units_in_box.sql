-- Units meeting a box, for the opposite-neighbour computation (geo/opposite.py).
-- Parameters: xmin, ymin, xmax, ymax (EPSG:3067)
SELECT property_id, municipality, kind, public_type, ST_AsBinary(geom) AS wkb
FROM property_unit
WHERE geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
ORDER BY property_id;
