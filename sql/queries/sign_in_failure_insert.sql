-- Record a failed sign-in for the account tried and the client address. Parameters: email, address
INSERT INTO account.sign_in_failure (scope, key) VALUES ('account', :email), ('address', :address);
