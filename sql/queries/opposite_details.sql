-- What the neighbour list shows of each opposite unit: the unit, the area crossed (the
-- crossing piece of the kind crossed nearest the sight line's middle) and, across a road,
-- the road centreline the line meets (a street unit may hold a whole street network).
-- Parameters: ids (text[]), across (text[]), x1, y1, x2, y2 (float8[]), site_ids (text[])
WITH o AS (
    SELECT t.*, ST_SetSRID(ST_MakeLine(ST_MakePoint(t.x1, t.y1), ST_MakePoint(t.x2, t.y2)), 3067) AS l
    FROM unnest(CAST(:ids AS text[]), CAST(:across AS text[]), CAST(:x1 AS float8[]),
                CAST(:y1 AS float8[]), CAST(:x2 AS float8[]), CAST(:y2 AS float8[]))
         WITH ORDINALITY AS t(property_id, across, x1, y1, x2, y2, n)
)
SELECT o.n, o.property_id, u.kind AS unit_kind, u.public_type, u.municipality, u.name,
       o.across, ca.property_id AS across_property_id,
       COALESCE(rn.name_fi, ca.name) AS across_name
FROM o
JOIN property_unit u ON u.property_id = o.property_id
LEFT JOIN LATERAL (
    SELECT c.property_id, c.name
    FROM crossing_area c
    WHERE c.kind = o.across
      AND ST_DWithin(c.geom, o.l, 0.5)
      AND (c.property_id IS NULL OR NOT (c.property_id = ANY (CAST(:site_ids AS text[]))))
    ORDER BY ST_Distance(c.geom, ST_LineInterpolatePoint(o.l, 0.5)), (c.name IS NULL), c.id
    LIMIT 1
) ca ON true
LEFT JOIN LATERAL (
    SELECT r.name_fi
    FROM road_centreline r
    WHERE o.across = 'road' AND r.name_fi IS NOT NULL AND ST_DWithin(r.geom, o.l, 2.0)
    ORDER BY ST_Distance(r.geom, ST_LineInterpolatePoint(o.l, 0.5)), r.id
    LIMIT 1
) rn ON true
ORDER BY o.n;
