-- The road centrelines whose box meets a box (that of the many street parcels being named), with
-- their Finnish name and whether they are state roads. Parameters: xmin, ymin, xmax, ymax
SELECT ST_AsBinary(r.geom) AS wkb, r.name_fi, r.state_road
FROM road_centreline r
WHERE r.geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067);
