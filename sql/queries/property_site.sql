-- The building site a drawing stands for: the drawing together with the parcels of its own
-- private units that it lies on (MRL 133 §: the building site's neighbours; municipal
-- practice hears the neighbours of the project's property, not of the spot drawn in it).
-- Only the parcels the drawing overlaps count, not a unit's other parcels far away, and no
-- public area (a street, a park) stands for a site drawn on it.
-- A drawing inside the parcels (within the adjacency tolerance: a plot traced by hand) is
-- the parcels as stored (one parcel's geometry as it is; several merged into one valid
-- geometry); one reaching beyond them is their union with the drawing. `whole` names the
-- unit when the site is exactly one unit as stored (all its parcels, nothing beyond): its
-- stored relations then answer, as for the property asked for by its id.
-- Parameters: site (WKB 3067), site_ids (text[]: the drawing's own units), tolerance_m
WITH site AS (SELECT ST_GeomFromWKB(:site, 3067) AS g),
under AS (
    SELECT array_agg(DISTINCT p.property_id ORDER BY p.property_id) AS units,
           count(*) AS n,
           CASE WHEN count(*) = 1 THEN (array_agg(p.geom))[1] ELSE ST_Union(p.geom) END AS parcels
    FROM site s
    JOIN parcel p ON p.geom && s.g AND ST_Intersects(p.geom, s.g)
                     AND ST_Area(ST_Intersection(p.geom, s.g)) > 0
    JOIN property_unit u USING (property_id)
    WHERE p.property_id = ANY (CAST(:site_ids AS text[])) AND u.kind = 'private'
),
judged AS (
    SELECT n.*, ST_Covers(ST_Buffer(n.parcels, :tolerance_m), s.g) AS within
    FROM under n, site s
    WHERE n.units IS NOT NULL
)
SELECT j.units,
       CASE WHEN j.within AND cardinality(j.units) = 1
                 AND j.n = (SELECT count(*) FROM parcel q WHERE q.property_id = j.units[1])
            THEN j.units[1] END AS whole,
       ST_AsBinary(CASE
           WHEN j.within THEN ST_Multi(j.parcels)
           ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(j.parcels, s.g)), 3))
       END) AS site_wkb
FROM judged j, site s;
