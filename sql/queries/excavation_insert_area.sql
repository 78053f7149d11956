-- Store one dig area with its phase's period. Parameters: p (permit), ph (phase), s, e, g (WKB 3067)
INSERT INTO excavation_area (permit_id, phase_id, period, geom)
VALUES (:p, :ph, daterange(:s, :e, '[]'), ST_GeomFromWKB(:g, 3067));
