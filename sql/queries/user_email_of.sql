-- An account's e-mail address. Parameters: i
SELECT email FROM account.app_user WHERE id = :i;
