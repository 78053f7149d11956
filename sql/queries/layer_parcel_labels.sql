-- The units of the parcels layer (layer_parcels) as the points where the map writes their ids
-- (unit_label_point: inside the unit), with the id alone: the map draws the outlines from its
-- tiles, and a phone downloaded every outline of the view again only to place the ids. No
-- bbox per feature (a point's would repeat it), so the collection has none either (RFC 7946
-- 5.: optional).
-- Parameters: xmin, ymin, xmax, ymax (3067), tol (unused: points are not simplified), lim
SELECT json_build_object('type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_Transform(unit_label_point(geom), 4326), 7)::json,
    'properties', json_build_object('property_id', property_id))::text AS f
FROM property_unit
WHERE geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
LIMIT :lim;
