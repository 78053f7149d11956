-- A unit's bbox (EPSG:4326) by exact id, and a point inside it (lon, lat: where the page asks
-- which plot is there, as a click on the map would). Parameters: property_id
SELECT property_id, ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_Envelope(geom), 4326)))::json AS bbox,
       ST_X(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lon,
       ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lat
FROM property_unit WHERE property_id = :property_id;
