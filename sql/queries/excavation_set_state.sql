-- Step a permit's lifecycle; a withdrawal is dated for the retention purge. Returns the new
-- version and the state the application shows (the permit's trigger sets it).
-- Parameters: s (state), a (accepted on), g (guarantee ends), d (the step's date), i
UPDATE excavation_permit
SET state = :s, accepted_on = :a, guarantee_ends = :g, state_changed_on = :d,
    version = version + 1,
    withdrawn_at = CASE WHEN :s = 'withdrawn' THEN now() ELSE NULL END
WHERE id = :i
RETURNING version, excavation_application_state(state) AS app_state;
