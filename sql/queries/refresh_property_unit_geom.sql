-- Set each new or changed unit's geometry (geom IS NULL) to the union of its parcels.
-- The parcel import sets its units' geometries itself (merge_staged_parcels.sql, the same
-- union); this serves parcels written one by one, e.g. a test putting a unit back.
UPDATE property_unit u
SET geom = sub.geom
FROM (
    SELECT property_id,
           CASE WHEN count(*) = 1 THEN ST_Multi((array_agg(geom))[1])
                ELSE ST_Multi(ST_Union(geom)) END::geometry(MultiPolygon, 3067) AS geom
    FROM parcel
    WHERE property_id IN (SELECT property_id FROM property_unit WHERE geom IS NULL)
    GROUP BY property_id
) sub
WHERE sub.property_id = u.property_id;
