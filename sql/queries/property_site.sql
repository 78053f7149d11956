-- The building site a drawing stands for: the drawing together with the parcels of its own
-- private units that it lies on (MRL 133 §: the building site's neighbours; municipal
-- practice hears the neighbours of the project's property, not of the spot drawn in it).
-- Only the parcels the drawing overlaps count, not a unit's other parcels far away, and no
-- public area (a street, a park) stands for a site drawn on it.
-- A drawing reaching into another private unit deeper than the adjacency tolerance (a site
-- split over two plots, or one drawn across a boundary) takes that unit's parcels under it
-- too: their neighbours are heard as well. The unit itself is not the drawing's own, so it
-- stays in the list and is heard (`reaches`): a letter too many rather than one missing.
-- A drawing inside the parcels (within the adjacency tolerance: a plot traced by hand) is
-- the parcels as stored (one parcel's geometry as it is; several merged into one valid
-- geometry); one reaching beyond them is their union with the drawing. `whole` names the
-- unit when the site is exactly one unit as stored (all its parcels, nothing beyond): its
-- stored relations then answer, as for the property asked for by its id.
-- Parameters: site (WKB 3067), site_ids (text[]: the drawing's own units), tolerance_m
WITH site AS (
    SELECT g, ST_Buffer(g, -CAST(:tolerance_m AS float8)) AS deep
    FROM (SELECT ST_GeomFromWKB(:site, 3067) AS g) d
),
under AS (
    SELECT array_agg(DISTINCT p.property_id ORDER BY p.property_id) AS units,
           array_agg(DISTINCT p.property_id ORDER BY p.property_id)
               FILTER (WHERE NOT p.property_id = ANY (CAST(:site_ids AS text[]))) AS reaches,
           count(*) AS n,
           CASE WHEN count(*) = 1 THEN (array_agg(p.geom))[1] ELSE ST_Union(p.geom) END AS parcels
    FROM site s
    JOIN parcel p ON p.geom && s.g AND ST_Intersects(p.geom, s.g)
                     AND ST_Area(ST_Intersection(p.geom, s.g)) > 0
    JOIN property_unit u USING (property_id)
    WHERE u.kind = 'private'
      AND (p.property_id = ANY (CAST(:site_ids AS text[])) OR ST_Intersects(p.geom, s.deep))
),
judged AS (
    SELECT n.*, ST_Covers(ST_Buffer(n.parcels, :tolerance_m), s.g) AS within
    FROM under n, site s
    WHERE n.units IS NOT NULL
)
SELECT j.units, coalesce(j.reaches, '{}') AS reaches,
       CASE WHEN j.within AND cardinality(j.units) = 1
                 AND j.n = (SELECT count(*) FROM parcel q WHERE q.property_id = j.units[1])
            THEN j.units[1] END AS whole,
       ST_AsBinary(CASE
           WHEN j.within THEN ST_Multi(j.parcels)
           ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(j.parcels, s.g)), 3))
       END) AS site_wkb
FROM judged j, site s;
