-- Store a dig permit application. Parameters: m, k, e, a, d, s, t, f
INSERT INTO excavation_permit (municipality, kind, emergency, applicant, description, starts_on, ends_on, fee_eur)
VALUES (:m, :k, :e, :a, :d, :s, :t, :f)
RETURNING id;
