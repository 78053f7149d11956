-- The site of a property unit: the union of all its parcels (never one parcel alone).
-- Parameters: property_id
SELECT u.property_id, u.municipality, u.kind, u.public_type, ST_AsBinary(u.geom) AS wkb
FROM property_unit u
WHERE u.property_id = :property_id AND u.geom IS NOT NULL;
