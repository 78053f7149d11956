-- Water areas and the shore zone in a map tile, as a vector tile layer (kind: water or
-- shore_zone). Parameters: z, x, y, margin, tol, tms (tile matrix set)
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
-- with the layer's data version (the ETag's), read in the same statement: the tile is of that
-- version exactly; not drawn when the client holds it (:held, its If-None-Match's version)
SELECT v.version,
       CASE WHEN v.version = CAST(:held AS bigint) THEN NULL
            ELSE (SELECT ST_AsMVT(f, 'water', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL)
       END AS tile
FROM tile_version v WHERE v.layer = 'water';
