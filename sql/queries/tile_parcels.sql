-- Property units (parcels and public areas) in a map tile, as a vector tile layer.
-- Public attributes only: never owners. Parameters: z, x, y, margin, tol (simplify, metres), tms (tile matrix set)
WITH t AS (
    SELECT * FROM tile_bounds(:z, :x, :y, :margin, :tms)
), f AS (
    SELECT tile_geom(u.geom, t.env, t.inside, t.around, :tol) AS geom,
           u.property_id, u.kind, u.public_type, u.name
    FROM property_unit u, t
    WHERE u.geom && t.around
    OFFSET 0  -- keeps f a subquery: inlined, the filter below would compute every tile_geom twice
)
SELECT ST_AsMVT(f, 'parcels', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL;
