-- Derived tables rebuilt only inside an imported area (issue 12), and the opposite
-- neighbours of every unit computed once at import instead of at each request.

-- Crossing areas remember their source, so that an import rebuilds only the pieces of the
-- sources inside its box; a source that goes takes its pieces with it.
ALTER TABLE crossing_area
    ADD COLUMN road_area_id bigint REFERENCES road_area (id) ON DELETE CASCADE,
    ADD COLUMN water_area_id bigint REFERENCES water_area (id) ON DELETE CASCADE;
DELETE FROM crossing_area ca
WHERE ca.property_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM property_unit u WHERE u.property_id = ca.property_id);
ALTER TABLE crossing_area
    ADD CONSTRAINT crossing_area_property_id_fkey FOREIGN KEY (property_id)
    REFERENCES property_unit (property_id) ON DELETE CASCADE;
CREATE INDEX crossing_area_property_id ON crossing_area (property_id);
CREATE INDEX crossing_area_road_area_id ON crossing_area (road_area_id);
CREATE INDEX crossing_area_water_area_id ON crossing_area (water_area_id);
-- Pieces made before this migration do not know their road or water area: make them again.
DELETE FROM crossing_area WHERE property_id IS NULL;
INSERT INTO crossing_area (kind, name, state_road, road_area_id, geom)
SELECT 'road', name, state_road, id, ST_Subdivide(geom, 64) FROM road_area;
INSERT INTO crossing_area (kind, name, water_area_id, geom)
SELECT 'water', name, id, ST_Subdivide(geom, 64) FROM water_area;

-- The shore zone is kept in 1 km cells: an import rebuilds the cells near its shorelines.
ALTER TABLE shore_zone ADD COLUMN cell bigint;
CREATE INDEX shore_zone_cell ON shore_zone (cell);

-- Opposite neighbours of each unit (geo/opposite.py), built in bulk at import for the
-- imported area and everything within reach of it. One row per unit that has any: the
-- neighbours, the kind of area crossed (0 road, 1 park, 2 water) and each sight line
-- (x1, y1, x2, y2 in EPSG:3067, four numbers per neighbour).
CREATE TABLE opposite_relation (
    property_id text PRIMARY KEY REFERENCES property_unit ON DELETE CASCADE,
    neighbours  text[] NOT NULL,
    across      smallint[] NOT NULL,
    lines       float8[] NOT NULL
);

-- With which rules each municipality's relations were built: the service answers from the
-- table only when the rules in force are the same, and computes live otherwise.
CREATE TABLE relation_build (
    municipality text PRIMARY KEY,
    rules_key    text NOT NULL,
    built_at     timestamptz NOT NULL DEFAULT now()
);
