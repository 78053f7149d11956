-- Owners of the given units. Personal data: only for the neighbour list.
-- Parameters: ids (text[])
SELECT property_id, kind, name, share, contact_name, address, postal_code, city
FROM personal.owner
WHERE property_id = ANY (CAST(:ids AS text[]))
ORDER BY property_id, id;
