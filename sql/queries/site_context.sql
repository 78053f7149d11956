-- What lies around a site for its analysis, in one round trip (one row; each part's columns
-- are arrays, in the same order within a part, NULL where the part found nothing):
--   plan_*      plan areas touching the site (within 0.5 m);
--   shore_wkb   shorelines within shore_m of the site, clipped to that neighbourhood;
--   building_*  existing buildings within buildings_m that stand on other units;
--   road_*      state road centrelines within roads_m, clipped likewise;
--   unit_*      other units within 2 m, for naming whose consent a short boundary distance
--               needs;
--   dwelling    whether a dwelling of the building register stands on the site (its point on
--               surface inside): statutory exceptions cover outbuildings of an existing
--               dwelling (MRL/AKL 72 § 3 mom).
-- Parameters: site (WKB 3067), site_ids (text[]), shore_m, buildings_m, roads_m
-- Each part is a probe of its table's GiST index; six statements before, each sending the
-- site again and paying a round trip.
WITH s AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT pl.*, sh.*, bu.*, ro.*, un.*, dw.*
FROM s
CROSS JOIN LATERAL (
    SELECT array_agg(p.kind) AS plan_kind, array_agg(p.name) AS plan_name,
           array_agg(p.use_class) AS plan_use_class,
           array_agg(p.building_right_m2) AS plan_building_right_m2,
           array_agg(p.efficiency) AS plan_efficiency,
           array_agg(p.legally_binding) AS plan_legally_binding,
           array_agg(p.allows_permits) AS plan_allows_permits,
           array_agg(ST_AsBinary(p.geom)) AS plan_wkb
    FROM plan_area p
    WHERE ST_DWithin(p.geom, s.g, 0.5)
) pl
CROSS JOIN LATERAL (
    SELECT array_agg(ST_AsBinary(ST_Intersection(l.geom, ST_Expand(s.g, :shore_m + 1))))
             AS shore_wkb
    FROM shoreline l
    WHERE ST_DWithin(l.geom, s.g, :shore_m)
) sh
CROSS JOIN LATERAL (
    SELECT array_agg(b.property_id) AS building_property_id,
           array_agg(ST_AsBinary(b.geom)) AS building_wkb
    FROM building b
    WHERE ST_DWithin(b.geom, s.g, :buildings_m)
      AND NOT ST_Intersects(ST_PointOnSurface(b.geom), s.g)
      AND NOT (COALESCE(b.property_id, '') = ANY (CAST(:site_ids AS text[])))
) bu
CROSS JOIN LATERAL (
    SELECT array_agg(COALESCE(r.name_fi, r.road_number::text)) AS road_name,
           array_agg(r.road_class) AS road_class,
           array_agg(ST_AsBinary(ST_Intersection(r.geom, ST_Expand(s.g, :roads_m + 1))))
             AS road_wkb
    FROM road_centreline r
    WHERE r.state_road AND ST_DWithin(r.geom, s.g, :roads_m)
) ro
CROSS JOIN LATERAL (
    SELECT array_agg(u.property_id) AS unit_property_id, array_agg(ST_AsBinary(u.geom)) AS unit_wkb
    FROM property_unit u
    WHERE ST_DWithin(u.geom, s.g, 2.0) AND NOT (u.property_id = ANY (CAST(:site_ids AS text[])))
) un
CROSS JOIN LATERAL (
    SELECT EXISTS (
        SELECT 1 FROM building b
        WHERE b.geom && s.g AND b.use = 'dwelling'
          AND ST_Intersects(ST_PointOnSurface(b.geom), s.g)
    ) AS dwelling
) dw;
