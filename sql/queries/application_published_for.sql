-- The municipality whose owners' contacts an officer has published to this account for an
-- application (NULL: none): its own municipality's, as its officer sees them. Published when
-- the applicant hears the neighbours (never the authority, N9), to those who apply (its
-- creator or an accepted co-applicant). Parameters: i, u
SELECT (
    SELECT a.municipality FROM application a
    WHERE a.id = :i AND a.contacts_published_at IS NOT NULL AND a.heard_by = 'applicant'
      AND (a.created_by = :u OR EXISTS (
          SELECT 1 FROM application_party p
          WHERE p.application_id = a.id AND p.user_id = :u AND p.status = 'accepted'
            AND p.role IN ('applicant', 'co_applicant')))
) AS published_in;
