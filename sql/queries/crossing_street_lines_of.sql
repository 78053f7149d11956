-- The road centrelines whose box meets one of a few parcels' boxes (one index probe each),
-- with their Finnish name and whether they are state roads: for a small rebuild, whose street
-- units can reach across a city. Parameter: ids (parcel.id, bigint[])
SELECT DISTINCT ON (r.id) ST_AsBinary(r.geom) AS wkb, r.name_fi, r.state_road
FROM parcel p
JOIN road_centreline r ON r.geom && p.geom
WHERE p.id = ANY (CAST(:ids AS bigint[]))
ORDER BY r.id;
