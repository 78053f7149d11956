-- Property units (parcels and public areas) in a map tile, as a vector tile layer.
-- Public attributes only: never owners, nor a private unit's name (it can be a family name). Parameters: z, x, y, margin, tol (simplify, in the tile
-- CRS's units), tms (tile matrix set), held (bigint[]: the versions the client has); the layer's
-- data version comes with the tile. In Web Mercator the units' stored copy in it is drawn
-- (geom_3857, migration 0090); in ETRS-TM35FIN their own geometry.
WITH t AS (
    SELECT * FROM tile_bounds(:z, :x, :y, :margin, :tms)
), f AS (
    SELECT tile_geom_projected(
               CASE WHEN :tms = 'WebMercatorQuad' THEN u.geom_3857 ELSE u.geom END,
               t.env, :tol) AS geom,
           u.property_id, u.kind, u.public_type,
           CASE WHEN u.kind = 'public' THEN u.name END AS name  -- a private unit's may be a family's
    FROM property_unit u, t
    WHERE u.geom && t.around
    OFFSET 0  -- keeps f a subquery: inlined, the filter below would compute every tile geometry twice
)
-- With the layer's data version (the ETag's; 0 without its row), read in the same statement:
-- the tile is of that version exactly, and not drawn when the client holds it (:held).
SELECT coalesce(v.version, 0) AS version,
       CASE WHEN coalesce(v.version, 0) = ANY (CAST(:held AS bigint[])) THEN NULL
            ELSE (SELECT ST_AsMVT(f, 'parcels', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL)
       END AS tile
FROM (SELECT 'parcels' AS layer) l LEFT JOIN tile_version v USING (layer);
