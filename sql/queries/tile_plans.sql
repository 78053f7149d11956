-- Plans in a map tile, as a vector tile layer; building areas (one per lot) from zoom 16.
-- Parameters: z, x, y, margin, tol, tms (tile matrix set)
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
SELECT ST_AsMVT(f, 'plans', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL;
