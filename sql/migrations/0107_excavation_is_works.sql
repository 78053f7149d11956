-- Which permit states are works on the ground: not a draft, a withdrawn or a refused
-- application. The map's list, its tiles and the OGC view asked this each with its own copy of
-- the list (0105 added 'refused' to all three); they now share this one.
CREATE OR REPLACE FUNCTION excavation_is_works(permit_state text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT permit_state NOT IN ('draft', 'withdrawn', 'refused')
$$;

CREATE OR REPLACE VIEW ogc.excavation_areas AS
SELECT e.id, e.permit_id, p.municipality, p.kind, p.state, p.emergency, ph.n AS phase,
       lower(e.period) AS starts_on, upper(e.period) - 1 AS ends_on, ph.on_carriageway, e.geom
FROM excavation_area e
JOIN excavation_permit p ON p.id = e.permit_id
JOIN excavation_phase ph ON ph.id = e.phase_id
WHERE excavation_is_works(p.state);
