-- Clear the personal data of applications withdrawn longer ago than the retention period:
-- the applicant's name, the description, the parties, the attachments, the addressees' names, addresses and
-- remarks, and the owners kept in the frozen analyses. The case's kind, site and dates stay.
-- Parameters: days
WITH gone AS (
    SELECT id FROM application
    WHERE state = 'withdrawn' AND withdrawn_at < now() - make_interval(days => :days)
      AND purged_at IS NULL
), app AS (
    UPDATE application SET applicant_name = NULL, description = NULL, purged_at = now()
    WHERE id IN (SELECT id FROM gone) RETURNING id
), parties AS (
    DELETE FROM application_party WHERE application_id IN (SELECT id FROM gone)
), files AS (
    DELETE FROM application_attachment WHERE application_id IN (SELECT id FROM gone)
), heard AS (
    UPDATE personal.hearing_addressee
    SET name = NULL, contact_name = NULL, address = NULL, postal_code = NULL, city = NULL,
        remarks = NULL
    WHERE application_id IN (SELECT id FROM gone)
), analyses AS (
    UPDATE application_analysis SET document = NULL WHERE application_id IN (SELECT id FROM gone)
)
SELECT count(*) AS cleared FROM app;
