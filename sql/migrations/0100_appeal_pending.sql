-- A decision under appeal: a rectification claim (Hallintolaki 49 a-49 g §) or an appeal to
-- the administrative court (Act 808/2019) lodged within the period keeps the decision from
-- becoming legally valid on its own day. The case waits in 'appealed' until the officer
-- records the day it did become legally valid (the claim or appeal rejected, and that final),
-- or a new decision (a rectified one, or one given again after the court returned the case).
-- The validity windows (start by, finish by, valid until) then run from that real day.
ALTER TABLE application DROP CONSTRAINT application_state_check;
ALTER TABLE application ADD CONSTRAINT application_state_check CHECK (state IN
    ('draft', 'submitted', 'in_review', 'hearing', 'decided', 'appealed', 'legally_valid',
     'started', 'completed', 'withdrawn', 'refused', 'expired'));
ALTER TABLE application_decision
    ADD COLUMN appealed_on date,              -- the day the claim or appeal was lodged
    ADD COLUMN valid_after_appeal boolean NOT NULL DEFAULT false,  -- legally_valid_on is the real day
    ADD CHECK (appealed_on IS NULL OR (appealed_on >= posted_on AND appealed_on <= appeal_ends_on));
