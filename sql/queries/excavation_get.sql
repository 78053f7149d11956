-- A stored permit's record. Parameters: i
SELECT id, municipality, kind, emergency, state, applicant, description, starts_on, ends_on,
       accepted_on, guarantee_ends, fee_eur, created_at, version,
       conditions, refusal_reason
FROM excavation_permit WHERE id = :i;
