-- The unit under a point (the smallest where units overlap). Parameters: x, y (EPSG:3067)
SELECT p.property_id
FROM parcel p
WHERE ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint(:x, :y), 3067))
ORDER BY ST_Area(p.geom), p.property_id
LIMIT 1;
