-- Optimistic locking and dated lifecycle steps for dig permits (issue 14).
-- `version` grows by one with every change; a write naming an older version is refused
-- (409). `state_changed_on` is the date of the last lifecycle step: the next one may not be
-- dated before it.
ALTER TABLE excavation_permit
    ADD COLUMN version integer NOT NULL DEFAULT 1,
    ADD COLUMN state_changed_on date;
