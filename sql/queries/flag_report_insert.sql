-- Store a report of an inaccurate flag. Parameters: source, code, municipality, property_id,
-- message, comment, location (WKB 3067 or NULL), reported_by (or NULL)
INSERT INTO flag_report (source, code, municipality, property_id, message, comment, location,
                         reported_by)
VALUES (:source, :code, :municipality, :property_id, :message, :comment,
        ST_GeomFromWKB(CAST(:location AS bytea), 3067), :reported_by)
RETURNING id, reported_at, state;
