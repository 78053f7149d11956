-- A street address ("Joukolantie 15"): the road links of that name (Finnish or Swedish) whose
-- range on one side holds the number with its parity, the point interpolated along the link in
-- its digitised direction, and the private unit nearest to a point `setback_m` off the
-- centreline on that side (left of the direction: the azimuth minus 90 degrees), with a
-- point inside that unit (lon, lat).
-- Parameters: street, num, setback_m, reach_m, lim
WITH side AS (
    SELECT r.id, r.name_fi, r.name_sv, r.geom, s.side, s.a, s.b
    FROM road_centreline r
    CROSS JOIN LATERAL (VALUES ('left', r.address_from_left, r.address_to_left),
                               ('right', r.address_from_right, r.address_to_right)) AS s(side, a, b)
    WHERE (lower(r.name_fi) = lower(:street) OR lower(r.name_sv) = lower(:street))
      AND s.a IS NOT NULL AND s.b IS NOT NULL
      AND :num BETWEEN least(s.a, s.b) AND greatest(s.a, s.b)
      AND (:num - s.a) % 2 = 0
), placed AS (
    SELECT id, name_fi, name_sv, side, geom,
           CASE WHEN a = b THEN 0.5 ELSE (:num - a)::float8 / (b - a) END AS f
    FROM side
), pointed AS (
    SELECT p.*,
           ST_LineInterpolatePoint(geom, f) AS pt,
           ST_Azimuth(ST_LineInterpolatePoint(geom, greatest(f - 0.01, 0)),
                      ST_LineInterpolatePoint(geom, least(f + 0.01, 1))) AS az
    FROM placed p
), offset_pt AS (
    SELECT q.*,
           ST_Translate(pt, :setback_m * sin(az + CASE side WHEN 'left' THEN -pi() / 2 ELSE pi() / 2 END),
                            :setback_m * cos(az + CASE side WHEN 'left' THEN -pi() / 2 ELSE pi() / 2 END)) AS at
    FROM pointed q
)
SELECT o.name_fi, o.name_sv, o.side,
       ST_AsGeoJSON(ST_Transform(o.pt, 4326), 7)::json AS point,
       ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_Envelope(ST_Buffer(o.pt, 40)), 4326)))::json AS bbox,
       u.property_id, ST_X(ST_Transform(u.inner_pt, 4326)) AS lon,
       ST_Y(ST_Transform(u.inner_pt, 4326)) AS lat
FROM offset_pt o
LEFT JOIN LATERAL (
    SELECT pu.property_id, ST_PointOnSurface(pu.geom) AS inner_pt FROM property_unit pu
    WHERE pu.kind = 'private' AND ST_DWithin(pu.geom, o.at, :reach_m)
    ORDER BY pu.geom <-> o.at
    LIMIT 1
) u ON true
ORDER BY o.name_fi, o.id
LIMIT :lim;
