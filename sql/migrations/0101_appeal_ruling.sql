-- What settled a claim or an appeal: who ruled on it (the administrative court, or the board on
-- an officer's decision's rectification claim), the day of the ruling and its reference (the
-- court's diary number). Recorded with the step that ends the appeal (the decision legally
-- valid, a new decision, or refused) and shown with the decision; the step's timeline event
-- keeps it too. A new decision made without an appeal carries none.
ALTER TABLE application_decision
    ADD COLUMN ruling_by text CHECK (char_length(ruling_by) BETWEEN 1 AND 200),
    ADD COLUMN ruling_on date,
    ADD COLUMN ruling_reference text CHECK (char_length(ruling_reference) BETWEEN 1 AND 100),
    ADD CHECK ((ruling_by IS NULL) = (ruling_on IS NULL)),
    ADD CHECK (ruling_reference IS NULL OR ruling_by IS NOT NULL);
