-- The units of a parcel import whose parcels differ from those stored (new units included),
-- into the temp table stage_changed; the rest of the file is already in place. Parcels are
-- compared as sets of exactly equal polygons (the same vertices in the same order: what an
-- unchanged feature of a re-imported file gives), whatever their order in the file.
CREATE TEMP TABLE stage_changed ON COMMIT DROP AS
WITH new AS (
    SELECT property_id, array_agg(geom ORDER BY geom) AS parts
    FROM stage_parcel
    GROUP BY property_id
), old AS (
    SELECT property_id, array_agg(geom ORDER BY geom) AS parts
    FROM parcel
    WHERE property_id IN (SELECT property_id FROM stage_parcel)
    GROUP BY property_id
)
SELECT new.property_id
FROM new LEFT JOIN old USING (property_id)
WHERE old.parts IS DISTINCT FROM new.parts;

ANALYZE stage_changed;
