-- Lock a permit for a change (the row, until commit) and read what the change is checked
-- against. Parameters: i
SELECT id, municipality, created_by, state, version, emergency, starts_on, ends_on,
       accepted_on, guarantee_ends, state_changed_on
FROM excavation_permit WHERE id = :i
FOR UPDATE;
