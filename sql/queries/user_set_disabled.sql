-- Disable or enable an account. Parameters: email, disabled
UPDATE account.app_user SET disabled = :disabled WHERE email = :email RETURNING id;
