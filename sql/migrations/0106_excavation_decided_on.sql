-- The day a dig or area-use permit was decided (approved or refused). The permit's
-- `state_changed_on` moves on with every later step (started, finished, accepted), so the
-- decision's own day is kept apart. Earlier decisions take the day of the case timeline's
-- approval or refusal event, or, with none recorded, the day the permit last changed state
-- while it still stands approved or refused.
ALTER TABLE excavation_permit ADD COLUMN decided_on date;

UPDATE excavation_permit p SET decided_on = e.on_date
FROM (SELECT DISTINCT ON (application_id) application_id, on_date
      FROM application_event
      WHERE event = 'state' AND detail ->> 'permit_state' IN ('approved', 'refused')
      ORDER BY application_id, id DESC) e
WHERE e.application_id = p.id;

UPDATE excavation_permit SET decided_on = state_changed_on
WHERE decided_on IS NULL AND state IN ('approved', 'refused');
