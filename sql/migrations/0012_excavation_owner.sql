-- Who created a dig permit (only they may edit, submit or withdraw it), and the
-- withdrawn state, whose personal data the retention purge clears.
ALTER TABLE excavation_permit
    ADD COLUMN created_by bigint REFERENCES account.app_user ON DELETE SET NULL,
    ADD COLUMN withdrawn_at timestamptz;
CREATE INDEX excavation_permit_created_by ON excavation_permit (created_by);

ALTER TABLE excavation_permit DROP CONSTRAINT excavation_permit_state_check;
ALTER TABLE excavation_permit ADD CONSTRAINT excavation_permit_state_check CHECK (state IN
    ('draft', 'submitted', 'approved', 'started', 'finished', 'accepted', 'guarantee_ended',
     'withdrawn'));
