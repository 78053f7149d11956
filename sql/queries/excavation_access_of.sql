-- What access decisions need of a permit. `filed`: its officers may read it: submitted at
-- least once (a filing date, or a submission in its history) and not a draft now (returned to
-- its applicant), as for every application (application_access.sql); `filed_on`: the day its
-- rules are those of (null: not filed). Parameters: i
SELECT p.municipality, p.created_by, p.state, a.filed_on,
       p.state <> 'draft' AND application_ever_filed(a.id, a.filed_on) AS filed
FROM excavation_permit p
JOIN application a ON a.id = p.id
WHERE p.id = :i;
