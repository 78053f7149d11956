-- "Report an inaccuracy" on a flag or finding (issue 13; PlanX's users asked for it):
-- a user says an automatic result is wrong, officers of the municipality read the reports.
CREATE TABLE flag_report (
    id           bigserial PRIMARY KEY,
    reported_at  timestamptz NOT NULL DEFAULT now(),
    source       text NOT NULL CHECK (source IN ('analysis', 'excavation')),
    code         text NOT NULL,      -- the flag's or finding's stable code
    municipality text NOT NULL CHECK (municipality ~ '^\d{3}$'),
    property_id  text,
    message      text,               -- the text the user was shown
    comment      text NOT NULL CHECK (length(comment) BETWEEN 1 AND 2000),
    location     geometry(Point, 3067),
    reported_by  bigint REFERENCES account.app_user ON DELETE SET NULL,
    state        text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'rejected'))
);
CREATE INDEX flag_report_municipality ON flag_report (municipality, reported_at DESC);
