-- Street works in a map tile, as a vector tile layer: permit, state, phase and its dates,
-- and whether it is active, planned or past today (no applicant: tiles are public; drafts,
-- withdrawn and refused applications are no works).
-- With the layer's data version. Parameters: z, x, y, margin, tol, tms (tile matrix set), today
-- (the Finnish day, as in the ETag), held (bigint[]: the versions the client has)
WITH t AS (
    SELECT * FROM tile_bounds(:z, :x, :y, :margin, :tms)
), f AS (
    SELECT tile_geom(e.geom, t.env, t.inside, t.around, :tol) AS geom,
           p.id AS permit_id, p.kind, p.state, ph.n AS phase,
           lower(e.period)::text AS start, (upper(e.period) - 1)::text AS "end",
           ph.on_carriageway,
           CASE WHEN CAST(:today AS date) < lower(e.period) THEN 'planned'
                WHEN CAST(:today AS date) >= upper(e.period) THEN 'past' ELSE 'active' END AS status
    FROM excavation_area e
    JOIN excavation_permit p ON p.id = e.permit_id
    JOIN excavation_phase ph ON ph.id = e.phase_id
    CROSS JOIN t
    WHERE e.geom && t.around
      AND excavation_is_works(p.state)
    OFFSET 0  -- keeps f a subquery: inlined, the filter below would compute every tile_geom twice
)
-- With the layer's data version (the ETag's; 0 without its row), read in the same statement:
-- the tile is of that version exactly, and not drawn when the client holds it (:held).
SELECT coalesce(v.version, 0) AS version,
       CASE WHEN coalesce(v.version, 0) = ANY (CAST(:held AS bigint[])) THEN NULL
            ELSE (SELECT ST_AsMVT(f, 'excavations', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL)
       END AS tile
FROM (SELECT 'excavations' AS layer) l LEFT JOIN tile_version v USING (layer);
