-- A successful sign-in clears that account's failures over every address, and those from this
-- address (never the address's own count). Parameters: email, address
DELETE FROM account.sign_in_failure
WHERE (scope = 'account' AND key = :email) OR (scope = 'pair' AND key = :email || ' ' || :address);
