-- The unit under a point (the smallest where units overlap), with the centre and radius of the
-- largest circle inside it (where buildings moved onto it are placed), the centre in lon/lat.
-- Parameters: x, y (EPSG:3067)
WITH hit AS (
    SELECT p.property_id, p.geom
    FROM parcel p
    WHERE ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint(:x, :y), 3067))
    ORDER BY ST_Area(p.geom), p.property_id
    LIMIT 1
), c AS (
    SELECT property_id, ST_MaximumInscribedCircle(geom) AS mic FROM hit
)
SELECT property_id, ST_X(ST_Transform((mic).center, 4326)) AS lon,
       ST_Y(ST_Transform((mic).center, 4326)) AS lat, (mic).radius AS radius_m
FROM c;
