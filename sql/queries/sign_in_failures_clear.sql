-- A successful sign-in clears that account's failures, from every address (never the
-- address's own count). Parameters: email
DELETE FROM account.sign_in_failure
WHERE (scope = 'account' AND key = :email) OR (scope = 'pair' AND starts_with(key, :email || ' '));
