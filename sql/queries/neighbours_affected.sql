-- The wider circle of a deviation or planning-need hearing (MRL 173 §, MRA 86 § / RakL 64 §):
-- private units within a radius of the site whose living or work may be substantially
-- affected, besides the adjacent and opposite ones; nearest first, with the shortest line.
-- Parameters: site (WKB 3067), site_ids (text[]), exclude (text[]), radius_m
WITH s AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT DISTINCT ON (u.property_id)
       u.property_id, u.kind, u.public_type, u.municipality,
       ST_Distance(p.geom, s.g) AS distance_m,
       ST_AsBinary(ST_ShortestLine(s.g, p.geom)) AS line_wkb
FROM s
JOIN parcel p ON ST_DWithin(p.geom, s.g, :radius_m)
JOIN property_unit u USING (property_id)
WHERE u.kind = 'private'
  AND NOT (u.property_id = ANY (CAST(:site_ids AS text[])))
  AND NOT (u.property_id = ANY (CAST(:exclude AS text[])))
ORDER BY u.property_id, ST_Distance(p.geom, s.g);
