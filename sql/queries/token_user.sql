-- The enabled account a live token belongs to. Parameters: digest (bytea)
SELECT u.id, u.email, u.role, u.municipality, t.expires_at
FROM account.access_token t JOIN account.app_user u ON u.id = t.user_id
WHERE t.token_sha256 = :digest AND t.expires_at > now() AND NOT u.disabled;
