-- Water polygons imported without shoreline lines give shorelines too: their boundaries,
-- where they border land (sql/queries/derive_shorelines.sql). A derived shoreline row points
-- at its water area and goes with it.
ALTER TABLE water_area ADD COLUMN shore_from_boundary boolean NOT NULL DEFAULT false;
ALTER TABLE shoreline ADD COLUMN water_area_id bigint REFERENCES water_area (id) ON DELETE CASCADE;
CREATE INDEX shoreline_water_area_id ON shoreline (water_area_id);
