-- Store a new password hash. Parameters: id, password_hash
UPDATE account.app_user SET password_hash = :password_hash WHERE id = :id;
