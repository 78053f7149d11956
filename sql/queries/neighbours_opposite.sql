-- Units lying opposite the site across a road, water or a park strip: not
-- adjacent, and the shortest line from the site to the unit runs (by at least
-- min_share of its length) inside crossing areas, within the cap of the kind
-- of area it mostly crosses.
-- Parameters: site (WKB 3067), site_ids, exclude (text[] of adjacent ids), tolerance_m,
-- road_max_m, water_max_m, park_max_m, min_share, include_public
WITH site AS (
    SELECT ST_GeomFromWKB(:site, 3067) AS g
), near_piece AS (
    -- crossing areas that touch the site: every crossing starts at one of them
    SELECT ca.kind, ca.property_id, ca.name
    FROM crossing_area ca, site s
    WHERE ST_DWithin(ca.geom, s.g, :tolerance_m)
), near_area AS (
    SELECT DISTINCT kind FROM near_piece
), cand AS (
    SELECT p.property_id, p.geom
    FROM parcel p, site s
    WHERE ST_DWithin(p.geom, s.g, (
            SELECT max(CASE kind WHEN 'road' THEN CAST(:road_max_m AS float8)
                                 WHEN 'water' THEN CAST(:water_max_m AS float8)
                                 ELSE CAST(:park_max_m AS float8) END)
            FROM near_area))
      AND NOT (p.property_id = ANY (CAST(:site_ids AS text[])))
      AND NOT (p.property_id = ANY (CAST(:exclude AS text[])))
), line AS (
    SELECT c.property_id, ST_ShortestLine(s.g, c.geom) AS l
    FROM cand c, site s
), crossed AS (
    SELECT ln.property_id, ln.l, ST_Length(ln.l) AS len_m, x.kind, x.inside_m, x.ref_id,
           x.ref_name, x.state_road, x.total_inside_m
    FROM line ln
    CROSS JOIN LATERAL (
        SELECT kind, inside_m, ref_id, ref_name, state_road,
               sum(inside_m) OVER () AS total_inside_m
        FROM (
            SELECT ca.kind,
                   sum(ST_Length(ST_Intersection(ln.l, ca.geom))) AS inside_m,
                   (array_agg(ca.property_id ORDER BY ST_Length(ST_Intersection(ln.l, ca.geom)) DESC))[1] AS ref_id,
                   (array_agg(ca.name ORDER BY (ca.name IS NULL), ST_Length(ST_Intersection(ln.l, ca.geom)) DESC))[1] AS ref_name,
                   bool_or(ca.state_road) AS state_road
            FROM crossing_area ca
            WHERE ca.geom && ln.l AND ST_Intersects(ca.geom, ln.l)
            GROUP BY ca.kind
        ) k
        ORDER BY inside_m DESC
        LIMIT 1
    ) x
), ok AS (
    SELECT c.*, u.kind AS unit_kind, u.public_type, u.municipality, u.name,
           min(c.len_m) OVER (PARTITION BY c.kind, COALESCE(c.ref_name, c.ref_id, '')) AS narrowest_m
    FROM crossed c
    JOIN property_unit u USING (property_id)
    WHERE c.len_m > 0
      AND least(c.total_inside_m, c.len_m) >= :min_share * c.len_m
      AND c.len_m <= CASE c.kind WHEN 'road' THEN :road_max_m
                                 WHEN 'water' THEN :water_max_m
                                 ELSE :park_max_m END
      AND (:include_public OR u.kind = 'private')
      -- the area mostly crossed is one the site borders: "across the street" is
      -- across the site's own street, not one beyond a neighbour
      AND EXISTS (
          SELECT 1 FROM near_piece np
          WHERE np.kind = c.kind
            AND (np.property_id = c.ref_id OR (c.ref_id IS NULL AND np.name = c.ref_name))
      )
      -- a unit of the very kind crossed is part of the crossing, not across it
      AND (c.kind, COALESCE(u.public_type, '')) NOT IN
          (('road', 'street'), ('road', 'traffic'), ('water', 'water'), ('park', 'park'))
      -- a line that runs along a third unit's boundary does not cross anything:
      -- its midpoint must stand clear of every unit but the two it joins and
      -- the units of the kind it crosses
      AND NOT EXISTS (
          SELECT 1
          FROM parcel o
          JOIN property_unit ou ON ou.property_id = o.property_id
          WHERE ST_DWithin(o.geom, ST_LineInterpolatePoint(c.l, 0.5), least(1.0, c.len_m / 4))
            AND o.property_id <> c.property_id
            AND NOT (o.property_id = ANY (CAST(:site_ids AS text[])))
            AND CASE ou.public_type WHEN 'street' THEN 'road' WHEN 'traffic' THEN 'road'
                     WHEN 'park' THEN 'park' WHEN 'water' THEN 'water' ELSE '' END <> c.kind
            AND NOT ST_Intersects(ST_PointOnSurface(o.geom), (SELECT g FROM site))
      )
)
SELECT ok.property_id, unit_kind, public_type, municipality, ok.name,
       kind AS across, ref_id AS across_property_id,
       -- a street unit may hold a whole street network: name the road the line crosses
       COALESCE(rn.name_fi, ref_name) AS across_name,
       state_road AS across_state_road, len_m AS distance_m, narrowest_m,
       ST_AsBinary(l) AS line_wkb
FROM ok
LEFT JOIN LATERAL (
    SELECT r.name_fi
    FROM road_centreline r
    WHERE ok.kind = 'road' AND r.name_fi IS NOT NULL AND ST_DWithin(r.geom, ok.l, 2.0)
    ORDER BY ST_Distance(r.geom, ST_LineInterpolatePoint(ok.l, 0.5))
    LIMIT 1
) rn ON true
-- opposite means facing: not much farther than the narrowest crossing of the same area
WHERE len_m <= narrowest_m * :slack
ORDER BY len_m;
