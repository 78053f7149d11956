-- Every account, for `rajapiste user list` (no password hashes).
SELECT email, role, municipality, disabled, created_at, last_sign_in
FROM account.app_user ORDER BY role, email;
