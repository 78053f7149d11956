-- Units around a site, for naming whose consent a short boundary distance needs.
-- Parameters: site (WKB 3067), site_ids (text[])
WITH s AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT u.property_id, ST_AsBinary(u.geom) AS wkb
FROM property_unit u, s
WHERE ST_DWithin(u.geom, s.g, 2.0) AND NOT (u.property_id = ANY (CAST(:site_ids AS text[])));
