-- Who saw whose owner data (domain.md N9, issue 10): one row per response that
-- contained personal owner data, written in the same transaction as the read.
-- Only property ids and the reader are kept: never names, addresses or identity codes.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.disclosure (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    user_id         bigint,          -- no foreign key: the trail outlives a removed account
    user_email      text NOT NULL,
    role            text NOT NULL,
    endpoint        text NOT NULL,   -- e.g. 'GET /api/v1/parcels/{property_id}/neighbours'
    property_ids    text[] NOT NULL, -- the units whose personal owner data was shown
    application_id  bigint           -- the application the read was for, when there is one
);
CREATE INDEX disclosure_at ON audit.disclosure (at);
CREATE INDEX disclosure_user ON audit.disclosure (user_email, at);
CREATE INDEX disclosure_property_ids ON audit.disclosure USING gin (property_ids);
