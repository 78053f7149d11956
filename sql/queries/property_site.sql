-- The building site a drawing stands for: the drawing together with the parcels of its own
-- private units that it lies on (MRL 133 §: the building site's neighbours; municipal
-- practice hears the neighbours of the project's property, not of the spot drawn in it).
-- Only the parcels the drawing overlaps count, not a unit's other parcels far away, and no
-- public area (a street, a park) stands for a site drawn on it.
-- A drawing inside the parcels (within the adjacency tolerance: a plot traced by hand) is
-- the parcels as stored, so it is heard exactly as the property asked for by its id; one
-- reaching beyond them is their union with the drawing.
-- Parameters: site (WKB 3067), site_ids (text[]: the drawing's own units), tolerance_m
WITH site AS (SELECT ST_GeomFromWKB(:site, 3067) AS g),
under AS (
    SELECT array_agg(DISTINCT p.property_id ORDER BY p.property_id) AS units,
           ST_Collect(p.geom) AS parcels
    FROM site s
    JOIN parcel p ON p.geom && s.g AND ST_Intersects(p.geom, s.g)
                     AND ST_Area(ST_Intersection(p.geom, s.g)) > 0
    JOIN property_unit u USING (property_id)
    WHERE p.property_id = ANY (CAST(:site_ids AS text[])) AND u.kind = 'private'
)
SELECT n.units,
       ST_AsBinary(CASE
           WHEN ST_DWithin(n.parcels, s.g, 0) AND ST_Covers(ST_Buffer(n.parcels, :tolerance_m), s.g)
               THEN ST_Multi(n.parcels)
           ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(n.parcels, s.g)), 3))
       END) AS site_wkb
FROM under n, site s
WHERE n.units IS NOT NULL;
