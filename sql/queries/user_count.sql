-- How many accounts exist (the demo users are created only when there are none).
SELECT count(*) AS n FROM account.app_user;
