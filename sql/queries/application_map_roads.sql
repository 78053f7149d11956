-- Road centrelines in a letter's map window, with their names. Parameters: xmin, ymin, xmax, ymax (3067)
SELECT name_fi, name_sv, ST_AsBinary(geom) AS wkb
FROM road_centreline
WHERE geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
LIMIT 2000;
