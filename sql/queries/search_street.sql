-- Streets by name prefix (Finnish or Swedish), with their extent and centrelines (to highlight). Parameters: q, lim
SELECT name_fi AS name, name_sv, ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(ST_Envelope(ST_Collect(geom)), 4326)))::json AS bbox,
       ST_AsGeoJSON(ST_Transform(ST_Collect(geom), 4326), 7)::json AS geometry
FROM road_centreline
WHERE lower(name_fi) LIKE lower(:q) || '%' OR lower(name_sv) LIKE lower(:q) || '%'
GROUP BY name_fi, name_sv
ORDER BY name_fi
LIMIT :lim;
