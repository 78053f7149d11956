-- One account by e-mail (lower case). Parameters: email
SELECT id, email, role, municipality, password_hash, disabled
FROM account.app_user WHERE email = :email;
