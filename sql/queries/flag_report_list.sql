-- Reports of inaccurate flags, newest first. Parameters: municipality (or NULL: all), state
-- (or NULL), lim
SELECT r.id, r.reported_at, r.source, r.code, r.municipality, r.property_id, r.message,
       r.comment, r.state, u.email AS reported_by,
       ST_AsBinary(r.location) AS location_wkb
FROM flag_report r LEFT JOIN account.app_user u ON u.id = r.reported_by
WHERE (CAST(:municipality AS text) IS NULL OR r.municipality = :municipality)
  AND (CAST(:state AS text) IS NULL OR r.state = :state)
ORDER BY r.reported_at DESC, r.id DESC
LIMIT :lim;
