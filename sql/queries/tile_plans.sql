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
-- with the layer's data version (the ETag's), read in the same statement: the tile is of that
-- version exactly; not drawn when the client holds it (:held, its If-None-Match's version)
SELECT v.version,
       CASE WHEN v.version = CAST(:held AS bigint) THEN NULL
            ELSE (SELECT ST_AsMVT(f, 'plans', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL)
       END AS tile
FROM tile_version v WHERE v.layer = 'plans';
