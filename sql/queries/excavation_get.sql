-- A stored permit's record. Parameters: i
SELECT id, municipality, kind, emergency, state, applicant, description, starts_on, ends_on,
       accepted_on, guarantee_ends, fee_eur, created_at, version,
       conditions, refusal_reason, decided_on
FROM excavation_permit WHERE id = :i;
