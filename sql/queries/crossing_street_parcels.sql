-- The parcels of the street units (public, street or traffic) whose unit meets a box: the
-- crossing areas refresh_crossing_area.sql makes of them are named after the road
-- centrelines inside each (geo/street_names.py). Parameters: xmin, ymin, xmax, ymax (EPSG:3067)
SELECT p.id, ST_AsBinary(p.geom) AS wkb
FROM property_unit u
JOIN parcel p ON p.property_id = u.property_id
WHERE u.kind = 'public' AND u.public_type IN ('street', 'traffic')
  AND u.geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067);
