-- Property units (parcels and public areas) in a map tile, as a vector tile layer.
-- Public attributes only: never owners. Parameters: z, x, y, margin, tol (simplify, in the tile
-- CRS's units), tms (tile matrix set). In Web Mercator the units' stored copy in it is drawn
-- (geom_3857, migration 0090); in ETRS-TM35FIN their own geometry.
WITH t AS (
    SELECT * FROM tile_bounds(:z, :x, :y, :margin, :tms)
), f AS (
    SELECT tile_geom_projected(
               CASE WHEN :tms = 'WebMercatorQuad' THEN u.geom_3857 ELSE u.geom END,
               t.env, :tol) AS geom,
           u.property_id, u.kind, u.public_type, u.name
    FROM property_unit u, t
    WHERE u.geom && t.around
    OFFSET 0  -- keeps f a subquery: inlined, the filter below would compute every tile geometry twice
)
-- with the layer's data version (the ETag's), read in the same statement: the tile is of that
-- version exactly; not drawn when the client holds it (:held, its If-None-Match's version)
SELECT v.version,
       CASE WHEN v.version = CAST(:held AS bigint) THEN NULL
            ELSE (SELECT ST_AsMVT(f, 'parcels', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL)
       END AS tile
FROM tile_version v WHERE v.layer = 'parcels';
