-- Lock a permit for a change (the row, until commit) and read what the change is checked
-- against, and the state its application shows (app_state). Parameters: i
SELECT p.id, p.municipality, p.created_by, p.state, p.version, p.emergency, p.starts_on,
       p.ends_on, p.accepted_on, p.guarantee_ends, p.state_changed_on, a.filed_on,
       a.state AS app_state
FROM excavation_permit p JOIN application a ON a.id = p.id
WHERE p.id = :i
FOR UPDATE OF p;
