-- Buildings in a map tile, as a vector tile layer. Parameters: z, x, y, margin, tol, tms (tile matrix set)
WITH t AS (
    SELECT * FROM tile_bounds(:z, :x, :y, :margin, :tms)
), f AS (
    SELECT tile_geom(b.geom, t.env, t.inside, t.around, :tol) AS geom,
           b.use, b.floors
    FROM building b, t
    WHERE b.geom && t.around
    OFFSET 0  -- keeps f a subquery: inlined, the filter below would compute every tile_geom twice
)
-- with the layer's data version (the ETag's), read in the same statement: the tile is of that
-- version exactly; not drawn when the client holds it (:held, its If-None-Match's version)
SELECT v.version,
       CASE WHEN v.version = CAST(:held AS bigint) THEN NULL
            ELSE (SELECT ST_AsMVT(f, 'buildings', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL)
       END AS tile
FROM tile_version v WHERE v.layer = 'buildings';
