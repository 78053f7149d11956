-- Clear the personal data (applicant, description) of dig permits withdrawn longer ago than
-- the retention period; the areas and dates stay for the works history. Parameters: days
UPDATE excavation_permit SET applicant = NULL, description = NULL
WHERE state = 'withdrawn' AND withdrawn_at < now() - make_interval(days => :days)
  AND (applicant IS NOT NULL OR description IS NOT NULL);
