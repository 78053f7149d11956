-- Link each new building (property_id IS NULL) to the unit whose parcel holds its centre.
UPDATE building b SET property_id = p.property_id
FROM parcel p
WHERE b.property_id IS NULL AND p.geom && b.geom
  AND ST_Intersects(p.geom, ST_PointOnSurface(b.geom));
