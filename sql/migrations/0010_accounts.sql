-- Local accounts, their sign-in tokens and failed sign-ins (issue 10).
-- Passwords are stored only as argon2 hashes; tokens only as SHA-256 digests
-- (a token is 256 random bits, so a fast digest is enough and lookups stay cheap).
CREATE SCHEMA IF NOT EXISTS account;

CREATE TABLE account.app_user (
    id             bigserial PRIMARY KEY,
    email          text NOT NULL CHECK (email = lower(email) AND position('@' in email) > 1),
    role           text NOT NULL CHECK (role IN ('applicant', 'contractor', 'officer', 'admin')),
    municipality   text CHECK (municipality ~ '^\d{3}$'),
    password_hash  text,            -- argon2id; NULL for accounts that sign in only through OIDC
    disabled       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_sign_in   timestamptz,
    -- an officer acts for one municipality: without it the officer could see no one's owners
    CHECK (role <> 'officer' OR municipality IS NOT NULL)
);
CREATE UNIQUE INDEX app_user_email ON account.app_user (email);

CREATE TABLE account.access_token (
    token_sha256  bytea PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES account.app_user ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL   -- sign-out and disabling the account delete the row
);
CREATE INDEX access_token_user ON account.access_token (user_id);
CREATE INDEX access_token_expires ON account.access_token (expires_at);

-- Failed sign-ins, per account (the e-mail tried) and per client address, kept in the
-- database so the limit holds across uvicorn workers and restarts.
CREATE TABLE account.sign_in_failure (
    id        bigserial PRIMARY KEY,
    scope     text NOT NULL CHECK (scope IN ('account', 'address')),
    key       text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failure_key_at ON account.sign_in_failure (scope, key, at);
