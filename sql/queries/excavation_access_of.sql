-- What access decisions need of a permit. Parameters: i
SELECT municipality, created_by, state FROM excavation_permit WHERE id = :i;
