-- Whether a detailed plan covers more than a sliver of a site (the site plan is then 1:200).
-- Parameters: site (WKB 3067), min_share (share of the site below which an overlap is a sliver)
WITH s AS (SELECT ST_GeomFromWKB(:site, 3067) AS g)
SELECT EXISTS (
    SELECT 1 FROM plan_area p, s
    WHERE p.kind = 'detailed-plan' AND p.geom && s.g AND ST_Intersects(p.geom, s.g)
      AND ST_Area(ST_Intersection(p.geom, s.g)) > :min_share * ST_Area(s.g)
) AS inside;
