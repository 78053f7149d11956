-- Move staged parcels (temp table stage_parcel) into place, for the units whose parcels
-- changed (temp table stage_changed, stage_changed_units.sql; the others keep their rows):
-- those units lose their earlier parcels, new units are created from the id's block code
-- (99xx = public area), and each such unit gets the union of its parcels in the file as
-- its geometry, in the same statement (one new row version, not two).
-- The source file name comes from the transaction setting rajapiste.import_source.
DELETE FROM parcel WHERE property_id IN (SELECT property_id FROM stage_changed);

INSERT INTO property_unit (property_id, municipality, kind, public_type, block_code, source, geom)
SELECT property_id, substr(property_id, 1, 3),
       CASE WHEN substr(property_id, 7, 2) = '99' THEN 'public' ELSE 'private' END,
       CASE substr(property_id, 7, 4)
            WHEN '9901' THEN 'street' WHEN '9902' THEN 'square'
            WHEN '9903' THEN 'park' WHEN '9904' THEN 'recreation'
            WHEN '9905' THEN 'traffic' WHEN '9909' THEN 'water'
            ELSE CASE WHEN substr(property_id, 7, 2) = '99' THEN 'public_other' END END,
       substr(property_id, 7, 4), current_setting('rajapiste.import_source'),
       CASE WHEN count(*) = 1 THEN ST_Multi((array_agg(geom))[1])
            ELSE ST_Multi(ST_Union(geom)) END::geometry(MultiPolygon, 3067)
FROM stage_parcel
WHERE property_id IN (SELECT property_id FROM stage_changed)
GROUP BY property_id
ON CONFLICT (property_id) DO UPDATE SET geom = EXCLUDED.geom, source = EXCLUDED.source;

INSERT INTO parcel (property_id, source_id, geom)
SELECT property_id, source_id, geom FROM stage_parcel
WHERE property_id IN (SELECT property_id FROM stage_changed);
