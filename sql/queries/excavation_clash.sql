-- Other works near in space and time: within distance_m, periods overlapping
-- once widened by the same margin of days. Parameters: area (WKB 3067),
-- distance_m, start, end (dates), exclude_permit (bigint or NULL)
WITH a AS (SELECT ST_GeomFromWKB(:area, 3067) AS g)
SELECT e.permit_id, p.kind, p.state, p.applicant,
       min(ST_Distance(e.geom, a.g)) AS gap_m,
       min(lower(e.period)) AS starts_on, max(upper(e.period)) - 1 AS ends_on,
       ST_AsBinary(ST_Union(e.geom)) AS wkb
FROM excavation_area e
JOIN excavation_permit p ON p.id = e.permit_id, a
WHERE ST_DWithin(e.geom, a.g, :distance_m)
  AND e.period && daterange(CAST(:start AS date), CAST(:end AS date), '[]')
  AND p.state IN ('submitted', 'approved', 'started')
  AND e.permit_id IS DISTINCT FROM CAST(:exclude_permit AS bigint)
GROUP BY e.permit_id, p.kind, p.state, p.applicant
ORDER BY gap_m
LIMIT 50;
