-- What access decisions need of a permit (its application row: whether it was ever filed).
-- Parameters: i
SELECT p.municipality, p.created_by, p.state, a.filed_on IS NOT NULL AS filed
FROM excavation_permit p
JOIN application a ON a.id = p.id
WHERE p.id = :i;
