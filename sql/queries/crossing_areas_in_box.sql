-- Crossing area pieces (road, park, water) meeting a box, with their source: the unit's
-- property id, or road_area:N / water_area:N. Parameters: xmin, ymin, xmax, ymax (EPSG:3067)
SELECT id, kind,
       COALESCE(property_id, 'road_area:' || road_area_id, 'water_area:' || water_area_id) AS source,
       ST_AsBinary(geom) AS wkb
FROM crossing_area
WHERE geom && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 3067)
ORDER BY id;
