-- Units sharing at least one boundary point with the site, within a tolerance.
-- ST_DWithin on the GiST index, not ST_Touches: cadastral gaps and slivers of
-- centimetres to decimetres hide real neighbours from exact predicates.
-- Parameters: site (WKB, EPSG3067), site_ids (text[]: the site's own units), tolerance_m
--
-- The site and its buffers are made once (MATERIALIZED: a generic plan would otherwise
-- buffer the site again for every row). An exact ST_DWithin costs a distance against
-- every edge of the site, a millisecond against a street unit of 2 000 vertices, so it is
-- asked only where the buffers cannot answer: a parcel meeting `inner` (the site grown by
-- 95 % of the tolerance; its arcs are chords, inside the circles) is within the tolerance,
-- one missing `outer` (grown by 130 %) is not. GEOS rounds an arc to whole steps of 45° here,
-- so one chord may span up to 67.5° of a corner: its middle lies at cos 33.75° = 83 % of the
-- radius, 108 % of the tolerance for `outer`. GEOS's simplification of the input (1 % of the
-- distance) stays inside both margins. Both buffers are prepared geometries to PostGIS.
WITH site AS MATERIALIZED (
    SELECT g,
           ST_Buffer(g, :tolerance_m, 'quad_segs=2') AS gb,
           ST_Buffer(g, 0.95 * :tolerance_m, 'quad_segs=2') AS inner_gb,
           ST_Buffer(g, 1.3 * :tolerance_m, 'quad_segs=2') AS outer_gb
    FROM (SELECT ST_GeomFromWKB(:site, 3067) AS g) x
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
CROSS JOIN site s
WHERE p.geom && ST_Expand(s.g, :tolerance_m)
  AND ST_Intersects(p.geom, s.outer_gb)
  AND (ST_Intersects(p.geom, s.inner_gb) OR ST_DWithin(p.geom, s.g, :tolerance_m))
  AND NOT (p.property_id = ANY (CAST(:site_ids AS text[])))
GROUP BY p.property_id, u.kind, u.public_type, u.municipality, u.name;
