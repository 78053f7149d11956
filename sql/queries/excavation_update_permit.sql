-- Replace an application's contents (its phases are stored again). Parameters (the row is locked): i, m, k, e, a, d, s, t, f
UPDATE excavation_permit
SET municipality = :m, kind = :k, emergency = :e, applicant = :a, description = :d,
    starts_on = :s, ends_on = :t, fee_eur = :f, version = version + 1
WHERE id = :i
RETURNING version;
