-- Serialise the sign-ins of one account for this transaction: its failures are counted, the
-- password checked and a failure recorded one attempt at a time, so parallel guesses cannot
-- all read a count under the limit. Two-key advisory locks (class 7411, the e-mail's hash):
-- a space apart from the dig permits' one-key locks. Parameters: email
SELECT pg_advisory_xact_lock(7411, hashtext(:email));
