-- Whether the large spatial tables have planner statistics and a GiST index on geom.
SELECT c.relname AS table_name,
       c.reltuples::bigint AS rows_estimate,
       -- reltuples is -1 until the table is first analysed
       EXISTS (
           SELECT 1 FROM pg_index i
           JOIN pg_class ic ON ic.oid = i.indexrelid
           JOIN pg_am am ON am.oid = ic.relam
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
           WHERE i.indrelid = c.oid AND am.amname = 'gist' AND a.attname = 'geom'
       ) AS gist_on_geom
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema()
  AND c.relkind = 'r'
  AND c.relname IN ('parcel', 'property_unit', 'crossing_area', 'building', 'road_centreline',
                    'excavation_area', 'shoreline', 'water_area', 'plan_area')
ORDER BY c.relname;
