-- Works in a bbox (EPSG:3067) and period; drafts, withdrawn and refused applications are no works.
-- Parameters: xmin, ymin, xmax, ymax, start, end, lim
SELECT p.id, p.kind, p.state, p.municipality, p.applicant, p.created_by, p.starts_on, p.ends_on, p.emergency,
       ph.n AS phase, lower(e.period) AS phase_start, upper(e.period) - 1 AS phase_end,
       ph.on_carriageway, ST_AsBinary(e.geom) AS wkb
FROM excavation_area e
JOIN excavation_permit p ON p.id = e.permit_id
JOIN excavation_phase ph ON ph.id = e.phase_id
WHERE e.geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
  AND e.period && daterange(CAST(:start AS date), CAST(:end AS date), '[]')
  AND excavation_is_works(p.state)
ORDER BY p.starts_on, p.id, ph.n
LIMIT :lim;
