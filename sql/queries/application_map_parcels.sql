-- Property units in a letter's map window, for drawing. Parameters: xmin, ymin, xmax, ymax (3067)
SELECT property_id, kind, public_type, ST_AsBinary(geom) AS wkb
FROM property_unit
WHERE geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
LIMIT 5000;
