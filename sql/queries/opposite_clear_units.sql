-- Forget the stored opposite neighbours of the units a rebuild computes again: exactly
-- those (not the units whose index box meets its region: the index's boxes are rounded
-- outwards, and a unit just beyond the region would lose its row). Parameter: ids (text[])
DELETE FROM opposite_relation r
USING unnest(CAST(:ids AS text[])) AS u(property_id)
WHERE r.property_id = u.property_id;
