-- Plan areas touching a site (within 0.5 m). Parameters: site (WKB 3067)
WITH s AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT p.kind, p.name, p.use_class, p.building_right_m2, p.efficiency, p.legally_binding,
       p.allows_permits, ST_AsBinary(p.geom) AS wkb
FROM plan_area p, s
WHERE ST_DWithin(p.geom, s.g, 0.5);
