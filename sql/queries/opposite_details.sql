-- What the neighbour list shows of each opposite unit: the unit, the area crossed (the
-- crossing piece of the kind crossed nearest the sight line's middle) and, across a road,
-- the road centreline the line meets (a street unit may hold a whole street network), named in
-- Finnish and in Swedish (the Finnish name where the street has no Swedish one).
-- The units come from a live computation (the arrays) or, in the same round trip, from the
-- relation stored for a property (`stored_for`) when its municipality's relations were built
-- with these rules (`rules_key`). The first column says which: `stored` is true on every row
-- when the stored relation was read (one row without a unit when it holds none), false on the
-- single row answered when it could not be (not built, or with other rules: compute live).
-- Parameters: ids (text[]), across (text[]), x1, y1, x2, y2 (float8[]), site_ids (text[]),
--             stored_for (text or NULL), municipality, rules_key, kinds (text[]: kind codes' names)
WITH built AS (
    SELECT EXISTS (
        SELECT 1 FROM relation_build b
        WHERE CAST(:stored_for AS text) IS NOT NULL
          AND b.municipality = :municipality AND b.rules_key = :rules_key
    ) AS stored
), o AS (
    SELECT t.*, ST_SetSRID(ST_MakeLine(ST_MakePoint(t.x1, t.y1), ST_MakePoint(t.x2, t.y2)), 3067) AS l
    FROM (
        SELECT g.property_id, g.across, g.x1, g.y1, g.x2, g.y2, g.n
        FROM unnest(CAST(:ids AS text[]), CAST(:across AS text[]), CAST(:x1 AS float8[]),
                    CAST(:y1 AS float8[]), CAST(:x2 AS float8[]), CAST(:y2 AS float8[]))
             WITH ORDINALITY AS g(property_id, across, x1, y1, x2, y2, n)
        UNION ALL
        SELECT s.property_id, (CAST(:kinds AS text[]))[s.code + 1],
               r.lines[4 * s.n - 3], r.lines[4 * s.n - 2], r.lines[4 * s.n - 1], r.lines[4 * s.n], s.n
        FROM built, opposite_relation r, unnest(r.neighbours, r.across) WITH ORDINALITY AS s(property_id, code, n)
        WHERE built.stored AND r.property_id = :stored_for
    ) t
), details AS (
    SELECT o.n, o.property_id, u.kind AS unit_kind, u.public_type, u.municipality, u.name,
           o.across, o.x1, o.y1, o.x2, o.y2, ca.property_id AS across_property_id,
           COALESCE(rn.name_fi, ca.name) AS across_name,
           COALESCE(NULLIF(rn.name_sv, ''), rn.name_fi, ca.name) AS across_name_sv
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
        SELECT r.name_fi, r.name_sv
        FROM road_centreline r
        WHERE o.across = 'road' AND r.name_fi IS NOT NULL AND ST_DWithin(r.geom, o.l, 2.0)
        ORDER BY ST_Distance(r.geom, ST_LineInterpolatePoint(o.l, 0.5)), r.id
        LIMIT 1
    ) rn ON true
)
SELECT built.stored, d.*
FROM built
LEFT JOIN details d ON true
ORDER BY d.n;
