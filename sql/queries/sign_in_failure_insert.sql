-- Record a failed sign-in for the account tried, the client address and the two together.
-- Parameters: email, address
INSERT INTO account.sign_in_failure (scope, key)
VALUES ('account', :email), ('address', :address), ('pair', :email || ' ' || :address);
