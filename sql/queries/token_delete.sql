-- Sign out: forget one token. Parameters: digest (bytea)
DELETE FROM account.access_token WHERE token_sha256 = :digest;
