-- Store one dig area with its phase's period, and the line it was drawn as (NULL: an area).
-- Parameters: p (permit), ph (phase), s, e, g (WKB 3067), l (WKB 3067 or NULL)
INSERT INTO excavation_area (permit_id, phase_id, period, geom, drawn)
VALUES (:p, :ph, daterange(:s, :e, '[]'), ST_GeomFromWKB(:g, 3067), ST_GeomFromWKB(:l, 3067));
