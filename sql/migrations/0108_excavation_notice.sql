-- How and when a dig or area-use permit's decision was sent to its applicant: by letter
-- (deemed received on the 7th day, Hallintolaki 59 §) or as an electronic message (on the
-- 3rd day, 13/2003 19 §). The rectification claim's days run from that day. Decisions taken
-- before this was kept were taken as sent by letter on their own day: so they stay.
ALTER TABLE excavation_permit
    ADD COLUMN notice_method text CHECK (notice_method IN ('letter', 'electronic')),
    ADD COLUMN notice_sent_on date,
    ADD CONSTRAINT excavation_notice_after_decision CHECK (notice_sent_on >= decided_on),
    -- both or neither, and only on a decision
    ADD CONSTRAINT excavation_notice_whole CHECK ((notice_method IS NULL) = (notice_sent_on IS NULL)),
    ADD CONSTRAINT excavation_notice_decided CHECK (notice_method IS NULL OR decided_on IS NOT NULL);

UPDATE excavation_permit SET notice_method = 'letter', notice_sent_on = decided_on
WHERE decided_on IS NOT NULL;
