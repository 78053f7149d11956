-- The officer's decision on a dig or area-use permit: the conditions it is granted on, or its
-- refusal and why (domain.md K4, K6, K7 give the usual conditions). A refused application is
-- no works: the map, the tiles and the OGC view leave it out, as they leave out a withdrawn one.
-- `conditions` NULL: none recorded (a permit approved before this, or without the field);
-- '{}': approved without particular conditions.
ALTER TABLE excavation_permit
    ADD COLUMN conditions text[],
    ADD COLUMN refusal_reason text;

ALTER TABLE excavation_permit DROP CONSTRAINT excavation_permit_state_check;
ALTER TABLE excavation_permit ADD CONSTRAINT excavation_permit_state_check CHECK (state IN
    ('draft', 'submitted', 'approved', 'refused', 'started', 'finished', 'accepted',
     'guarantee_ended', 'withdrawn'));
ALTER TABLE excavation_permit ADD CONSTRAINT excavation_permit_refusal_reason_check
    CHECK ((state = 'refused') = (refusal_reason IS NOT NULL));

CREATE OR REPLACE FUNCTION excavation_application_state(permit_state text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE permit_state
        WHEN 'draft' THEN 'draft'
        WHEN 'submitted' THEN 'submitted'
        WHEN 'approved' THEN 'decided'
        WHEN 'refused' THEN 'refused'
        WHEN 'started' THEN 'started'
        WHEN 'withdrawn' THEN 'withdrawn'
        ELSE 'completed' END
$$;

CREATE OR REPLACE VIEW ogc.excavation_areas AS
SELECT e.id, e.permit_id, p.municipality, p.kind, p.state, p.emergency, ph.n AS phase,
       lower(e.period) AS starts_on, upper(e.period) - 1 AS ends_on, ph.on_carriageway, e.geom
FROM excavation_area e
JOIN excavation_permit p ON p.id = e.permit_id
JOIN excavation_phase ph ON ph.id = e.phase_id
WHERE p.state NOT IN ('draft', 'withdrawn', 'refused');
