-- Store one work phase of a permit. Parameters: p (permit), n, s, e, c (on carriageway), t (traffic plan)
INSERT INTO excavation_phase (permit_id, n, starts_on, ends_on, on_carriageway, traffic_plan)
VALUES (:p, :n, :s, :e, :c, :t)
RETURNING id;
