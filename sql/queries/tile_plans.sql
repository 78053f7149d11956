-- Plans in a map tile, as a vector tile layer; building areas (one per lot) from zoom 16.
-- With the layer's data version. Parameters: z, x, y, margin, tol, tms (tile matrix set), held
-- (bigint[]: the versions the client has)
WITH t AS (
    SELECT * FROM tile_bounds(:z, :x, :y, :margin, :tms)
), f AS (
    SELECT tile_geom(p.geom, t.env, t.inside, t.around, :tol) AS geom,
           p.kind, p.name, p.use_class, p.building_right_m2
    FROM plan_area p, t
    WHERE p.geom && t.around
      AND (p.kind <> 'building-area' OR :z >= 16)
    OFFSET 0  -- keeps f a subquery: inlined, the filter below would compute every tile_geom twice
)
-- With the layer's data version (the ETag's; 0 without its row), read in the same statement:
-- the tile is of that version exactly, and not drawn when the client holds it (:held).
SELECT coalesce(v.version, 0) AS version,
       CASE WHEN coalesce(v.version, 0) = ANY (CAST(:held AS bigint[])) THEN NULL
            ELSE (SELECT ST_AsMVT(f, 'plans', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL)
       END AS tile
FROM (SELECT 'plans' AS layer) l LEFT JOIN tile_version v USING (layer);
