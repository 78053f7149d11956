-- The geometry of units (the union of their parcels). Parameters: ids (text[])
SELECT property_id, ST_AsBinary(geom) AS wkb
FROM property_unit
WHERE property_id = ANY (CAST(:ids AS text[])) AND geom IS NOT NULL;
