-- Benchmark data: n excavation permits on random street units of municipality 244,
-- spread over ten years from 2020. Parameters: n
WITH s AS (
    SELECT p.geom, row_number() OVER () AS k
    FROM parcel p JOIN property_unit u USING (property_id)
    WHERE u.municipality = '244' AND u.public_type = 'street'
), cnt AS (SELECT count(*) AS c FROM s),
src AS (
    SELECT g, DATE '2020-01-01' + (random() * 3650)::int AS d, 1 + (random() * 30)::int AS len,
           ST_PointOnSurface(s.geom) AS pt
    FROM generate_series(1, :n) g, cnt, s
    WHERE s.k = 1 + (g * 7919) % cnt.c
), permit AS (
    INSERT INTO excavation_permit (municipality, kind, state, applicant, starts_on, ends_on)
    SELECT '244', 'excavation', 'approved', 'bench', d, d + len FROM src
    RETURNING id, starts_on, ends_on
), numbered AS (
    SELECT p.*, row_number() OVER (ORDER BY p.id) AS g FROM permit p
), phase AS (
    INSERT INTO excavation_phase (permit_id, n, starts_on, ends_on)
    SELECT id, 1, starts_on, ends_on FROM numbered
    RETURNING id, permit_id, starts_on, ends_on
)
INSERT INTO excavation_area (permit_id, phase_id, period, geom)
SELECT ph.permit_id, ph.id, daterange(ph.starts_on, ph.ends_on, '[]'),
       ST_Buffer(ST_Translate(src.pt, (random() - 0.5) * 6, (random() - 0.5) * 6), 2.0, 'quad_segs=2')
FROM phase ph
JOIN numbered nb ON nb.id = ph.permit_id
JOIN src ON src.g = nb.g;
