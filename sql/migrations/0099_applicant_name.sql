-- Who applies, by name (a person or a company), so that the hearing letters can say who
-- asks for the permit. Personal data: shown to the case's parties and the municipality's
-- officers, printed on the letters to the neighbours (the form says so), kept out of the
-- OGC views and tiles, and cleared with the description by the retention purge of a
-- withdrawn case. Dig and area-use permits keep theirs on the permit (excavation_permit).
ALTER TABLE application ADD COLUMN applicant_name text
    CHECK (applicant_name IS NULL OR length(applicant_name) BETWEEN 1 AND 200);
