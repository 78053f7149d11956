-- Buildings in a map tile, as a vector tile layer. Parameters: z, x, y, margin, tol
WITH t AS (
    SELECT * FROM tile_bounds(:z, :x, :y, :margin)
), f AS (
    SELECT tile_geom(b.geom, t.env, t.inside, t.around, :tol) AS geom,
           b.use, b.floors
    FROM building b, t
    WHERE b.geom && t.around
)
SELECT ST_AsMVT(f, 'buildings', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL;
