-- Failed sign-ins of one account or address in the window, and the seconds until
-- the oldest of them leaves it. Parameters: scope, key, window_minutes
SELECT count(*) AS n,
       COALESCE(ceil(EXTRACT(EPOCH FROM min(at) + make_interval(mins => :window_minutes) - now())), 0)
           AS retry_after_s
FROM account.sign_in_failure
WHERE scope = :scope AND key = :key AND at > now() - make_interval(mins => :window_minutes);
