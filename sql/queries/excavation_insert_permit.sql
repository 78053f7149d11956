-- Store a dig permit application. Parameters: m, k, e, a, d, s, t, f, by (creator), state
INSERT INTO excavation_permit (municipality, kind, emergency, applicant, description, starts_on, ends_on, fee_eur,
                               created_by, state)
VALUES (:m, :k, :e, :a, :d, :s, :t, :f, :by, :state)
RETURNING id;
