-- Add a local account. Parameters: email, role, municipality, password_hash
INSERT INTO account.app_user (email, role, municipality, password_hash)
VALUES (:email, :role, :municipality, :password_hash)
RETURNING id, email, role, municipality;
