-- The unit under a point (the smallest where units overlap); asked for (`inside`), the centre
-- and radius of the largest circle inside it clear of the buildings standing on it (where
-- buildings moved onto it are placed: in its largest free room, not on a house; the whole unit
-- where buildings cover it all), the centre in lon/lat.
-- Parameters: x, y (EPSG:3067), inside (boolean)
WITH hit AS (
    SELECT p.property_id, p.geom
    FROM parcel p
    WHERE ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint(:x, :y), 3067))
    ORDER BY ST_Area(p.geom), p.property_id
    LIMIT 1
)
SELECT h.property_id, ST_X(ST_Transform(m.center, 4326)) AS lon,
       ST_Y(ST_Transform(m.center, 4326)) AS lat, m.radius AS radius_m
FROM hit h
LEFT JOIN LATERAL (
    SELECT CASE WHEN ST_IsEmpty(f.g) THEN h.geom ELSE f.g END AS room
    FROM (SELECT ST_Difference(h.geom, COALESCE(ST_Union(b.geom), ST_GeomFromText('POLYGON EMPTY', 3067))) AS g
          FROM building b
          WHERE ST_Intersects(b.geom, h.geom)) f
    WHERE CAST(:inside AS boolean)
) free ON true
LEFT JOIN LATERAL (SELECT c.center, c.radius FROM ST_MaximumInscribedCircle(free.room) c
                   WHERE CAST(:inside AS boolean)) m ON true;
