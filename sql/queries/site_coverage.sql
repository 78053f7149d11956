-- Which data lies at and around a site, per kind of data a check needs (issue 13 `coverage`).
-- Parameters: site (WKB 3067), plans_m, shore_m, roads_m, buildings_m (search distances).
-- Each search is an index probe (ST_DWithin on the GiST index), so the answer stays fast on
-- millions of parcels; `*_source` names where the data came from (the units under the site,
-- the nearest plan area with a source) and when it was loaded.
WITH s AS (SELECT ST_GeomFromWKB(:site, 3067) AS g),
     under AS (
       SELECT p.property_id, ST_Area(ST_Intersection(p.geom, s.g)) AS a
       FROM parcel p, s WHERE ST_Intersects(p.geom, s.g)
     ),
     logged AS (  -- the last import of each kind (plans: any `areas:<kind>` import)
       SELECT DISTINCT ON (k) k AS kind, source, (finished_at AT TIME ZONE 'Europe/Helsinki')::date AS day
       FROM (SELECT split_part(kind, ':', 1) AS k, source, finished_at FROM import_log) l
       ORDER BY k, finished_at DESC
     )
SELECT (SELECT count(*) FROM under) AS parcels,
       (SELECT coalesce(sum(a), 0) FROM under) AS parcel_area_m2,
       (SELECT string_agg(DISTINCT u.source, ', ') FROM under JOIN property_unit u USING (property_id))
         AS parcels_unit_source,
       EXISTS (SELECT 1 FROM plan_area x, s WHERE ST_DWithin(x.geom, s.g, :plans_m)) AS plans,
       -- the source of the nearest plan area that names one (of those as near, such as the
       -- plans over the site, the first by name): the distance from a nearest-first index scan
       -- that stops at the first, then the areas that near (aggregating every area within the
       -- search distance read hundreds of rows in a planned town)
       (SELECT min(y.source) FROM plan_area y
         WHERE y.source IS NOT NULL
           AND ST_DWithin(y.geom, (SELECT g FROM s),
                 (SELECT ST_Distance(x.geom, (SELECT g FROM s)) FROM plan_area x
                   WHERE ST_DWithin(x.geom, (SELECT g FROM s), :plans_m) AND x.source IS NOT NULL
                   ORDER BY x.geom <-> (SELECT g FROM s) LIMIT 1))) AS plans_unit_source,
       EXISTS (SELECT 1 FROM shoreline x, s WHERE ST_DWithin(x.geom, s.g, :shore_m))
         OR EXISTS (SELECT 1 FROM water_area x, s WHERE ST_DWithin(x.geom, s.g, :shore_m)) AS shore,
       EXISTS (SELECT 1 FROM road_centreline x, s WHERE ST_DWithin(x.geom, s.g, :roads_m)) AS roads,
       -- a dig on a road without cadastral units (a state road area) is still inside the data
       EXISTS (SELECT 1 FROM road_area x, s WHERE ST_Intersects(x.geom, s.g))
         OR EXISTS (SELECT 1 FROM road_centreline x, s WHERE ST_DWithin(x.geom, s.g, 5.0))
         AS road_at_site,
       EXISTS (SELECT 1 FROM building x, s WHERE ST_DWithin(x.geom, s.g, :buildings_m)) AS buildings,
       (SELECT json_object_agg(kind, json_build_object('source', source, 'day', day)) FROM logged)
         AS logged,
       -- the day each source was last loaded, for the rows' own sources at the site (rows keep
       -- the file's name, the log its path)
       (SELECT json_object_agg(name, day) FROM
         (SELECT regexp_replace(source, '^.*[/\\]', '') AS name, (max(finished_at) AT TIME ZONE 'Europe/Helsinki')::date AS day
          FROM import_log GROUP BY 1) d)
         AS loaded
