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
-- stored relations then answer, as for the property asked for by its id. `reach_m2`: how
-- much of the drawing lies on each unit of `reaches`; `reach_wkb`: each one's parcels taken
-- in, and `own_wkb` the drawing with its own units' parcels under it (NULL without
-- `reaches`): a neighbour is reasoned against the plot it borders.
-- Parameters: site (WKB 3067), site_ids (text[]: the drawing's own units), tolerance_m
WITH site AS (SELECT ST_GeomFromWKB(:site, 3067) AS g),
-- the private parcels under the drawing, with how much of it lies on each (`on_m2`), computed
-- once (MATERIALIZED: inlined, the intersection would be computed again for the filter below)
under_drawing AS MATERIALIZED (
    SELECT p.property_id, p.geom, p.property_id = ANY (CAST(:site_ids AS text[])) AS own,
           ST_Area(ST_Intersection(p.geom, s.g)) AS on_m2
    FROM site s
    JOIN parcel p ON p.geom && s.g AND ST_Intersects(p.geom, s.g)
    JOIN property_unit u USING (property_id)
    WHERE u.kind = 'private'
),
taken AS (
    -- the parcels taken in: those of its own units, and those it reaches deeper than the
    -- tolerance into (the drawing overlaps the parcel shrunk by it)
    SELECT c.* FROM under_drawing c, site s
    WHERE c.on_m2 > 0
      AND (c.own
           OR ST_Area(ST_Intersection(s.g, ST_Buffer(c.geom, -CAST(:tolerance_m AS float8)))) > 0)
),
reached AS (
    SELECT array_agg(property_id ORDER BY property_id) AS reaches,
           array_agg(m2 ORDER BY property_id) AS reach_m2,
           array_agg(ST_AsBinary(g) ORDER BY property_id) AS reach_wkb
    FROM (SELECT property_id, sum(on_m2) AS m2, ST_Union(geom) AS g
          FROM taken WHERE NOT own GROUP BY 1) r
),
under AS (
    SELECT array_agg(DISTINCT t.property_id ORDER BY t.property_id) AS units,
           count(*) AS n,
           CASE WHEN count(*) = 1 THEN (array_agg(t.geom))[1] ELSE ST_Union(t.geom) END AS parcels
    FROM taken t
),
judged AS (
    SELECT n.*, ST_Covers(ST_Buffer(n.parcels, :tolerance_m), s.g) AS within
    FROM under n, site s
    WHERE n.units IS NOT NULL
)
SELECT j.units, coalesce(r.reaches, '{}') AS reaches, coalesce(r.reach_m2, '{}') AS reach_m2,
       coalesce(r.reach_wkb, '{}') AS reach_wkb,
       CASE WHEN r.reaches IS NOT NULL THEN ST_AsBinary(
           (SELECT ST_Union(array_agg(t.geom) || s.g) FROM taken t WHERE t.own)) END AS own_wkb,
       CASE WHEN j.within AND cardinality(j.units) = 1
                 AND j.n = (SELECT count(*) FROM parcel q WHERE q.property_id = j.units[1])
            THEN j.units[1] END AS whole,
       ST_AsBinary(CASE
           WHEN j.within THEN ST_Multi(j.parcels)
           ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(j.parcels, s.g)), 3))
       END) AS site_wkb
FROM judged j, site s, reached r;
