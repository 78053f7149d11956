-- Where the map writes a property unit's id: its centroid when that lies inside the unit, else a
-- point on its surface (the centroid of a bent lot or of a unit in several parts can lie on
-- another unit, and a click on the id then picked that one). The parcels layer's `label_at` and
-- the labels layer share it. EPSG:3067 in, EPSG:3067 out.
CREATE OR REPLACE FUNCTION unit_label_point(g geometry) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN ST_Contains(g, c) THEN c ELSE ST_PointOnSurface(g) END
    FROM (SELECT ST_Centroid(g) AS c) centre
$$;
