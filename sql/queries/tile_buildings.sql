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
SELECT ST_AsMVT(f, 'buildings', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL;
