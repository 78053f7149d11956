-- The unit under a point (the smallest where units overlap); asked for (`inside`), the centre
-- and radius of the largest circle inside it clear of the buildings standing on it (where
-- buildings moved onto it are placed: in its largest free room, not on a house), the centre in
-- lon/lat. Where that room's circle is smaller than `need_m` (what the buildings moved need),
-- or buildings cover the unit, the whole unit's circle: the buildings then stay on the plot.
-- Parameters: x, y (EPSG:3067), inside (boolean), need_m (metres)
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
    SELECT ST_Difference(h.geom, COALESCE(u.u, ST_GeomFromText('POLYGON EMPTY', 3067))) AS g
    FROM (SELECT ST_Union(b.geom) AS u FROM building b WHERE ST_Intersects(b.geom, h.geom)) u
    WHERE CAST(:inside AS boolean)
) free ON true
LEFT JOIN LATERAL (SELECT c.center, c.radius FROM ST_MaximumInscribedCircle(free.g) c
                   WHERE CAST(:inside AS boolean) AND NOT ST_IsEmpty(free.g)) fc ON true
LEFT JOIN LATERAL (SELECT c.center, c.radius FROM ST_MaximumInscribedCircle(h.geom) c
                   WHERE CAST(:inside AS boolean)
                     AND (fc.radius IS NULL OR fc.radius < CAST(:need_m AS float8))) wc ON true
CROSS JOIN LATERAL (SELECT COALESCE(wc.center, fc.center) AS center,
                           COALESCE(wc.radius, fc.radius) AS radius) m;
