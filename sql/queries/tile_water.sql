-- Water areas and the shore zone in a map tile, as a vector tile layer (kind: water or
-- shore_zone), with the layer's data version. Parameters: z, x, y, margin, tol, tms (tile matrix
-- set), held (bigint[]: the versions the client has)
WITH t AS (
    SELECT * FROM tile_bounds(:z, :x, :y, :margin, :tms)
), src AS (
    SELECT 'water' AS kind, w.name, w.geom FROM water_area w, t WHERE w.geom && t.around
    UNION ALL
    SELECT 'shore_zone', NULL, z.geom FROM shore_zone z, t WHERE z.geom && t.around
), f AS (
    SELECT tile_geom(s.geom, t.env, t.inside, t.around, :tol) AS geom,
           s.kind, s.name
    FROM src s, t
    OFFSET 0  -- keeps f a subquery: inlined, the filter below would compute every tile_geom twice
)
-- With the layer's data version (the ETag's; 0 without its row), read in the same statement:
-- the tile is of that version exactly, and not drawn when the client holds it (:held).
SELECT coalesce(v.version, 0) AS version,
       CASE WHEN coalesce(v.version, 0) = ANY (CAST(:held AS bigint[])) THEN NULL
            ELSE (SELECT ST_AsMVT(f, 'water', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL)
       END AS tile
FROM (SELECT 'water' AS layer) l LEFT JOIN tile_version v USING (layer);
