-- One audit row, written on the primary for a read a replica served: only while the token
-- the user signed in with is live there and the account enabled (the replica's copy may lag
-- behind a sign-out, a new password or a disabled account). No row: the token is no longer valid.
-- Parameters: user_id, user_email, role, endpoint, property_ids (text[]), application_id,
-- digest (bytea: the token's SHA-256)
INSERT INTO audit.disclosure (user_id, user_email, role, endpoint, property_ids, application_id)
SELECT :user_id, :user_email, :role, :endpoint, CAST(:property_ids AS text[]), :application_id
WHERE EXISTS (
    SELECT 1
    FROM account.access_token t JOIN account.app_user u ON u.id = t.user_id
    WHERE t.token_sha256 = :digest AND u.id = :user_id AND NOT u.disabled
        AND t.expires_at > now()
);
