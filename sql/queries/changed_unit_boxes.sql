-- The box of each unit a parcel import changes (temp table stage_changed), one row per unit
-- (the import counts the changed units from these): around its parcels in the file and those
-- stored before (read before the merge replaces them). The derived tables are rebuilt around
-- these. No parameters.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
FROM (
    SELECT ST_Extent(p.geom) AS e
    FROM (
        SELECT property_id, geom FROM stage_parcel
        UNION ALL
        SELECT property_id, geom FROM parcel
    ) p
    WHERE p.property_id IN (SELECT property_id FROM stage_changed)
    GROUP BY p.property_id
) x;
