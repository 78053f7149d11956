-- Store a new sign-in token's digest. Parameters: digest (bytea), user_id, ttl_minutes
INSERT INTO account.access_token (token_sha256, user_id, expires_at)
VALUES (:digest, :user_id, now() + make_interval(mins => :ttl_minutes))
RETURNING expires_at;
