-- One audit row, written on the primary for a read a replica served: only while the user is
-- enabled and holds a live token there (the replica's copy may lag behind a sign-out or a
-- disabled account). No row: the caller is no longer signed in.
-- Parameters: user_id, user_email, role, endpoint, property_ids (text[]), application_id
INSERT INTO audit.disclosure (user_id, user_email, role, endpoint, property_ids, application_id)
SELECT :user_id, :user_email, :role, :endpoint, CAST(:property_ids AS text[]), :application_id
WHERE EXISTS (
    SELECT 1
    FROM account.app_user u JOIN account.access_token t ON t.user_id = u.id
    WHERE u.id = :user_id AND NOT u.disabled AND t.expires_at > now()
);
