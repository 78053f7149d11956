-- Link the buildings of the units a parcel import changed (temp table stage_changed), and those
-- linked to none, to the unit whose parcel holds their centre now: a unit split, merged, moved
-- or new, and buildings imported before their parcels. Only links that change are written.
-- Parameters: xmin, ymin, xmax, ymax (a box around changed units, EPSG:3067)
UPDATE building b SET property_id = n.pid
FROM (
    SELECT c.id,
           (SELECT p.property_id FROM parcel p
            WHERE p.geom && c.geom AND ST_Intersects(p.geom, ST_PointOnSurface(c.geom))
            ORDER BY p.property_id LIMIT 1) AS pid
    FROM building c
    WHERE c.geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
      AND (c.property_id IS NULL OR c.property_id IN (SELECT property_id FROM stage_changed))
) n
WHERE b.id = n.id AND b.property_id IS DISTINCT FROM n.pid;
