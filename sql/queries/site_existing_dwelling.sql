-- Whether a dwelling of the building register stands on a site (its point on surface inside):
-- statutory exceptions cover outbuildings of an existing dwelling (MRL/AKL 72 § 3 mom).
-- Parameters: site (WKB 3067)
WITH s AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT EXISTS (
    SELECT 1 FROM building b, s
    WHERE b.geom && s.g AND b.use = 'dwelling' AND ST_Intersects(ST_PointOnSurface(b.geom), s.g)
) AS found;
