-- Buildings in a map tile, as a vector tile layer, with the layer's data version.
-- Parameters: z, x, y, margin, tol, tms (tile matrix set), held (bigint[]: versions the client has)
WITH t AS (
    SELECT * FROM tile_bounds(:z, :x, :y, :margin, :tms)
), f AS (
    SELECT tile_geom(b.geom, t.env, t.inside, t.around, :tol) AS geom,
           b.use, b.floors
    FROM building b, t
    WHERE b.geom && t.around
    OFFSET 0  -- keeps f a subquery: inlined, the filter below would compute every tile_geom twice
)
-- With the layer's data version (the ETag's; 0 without its row), read in the same statement:
-- the tile is of that version exactly, and not drawn when the client holds it (:held).
SELECT coalesce(v.version, 0) AS version,
       CASE WHEN coalesce(v.version, 0) = ANY (CAST(:held AS bigint[])) THEN NULL
            ELSE (SELECT ST_AsMVT(f, 'buildings', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL)
       END AS tile
FROM (SELECT 'buildings' AS layer) l LEFT JOIN tile_version v USING (layer);
