-- Store one work phase of a permit. Parameters: p (permit), n, s, e, c (on carriageway),
-- t (traffic plan), w (the width of its lines, NULL: none drawn as lines)
INSERT INTO excavation_phase (permit_id, n, starts_on, ends_on, on_carriageway, traffic_plan, width_m)
VALUES (:p, :n, :s, :e, :c, :t, :w)
RETURNING id;
