-- A dig or area-use application's site: the union of its dig areas. Parameters: i
UPDATE application
SET site = (SELECT ST_Multi(ST_CollectionExtract(ST_Union(e.geom), 3))
            FROM excavation_area e WHERE e.permit_id = :i)
WHERE id = :i;
