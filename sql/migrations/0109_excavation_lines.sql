-- A dig drawn as a line keeps its line and its phase's width beside the area they cover, so
-- that an edit gets the line back (not the area only). NULL: drawn as an area (and every dig
-- stored before this: their lines are not known).
ALTER TABLE excavation_phase ADD COLUMN width_m double precision CHECK (width_m > 0);
ALTER TABLE excavation_area ADD COLUMN drawn geometry(Geometry, 3067)
    CHECK (drawn IS NULL OR GeometryType(drawn) IN ('LINESTRING', 'MULTILINESTRING'));
