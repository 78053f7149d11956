-- The dates the given applications run towards: the hearing deadline (the last of the running
-- periods: a reminder or public notice runs past the letters') and the decision's clock.
-- Parameters: ids (bigint[])
SELECT a.id,
       (SELECT max(h.deadline) FROM personal.hearing_addressee h
        WHERE h.application_id = a.id
          AND h.status IN ('letter_sent', 'reminded', 'heard_by_public_notice')) AS hearing_deadline,
       d.appeal_kind, d.appeal_ends_on, d.legally_valid_on, d.start_by, d.finish_by, d.valid_until
FROM application a
LEFT JOIN application_decision d ON d.application_id = a.id
WHERE a.id = ANY (CAST(:ids AS bigint[]));
