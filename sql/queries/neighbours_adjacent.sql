-- Units sharing at least one boundary point with the site, within a tolerance.
-- ST_DWithin on the GiST index, not ST_Touches: cadastral gaps and slivers of
-- centimetres to decimetres hide real neighbours from exact predicates.
-- Parameters: site (WKB, EPSG3067), site_ids (text[]: the site's own units), tolerance_m
WITH site AS (
    SELECT ST_GeomFromWKB(:site, 3067) AS g
), site_buf AS (
    SELECT g, ST_Buffer(g, :tolerance_m, 'quad_segs=2') AS gb FROM site
)
SELECT p.property_id,
       u.kind,
       u.public_type,
       u.municipality,
       u.name,
       min(ST_Distance(p.geom, s.g)) AS gap_m,
       ST_AsBinary(ST_CollectionExtract(ST_Collect(
           ST_Intersection(ST_Boundary(p.geom), s.gb)), 2)) AS shared_wkb,
       ST_AsBinary((array_agg(ST_ClosestPoint(s.g, p.geom) ORDER BY ST_Distance(p.geom, s.g)))[1]) AS closest_wkb
FROM parcel p
JOIN property_unit u USING (property_id)
CROSS JOIN site_buf s
WHERE ST_DWithin(p.geom, s.g, :tolerance_m)
  AND NOT (p.property_id = ANY (CAST(:site_ids AS text[])))
GROUP BY p.property_id, u.kind, u.public_type, u.municipality, u.name;
