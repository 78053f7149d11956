-- Street works in a map tile, as a vector tile layer: permit, state, phase and its dates,
-- and whether it is active, planned or past today (no applicant: tiles are public; drafts
-- and withdrawn applications are no works).
-- Parameters: z, x, y, margin, tol, tms (tile matrix set), today (the Finnish day, as in the ETag)
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
      AND p.state NOT IN ('draft', 'withdrawn')
    OFFSET 0  -- keeps f a subquery: inlined, the filter below would compute every tile_geom twice
)
-- with the layer's data version (the ETag's), read in the same statement: the tile is of that
-- version exactly; not drawn when the client holds it (:held, its If-None-Match's version)
SELECT v.version,
       CASE WHEN v.version = CAST(:held AS bigint) THEN NULL
            ELSE (SELECT ST_AsMVT(f, 'excavations', 4096, 'geom') FROM f WHERE f.geom IS NOT NULL)
       END AS tile
FROM tile_version v WHERE v.layer = 'excavations';
