-- Step a permit's lifecycle; a withdrawal is dated for the retention purge; an approval
-- records its conditions, a refusal its reason, and both their day and how and when the
-- decision was sent. Returns the new version, the state the application shows (the permit's
-- trigger sets it), the conditions, the reason, the decision's day and its sending.
-- Parameters: s (state), a (accepted on), g (guarantee ends), d (the step's date),
-- c (conditions, text[]; NULL: unchanged), r (refusal reason; NULL unless refused),
-- m, n (the decision's sending: method and day; NULL unless deciding), i
UPDATE excavation_permit
SET state = :s, accepted_on = :a, guarantee_ends = :g, state_changed_on = :d,
    version = version + 1,
    withdrawn_at = CASE WHEN :s = 'withdrawn' THEN now() ELSE NULL END,
    conditions = COALESCE(CAST(:c AS text[]), conditions),
    refusal_reason = CAST(:r AS text),
    decided_on = CASE WHEN :s IN ('approved', 'refused') THEN CAST(:d AS date) ELSE decided_on END,
    notice_method = COALESCE(CAST(:m AS text), notice_method),
    notice_sent_on = COALESCE(CAST(:n AS date), notice_sent_on)
WHERE id = :i
RETURNING version, excavation_application_state(state) AS app_state, conditions, refusal_reason,
          decided_on, notice_method, notice_sent_on;
