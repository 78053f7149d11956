-- A unit's bbox (EPSG:4326) by exact id. Parameters: property_id
SELECT property_id, ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_Envelope(geom), 4326)))::json AS bbox
FROM property_unit WHERE property_id = :property_id;
