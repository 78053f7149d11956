-- Applications a reader may see (their deadlines: application_dates.sql).
-- Visibility: admins all; a party its own (created, or invited by e-mail); an officer the
-- municipality's cases that were filed and are no drafts. Filters are optional (NULL: any).
-- Open cases (open_states: clock.DEADLINE_STATES, where a deadline still runs) come first, then
-- the latest changed; a dig or area-use permit (works_kinds) in works_done (refused) is done. `invitation`: the reader's unanswered invitation (its party id), if any,
-- with the name and role it was sent with (`invitation_name`, `invitation_role`), the e-mail
-- address of the account that sent it (`invitation_from`: NULL before migration 0102) and the
-- case's applicant as named on it (`invitation_applicant`).
-- Parameters: admin, uid, email, officer_of, states (text[]), kind,
--             municipality, xmin, ymin, xmax, ymax (EPSG:3067 or NULL), open_states (text[]),
--             works_kinds, works_done (text[]),
--             lim (NULL: all), due_from, due_to (dates, NULL: any; else only cases with a
--             hearing deadline or a decision date between them, a superset of what is due)
SELECT a.id, a.kind, a.state, a.version, a.municipality, a.property_ids, a.description,
       a.filed_on, a.updated_at, a.created_by,
       EXISTS (SELECT 1 FROM application_party p
               WHERE p.application_id = a.id AND p.email = :email) AS invited,
       EXISTS (SELECT 1 FROM application_party p
               WHERE p.application_id = a.id AND p.user_id = :uid AND p.status = 'accepted') AS party,
       inv.id AS invitation, inv.name AS invitation_name, inv.role AS invitation_role,
       inv.sender AS invitation_from,
       CASE WHEN inv.id IS NOT NULL THEN a.applicant_name END AS invitation_applicant
FROM application a
-- the sender's address only when they apply (the creator or an accepted co-applicant): an
-- administrator's own address is not shown to the public
LEFT JOIN LATERAL (SELECT p.id, p.name, p.role,
                          CASE WHEN u.id = a.created_by
                                 OR EXISTS (SELECT 1 FROM application_party q
                                            WHERE q.application_id = a.id AND q.user_id = u.id
                                              AND q.status = 'accepted')
                               THEN u.email END AS sender
                   FROM application_party p
                   LEFT JOIN account.app_user u ON u.id = p.invited_by
                   WHERE p.application_id = a.id AND p.email = :email AND p.status = 'invited'
                   ORDER BY p.id LIMIT 1) inv ON true
WHERE (CAST(:admin AS boolean)
       OR a.created_by = :uid
       OR EXISTS (SELECT 1 FROM application_party p
                  WHERE p.application_id = a.id AND (p.user_id = :uid OR p.email = :email)
                    AND p.status <> 'declined')
       OR (a.municipality = CAST(:officer_of AS text) AND a.state <> 'draft'
           AND application_ever_filed(a.id, a.filed_on)))
  AND (CAST(:states AS text[]) IS NULL OR a.state = ANY (CAST(:states AS text[])))
  AND (CAST(:kind AS text) IS NULL OR a.kind = CAST(:kind AS text))
  AND (CAST(:municipality AS text) IS NULL OR a.municipality = CAST(:municipality AS text))
  AND (CAST(:xmin AS double precision) IS NULL
       OR a.site && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067))
  AND (CAST(:due_to AS date) IS NULL
       OR EXISTS (SELECT 1 FROM application_decision d
                  WHERE d.application_id = a.id
                    AND (d.appeal_ends_on BETWEEN :due_from AND :due_to
                         OR d.legally_valid_on BETWEEN :due_from AND :due_to
                         OR d.start_by BETWEEN :due_from AND :due_to
                         OR d.finish_by BETWEEN :due_from AND :due_to
                         OR d.valid_until BETWEEN :due_from AND :due_to))
       OR EXISTS (SELECT 1 FROM personal.hearing_addressee h
                  WHERE h.application_id = a.id
                    AND h.status IN ('letter_sent', 'reminded', 'heard_by_public_notice')
                    AND h.deadline BETWEEN :due_from AND :due_to))
ORDER BY a.state = ANY (CAST(:open_states AS text[]))
             AND NOT (a.kind = ANY (CAST(:works_kinds AS text[]))
                      AND a.state = ANY (CAST(:works_done AS text[]))) DESC,
         a.updated_at DESC, a.id DESC
LIMIT :lim;
