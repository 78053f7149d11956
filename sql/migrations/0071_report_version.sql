-- Reports of inaccurate flags carry a version like every other stored object (issue 14): an
-- officer's decision names the version read, a stale one is refused (409) and one without it
-- too (428), so two officers deciding at once cannot overwrite each other unnoticed.
ALTER TABLE flag_report ADD COLUMN IF NOT EXISTS version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
