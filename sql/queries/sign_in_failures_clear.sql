-- A successful sign-in clears that account's failures (never the address's). Parameters: email
DELETE FROM account.sign_in_failure WHERE scope = 'account' AND key = :email;
