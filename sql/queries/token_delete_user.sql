-- Sign an account out everywhere (disabled, or its password changed). Parameters: user_id
DELETE FROM account.access_token WHERE user_id = :user_id;
