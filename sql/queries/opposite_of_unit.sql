-- The stored opposite neighbours of a unit, and with which rules its municipality's
-- relations were built (no row: not built, answer live). Parameters: property_id, municipality
SELECT b.rules_key, r.neighbours, r.across, r.lines
FROM relation_build b
LEFT JOIN opposite_relation r ON r.property_id = :property_id
WHERE b.municipality = :municipality;
