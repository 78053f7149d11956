-- An officer's decision on a report. Parameters: id, state, municipality (or NULL: an admin)
UPDATE flag_report SET state = :state
WHERE id = :id AND (CAST(:municipality AS text) IS NULL OR municipality = :municipality)
RETURNING id, reported_at, state;
