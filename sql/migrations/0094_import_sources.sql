-- Which import brought each row of buildings, roads, water and imported shorelines: the file's
-- name (a service's address). Importing a file of the same name again replaces what the first
-- import brought instead of adding a second copy (water areas twice hid their own derived
-- shorelines: each copy's boundary lay on the other). Rows stored before this have no source
-- and stay until replaced by hand.
ALTER TABLE building ADD COLUMN source text;
ALTER TABLE road_centreline ADD COLUMN source text;
ALTER TABLE water_area ADD COLUMN source text;
ALTER TABLE shoreline ADD COLUMN source text;
CREATE INDEX building_source ON building (source) WHERE source IS NOT NULL;
CREATE INDEX road_centreline_source ON road_centreline (source) WHERE source IS NOT NULL;
CREATE INDEX water_area_source ON water_area (source) WHERE source IS NOT NULL;
CREATE INDEX shoreline_source ON shoreline (source) WHERE source IS NOT NULL;
CREATE INDEX plan_area_source ON plan_area (source, kind);
