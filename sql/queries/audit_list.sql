-- The audit trail, newest first. Days are Finnish calendar days (Europe/Helsinki).
-- Parameters: start, end (dates or NULL), user_email (or NULL), property_id (or NULL), lim
SELECT id, at, user_id, user_email, role, endpoint, property_ids, application_id
FROM audit.disclosure
WHERE (CAST(:start AS date) IS NULL
       OR at >= CAST(:start AS date)::timestamp AT TIME ZONE 'Europe/Helsinki')
  AND (CAST(:end AS date) IS NULL
       OR at < (CAST(:end AS date) + 1)::timestamp AT TIME ZONE 'Europe/Helsinki')
  AND (CAST(:user_email AS text) IS NULL OR user_email = :user_email)
  AND (CAST(:property_id AS text) IS NULL OR property_ids @> ARRAY[CAST(:property_id AS text)])
ORDER BY at DESC, id DESC
LIMIT :lim;
