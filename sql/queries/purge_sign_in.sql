-- Forget expired tokens and failed sign-ins older than the throttling window. Parameters: window_minutes
WITH t AS (DELETE FROM account.access_token WHERE expires_at < now() RETURNING 1),
     f AS (DELETE FROM account.sign_in_failure
           WHERE at < now() - make_interval(mins => :window_minutes) RETURNING 1)
SELECT (SELECT count(*) FROM t) AS tokens, (SELECT count(*) FROM f) AS failures;
