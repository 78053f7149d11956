-- Street-excavation and area-use permits (domain.md section 4).
CREATE TABLE excavation_permit (
    id             bigserial PRIMARY KEY,
    municipality   text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('excavation', 'placement', 'area_use')),
    emergency      boolean NOT NULL DEFAULT false,
    state          text NOT NULL DEFAULT 'submitted' CHECK (state IN
                   ('draft', 'submitted', 'approved', 'started', 'finished', 'accepted', 'guarantee_ended')),
    applicant      text,
    description    text,
    starts_on      date NOT NULL,
    ends_on        date NOT NULL,
    accepted_on    date,
    guarantee_ends date,
    fee_eur        double precision,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on)
);

CREATE TABLE excavation_phase (
    id             bigserial PRIMARY KEY,
    permit_id      bigint NOT NULL REFERENCES excavation_permit ON DELETE CASCADE,
    n              integer NOT NULL,
    starts_on      date NOT NULL,
    ends_on        date NOT NULL,
    on_carriageway boolean NOT NULL DEFAULT false,
    traffic_plan   text,
    CHECK (ends_on >= starts_on)
);

-- One row per dig area, with its phase's period, so that "near in space and
-- time" is one GiST lookup on (geom, period).
CREATE TABLE excavation_area (
    id        bigserial PRIMARY KEY,
    permit_id bigint NOT NULL REFERENCES excavation_permit ON DELETE CASCADE,
    phase_id  bigint NOT NULL REFERENCES excavation_phase ON DELETE CASCADE,
    period    daterange NOT NULL,
    geom      geometry(Polygon, 3067) NOT NULL
);
CREATE INDEX excavation_area_geom_period_gist ON excavation_area USING gist (geom, period);
CREATE INDEX excavation_area_permit ON excavation_area (permit_id);
