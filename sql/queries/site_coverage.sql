-- Which data lies at and around a site, per kind of data a check needs (issue 13 `coverage`).
-- Parameters: site (WKB 3067), plans_m, shore_m, roads_m, buildings_m (search distances),
-- log_kinds (text[]: the kinds of import whose last one is named where the site has no
-- source of its own).
-- Each search is an index probe (ST_DWithin on the GiST index), so the answer stays fast on
-- millions of parcels; `*_source` names where the data came from (the units under the site,
-- the nearest plan area with a source) and when it was loaded.
WITH s AS (SELECT ST_GeomFromWKB(:site, 3067) AS g),
     under AS (
       SELECT p.property_id, ST_Area(ST_Intersection(p.geom, s.g)) AS a
       FROM parcel p, s WHERE ST_Intersects(p.geom, s.g)
     ),
     logged AS (  -- the last import of each kind (plans: any `areas:<kind>` import), one
                  -- probe each of the index import_log_kind_last (the log only grows)
       SELECT k.name AS kind, l.source, (l.finished_at AT TIME ZONE 'Europe/Helsinki')::date AS day
       FROM unnest(CAST(:log_kinds AS text[])) AS k(name)
       CROSS JOIN LATERAL (
         SELECT i.source, i.finished_at FROM import_log i
         WHERE split_part(i.kind, ':', 1) = k.name
         ORDER BY split_part(i.kind, ':', 1), i.finished_at DESC
         LIMIT 1
       ) l
     ),
     -- what lies at the site, once: the source columns are read twice below, and the
     -- planner would otherwise evaluate their subqueries again for each reference
     c AS MATERIALIZED (
       SELECT
         (SELECT count(*) FROM under) AS parcels,
         (SELECT coalesce(sum(a), 0) FROM under) AS parcel_area_m2,
         (SELECT string_agg(DISTINCT u.source, ', ')
            FROM under JOIN property_unit u USING (property_id)) AS parcels_unit_source,
         EXISTS (SELECT 1 FROM plan_area x, s WHERE ST_DWithin(x.geom, s.g, :plans_m)) AS plans,
         -- the source of the nearest plan area that names one (of those as near, such as
         -- the plans over the site, the first by name): the distance from a nearest-first
         -- index scan that stops at the first, then the areas that near (aggregating every
         -- area within the search distance read hundreds of rows in a planned town)
         (SELECT min(y.source) FROM plan_area y
           WHERE y.source IS NOT NULL
             AND ST_DWithin(y.geom, (SELECT g FROM s),
                   (SELECT ST_Distance(x.geom, (SELECT g FROM s)) FROM plan_area x
                     WHERE ST_DWithin(x.geom, (SELECT g FROM s), :plans_m)
                       AND x.source IS NOT NULL
                     ORDER BY x.geom <-> (SELECT g FROM s) LIMIT 1))) AS plans_unit_source,
         EXISTS (SELECT 1 FROM shoreline x, s WHERE ST_DWithin(x.geom, s.g, :shore_m))
           OR EXISTS (SELECT 1 FROM water_area x, s WHERE ST_DWithin(x.geom, s.g, :shore_m))
           AS shore,
         EXISTS (SELECT 1 FROM road_centreline x, s WHERE ST_DWithin(x.geom, s.g, :roads_m))
           AS roads,
         -- a dig on a road without cadastral units (a state road area) is inside the data
         EXISTS (SELECT 1 FROM road_area x, s WHERE ST_Intersects(x.geom, s.g))
           OR EXISTS (SELECT 1 FROM road_centreline x, s WHERE ST_DWithin(x.geom, s.g, 5.0))
           AS road_at_site,
         EXISTS (SELECT 1 FROM building x, s WHERE ST_DWithin(x.geom, s.g, :buildings_m))
           AS buildings,
         (SELECT json_object_agg(kind, json_build_object('source', source, 'day', day))
            FROM logged) AS logged
     )
SELECT c.*,
       -- the day the site's own sources were last loaded (rows keep the file's name, the log
       -- its path): one probe each of the index import_log_file_last
       (SELECT json_object_agg(f.name, f.day) FROM (
          SELECT n.name, (SELECT (max(i.finished_at) AT TIME ZONE 'Europe/Helsinki')::date
                          FROM import_log i
                          WHERE regexp_replace(i.source, '^.*[/\\]', '') = n.name) AS day
          FROM unnest(ARRAY[c.parcels_unit_source, c.plans_unit_source]) AS n(name)
          WHERE n.name IS NOT NULL) f
        WHERE f.day IS NOT NULL)
         AS loaded
FROM c
