-- Existing buildings near a site that stand on other units.
-- Parameters: site (WKB 3067), site_ids (text[]), distance_m (the separation search distance)
WITH s AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT b.property_id, ST_AsBinary(b.geom) AS wkb
FROM building b, s
WHERE ST_DWithin(b.geom, s.g, :distance_m)
  AND NOT ST_Intersects(ST_PointOnSurface(b.geom), s.g)
  AND NOT (COALESCE(b.property_id, '') = ANY (CAST(:site_ids AS text[])));
