-- Failed sign-ins are also counted per account and client address together ('pair', key
-- "e-mail address"): a few wrong passwords lock an account only for the address they came
-- from, so no one can lock an officer out from afar; the account's own count (over every
-- address) keeps a higher limit against guesses spread over many addresses.
ALTER TABLE account.sign_in_failure DROP CONSTRAINT sign_in_failure_scope_check;
ALTER TABLE account.sign_in_failure
    ADD CONSTRAINT sign_in_failure_scope_check CHECK (scope IN ('account', 'address', 'pair'));
