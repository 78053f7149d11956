-- A stored permit's phases and dig areas, as its application had them (a line as drawn, with
-- its phase's width), and its filing day, to check it again or to edit it (with the version
-- an edit sends back). Parameters: i
SELECT p.municipality, p.kind, p.emergency, p.applicant, p.description, p.version, a.filed_on,
       ph.n, ph.starts_on, ph.ends_on, ph.on_carriageway, ph.traffic_plan, ph.width_m,
       -- a line only with its width (else the area: a line cannot be checked without one)
       array_agg(ST_AsBinary(CASE WHEN ph.width_m IS NOT NULL THEN COALESCE(ar.drawn, ar.geom)
                                  ELSE ar.geom END) ORDER BY ar.id) AS areas
FROM excavation_permit p
JOIN application a ON a.id = p.id
JOIN excavation_phase ph ON ph.permit_id = p.id
JOIN excavation_area ar ON ar.phase_id = ph.id
WHERE p.id = :i
GROUP BY p.id, a.filed_on, ph.id
ORDER BY ph.n;
