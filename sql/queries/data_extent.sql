-- The extent of the loaded parcels (EPSG:4326) and where they come from.
SELECT ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_SetSRID(ST_Extent(geom)::geometry, 3067), 4326)))::json AS bbox,
       (SELECT string_agg(DISTINCT source, ',') FROM property_unit) AS sources
FROM property_unit;
