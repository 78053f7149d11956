-- A stored permit's record, its decision's sending, the day it was withdrawn (its last step's
-- day; for a step before migration 0050 dated it, the day it was recorded), and its filing day
-- (whose rules its decision's clock runs by).
-- Parameters: i
SELECT p.id, p.municipality, p.kind, p.emergency, p.state, p.applicant, p.description,
       p.starts_on, p.ends_on, p.accepted_on, p.guarantee_ends, p.fee_eur, p.created_at,
       p.version, p.conditions, p.refusal_reason, p.decided_on, p.notice_method,
       p.notice_sent_on, a.filed_on,
       CASE WHEN p.state = 'withdrawn'
            THEN COALESCE(p.state_changed_on, (p.withdrawn_at AT TIME ZONE 'Europe/Helsinki')::date)
       END AS withdrawn_on
FROM excavation_permit p JOIN application a ON a.id = p.id
WHERE p.id = :i;
