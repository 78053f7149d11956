-- Whether the owner contacts of an application's neighbours are published to this account:
-- an officer published them, the applicant hears the neighbours (never the authority, N9) and
-- the account applies (its creator or an accepted co-applicant). Parameters: i, u
SELECT EXISTS (
    SELECT 1 FROM application a
    WHERE a.id = :i AND a.contacts_published_at IS NOT NULL AND a.heard_by = 'applicant'
      AND (a.created_by = :u OR EXISTS (
          SELECT 1 FROM application_party p
          WHERE p.application_id = a.id AND p.user_id = :u AND p.status = 'accepted'
            AND p.role IN ('applicant', 'co_applicant')))
) AS published;
