-- Applications (issue 11): one case from draft to a legally valid decision.
-- Typed geometry in EPSG:3067; the SQLAlchemy models of api/storage/models.py declare the
-- same tables (tests/sql/test_models.py compares them with what this migration makes).
CREATE TABLE application (
    id                    bigserial PRIMARY KEY,
    kind                  text NOT NULL CHECK (kind IN ('building_permit', 'deviation', 'planning_need',
                                                        'minor_deviation', 'excavation', 'area_use')),
    state                 text NOT NULL DEFAULT 'draft' CHECK (state IN
                          ('draft', 'submitted', 'in_review', 'hearing', 'decided', 'legally_valid',
                           'started', 'completed', 'withdrawn', 'refused', 'expired')),
    version               integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    municipality          text NOT NULL CHECK (municipality ~ '^\d{3}$'),
    property_ids          text[] NOT NULL DEFAULT '{}',
    site                  geometry(MultiPolygon, 3067),
    site_from_property    boolean NOT NULL DEFAULT false,  -- the site is its unit's, not a drawing
    description           text,
    heard_by              text NOT NULL DEFAULT 'authority' CHECK (heard_by IN ('authority', 'applicant')),
    filed_on              date,            -- fixed at submission, with the regime
    regime                text CHECK (regime IN ('MRL', 'RakL')),
    created_by            bigint REFERENCES account.app_user ON DELETE SET NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    withdrawn_at          timestamptz,
    contacts_requested_at timestamptz,     -- the applicant asked for the owners' contacts (N9)
    contacts_published_at timestamptz,     -- an officer published them to the applicant
    contacts_published_by bigint,
    letters_frozen_at     timestamptz,     -- the addressees cannot change after the letters
    letters_charged       integer NOT NULL DEFAULT 0,
    hearing_fee_eur       numeric(10, 2) NOT NULL DEFAULT 0,
    analysis_id           bigint,          -- the frozen analysis in force
    purged_at             timestamptz      -- personal data cleared by the retention purge
);
CREATE INDEX application_site_gist ON application USING gist (site);
CREATE INDEX application_municipality_state ON application (municipality, state);
CREATE INDEX application_created_by ON application (created_by);

CREATE TABLE application_building (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES application ON DELETE CASCADE,
    n              integer NOT NULL,
    use            text NOT NULL,
    floor_area_m2  double precision,
    height_m       double precision,
    footprint      geometry(Polygon, 3067) NOT NULL
);
CREATE INDEX application_building_application ON application_building (application_id);

-- Parties: the applicant, co-applicants and the designer, invited by e-mail.
CREATE TABLE application_party (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES application ON DELETE CASCADE,
    role           text NOT NULL CHECK (role IN ('applicant', 'co_applicant', 'designer')),
    name           text,
    email          text NOT NULL CHECK (email = lower(email)),
    user_id        bigint REFERENCES account.app_user ON DELETE SET NULL,
    status         text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'accepted', 'declined')),
    invited_at     timestamptz NOT NULL DEFAULT now(),
    answered_at    timestamptz,
    UNIQUE (application_id, email)
);
CREATE INDEX application_party_email ON application_party (email);

-- Attachments: checked by type and size, stored in the database (whole or not at all).
CREATE TABLE application_attachment (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES application ON DELETE CASCADE,
    kind           text NOT NULL,
    name           text NOT NULL,
    content_type   text NOT NULL,
    size_bytes     integer NOT NULL CHECK (size_bytes > 0),
    sha256         text NOT NULL,
    content        bytea NOT NULL,
    uploaded_by    bigint REFERENCES account.app_user ON DELETE SET NULL,
    uploaded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_attachment_application ON application_attachment (application_id);

-- Frozen analyses: the one made at submission, and re-runs on changed data (never replacing
-- it silently). The document holds owners (personal data): it is cut for each reader.
CREATE TABLE application_analysis (
    id               bigserial PRIMARY KEY,
    application_id   bigint NOT NULL REFERENCES application ON DELETE CASCADE,
    purpose          text NOT NULL CHECK (purpose IN ('submitted', 'rerun', 'adopted', 'manual')),
    computed_at      timestamptz NOT NULL DEFAULT now(),
    data_version     bigint,           -- the latest import_log id the data came from
    data_imported_at timestamptz,
    rules_version    text NOT NULL,    -- digest of the rule files that resolved the rules
    rules_files      text[] NOT NULL,
    document         jsonb
);
CREATE INDEX application_analysis_application ON application_analysis (application_id);
ALTER TABLE application ADD CONSTRAINT application_analysis_fk
    FOREIGN KEY (analysis_id) REFERENCES application_analysis (id) ON DELETE SET NULL;

-- The hearing, one row per addressee (one letter however many units): personal data.
CREATE TABLE personal.hearing_addressee (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES application ON DELETE CASCADE,
    n              integer NOT NULL,
    relation       text NOT NULL CHECK (relation IN ('adjacent', 'opposite', 'affected', 'manual', 'authority')),
    property_ids   text[] NOT NULL,
    municipality   text,
    owner_kind     text NOT NULL,
    name           text,
    contact_name   text,
    address        text,
    postal_code    text,
    city           text,
    language       text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv')),
    reason         text NOT NULL,
    reason_fi      text NOT NULL,
    reason_sv      text NOT NULL,
    status         text NOT NULL DEFAULT 'open' CHECK (status IN
                   ('open', 'letter_sent', 'reminded', 'answered_no_remarks', 'answered_remarks',
                    'consented', 'heard_by_public_notice', 'heard_by_authority')),
    status_on      date,
    letter_sent_on date,
    reminded_on    date,
    deadline       date,
    remarks        text,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     bigint
);
CREATE INDEX hearing_addressee_application ON personal.hearing_addressee (application_id);
CREATE INDEX hearing_addressee_deadline ON personal.hearing_addressee (deadline)
    WHERE status IN ('letter_sent', 'reminded');

-- The decision and its clock (dates computed once from the rule file of the filing date).
CREATE TABLE application_decision (
    application_id   bigint PRIMARY KEY REFERENCES application ON DELETE CASCADE,
    outcome          text NOT NULL CHECK (outcome IN ('granted', 'refused')),
    decided_by       text NOT NULL CHECK (decided_by IN ('board', 'inspector')),
    decided_on       date NOT NULL,
    posted_on        date NOT NULL,
    conditions       text[] NOT NULL DEFAULT '{}',
    appeal_kind      text NOT NULL CHECK (appeal_kind IN ('rectification', 'appeal')),
    appeal_days      integer NOT NULL,
    appeal_ends_on   date NOT NULL,
    legally_valid_on date NOT NULL,
    start_by         date,
    finish_by        date,
    valid_until      date,
    recorded_by      bigint,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (posted_on >= decided_on)
);

-- What happened, when and by whom (the timeline).
CREATE TABLE application_event (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES application ON DELETE CASCADE,
    at             timestamptz NOT NULL DEFAULT now(),
    on_date        date,
    event          text NOT NULL,
    from_state     text,
    to_state       text,
    user_id        bigint,
    role           text,
    detail         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX application_event_application ON application_event (application_id, at);

-- The letter's language (domain.md: Finnish or Swedish by the addressee); Finnish by default.
ALTER TABLE personal.owner
    ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv'));
