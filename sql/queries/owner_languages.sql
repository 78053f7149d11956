-- The letter language of the owners of the given units (personal data).
-- Parameters: ids (text[])
SELECT property_id, name, language
FROM personal.owner
WHERE property_id = ANY (CAST(:ids AS text[]));
