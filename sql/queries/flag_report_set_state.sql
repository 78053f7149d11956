-- An officer's decision on a report, made on the version read. Parameters: id, state,
-- version (or NULL: nothing changes), municipality (or NULL: an admin). No row: no such
-- report for this officer; `id` NULL: nothing changed (`current_version` says what is stored).
WITH cur AS (
    SELECT id, version FROM flag_report
    WHERE id = :id AND (CAST(:municipality AS text) IS NULL OR municipality = :municipality)
    FOR UPDATE
), upd AS (
    UPDATE flag_report f SET state = :state, version = f.version + 1
    FROM cur WHERE f.id = cur.id AND cur.version = CAST(:version AS integer)
    RETURNING f.id, f.reported_at, f.state, f.version
)
SELECT cur.version AS current_version, upd.id, upd.reported_at, upd.state, upd.version
FROM cur LEFT JOIN upd ON true;
