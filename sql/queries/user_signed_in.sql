-- Note a successful sign-in. Parameters: id
UPDATE account.app_user SET last_sign_in = now() WHERE id = :id;
