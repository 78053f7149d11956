-- What access decisions need of an application: municipality, creator, state, whether it was
-- ever filed (a filing date now, or a submission in its history: a case taken back to a draft
-- and then withdrawn was filed), and the accounts
-- of its parties who accepted their invitation (editors) and of its co-applicants (signers).
-- Parameters: i
SELECT a.id AS application_id, a.municipality, a.created_by, a.state,
       application_ever_filed(a.id, a.filed_on) AS filed,
       COALESCE(array_agg(p.user_id) FILTER (WHERE p.status = 'accepted' AND p.user_id IS NOT NULL),
                '{}') AS editors,
       COALESCE(array_agg(p.user_id) FILTER (WHERE p.status = 'accepted' AND p.user_id IS NOT NULL
                                               AND p.role IN ('applicant', 'co_applicant')),
                '{}') AS signers
FROM application a
LEFT JOIN application_party p ON p.application_id = a.id
WHERE a.id = :i
GROUP BY a.id;
