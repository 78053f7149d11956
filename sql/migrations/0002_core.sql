-- Core register: property units, their parcels, owners, buildings, roads, water.
-- Storage SRID 3067 (ETRS-TM35FIN, metres) is declared in every column type.

CREATE TABLE municipality (
    code        text PRIMARY KEY CHECK (code ~ '^\d{3}$'),
    name        text NOT NULL,
    name_sv     text,
    geom        geometry(MultiPolygon, 3067)
);
CREATE INDEX municipality_geom_gist ON municipality USING gist (geom);

-- A register unit (kiinteistö or yleinen alue). Its geometry is the union of
-- its parcels, kept for display and site analysis; neighbour queries use parcels.
CREATE TABLE property_unit (
    property_id  text PRIMARY KEY CHECK (property_id ~ '^\d{14}(M\d{4})?$'),
    municipality text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('private', 'public')),
    public_type  text,           -- street, square, park, water, ... for 99xx units
    block_code   text NOT NULL,
    name         text,
    source       text,
    geom         geometry(MultiPolygon, 3067)
);
CREATE INDEX property_unit_geom_gist ON property_unit USING gist (geom);
CREATE INDEX property_unit_municipality ON property_unit (municipality);

CREATE TABLE parcel (
    id           bigserial PRIMARY KEY,
    property_id  text NOT NULL REFERENCES property_unit ON DELETE CASCADE,
    source_id    text,
    geom         geometry(Polygon, 3067) NOT NULL
);
CREATE INDEX parcel_geom_gist ON parcel USING gist (geom);
CREATE INDEX parcel_property_id ON parcel (property_id);

-- Owners are personal data (domain.md N9): their own schema, so access can be
-- granted separately. No personal identity codes are ever stored.
CREATE TABLE personal.owner (
    id            bigserial PRIMARY KEY,
    property_id   text NOT NULL REFERENCES property_unit ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN
                  ('person', 'company', 'estate', 'state', 'municipality', 'association')),
    name          text NOT NULL,
    share         text,           -- e.g. '1/2'
    contact_name  text,           -- estate's contact person, company's signatory
    address       text,
    postal_code   text,
    city          text,
    email         text
);
CREATE INDEX owner_property_id ON personal.owner (property_id);

CREATE TABLE building (
    id             bigserial PRIMARY KEY,
    source_id      text,
    property_id    text,
    use            text,
    use_code       text,
    floors         integer,
    floor_area_m2  double precision,
    height_m       double precision,
    geom           geometry(Polygon, 3067) NOT NULL
);
CREATE INDEX building_geom_gist ON building USING gist (geom);

CREATE TABLE road_centreline (
    id           bigserial PRIMARY KEY,
    source_id    text,
    name_fi      text,
    name_sv      text,
    road_number  integer,
    road_class   text,           -- motorway, main, regional, connecting, street, private, path
    admin_class  text,           -- state, municipal, private
    state_road   boolean NOT NULL DEFAULT false,
    geom         geometry(LineString, 3067) NOT NULL
);
CREATE INDEX road_centreline_geom_gist ON road_centreline USING gist (geom);
CREATE INDEX road_centreline_name ON road_centreline (lower(name_fi));

-- Road areas that are not municipal street units (state road land).
CREATE TABLE road_area (
    id           bigserial PRIMARY KEY,
    name         text,
    road_number  integer,
    road_class   text,
    state_road   boolean NOT NULL DEFAULT false,
    geom         geometry(Polygon, 3067) NOT NULL
);
CREATE INDEX road_area_geom_gist ON road_area USING gist (geom);

CREATE TABLE water_area (
    id        bigserial PRIMARY KEY,
    source_id text,
    name      text,
    kind      text NOT NULL DEFAULT 'lake' CHECK (kind IN ('sea', 'lake', 'river', 'pond')),
    geom      geometry(Polygon, 3067) NOT NULL
);
CREATE INDEX water_area_geom_gist ON water_area USING gist (geom);

CREATE TABLE shoreline (
    id        bigserial PRIMARY KEY,
    source_id text,
    kind      text NOT NULL DEFAULT 'lake',
    geom      geometry(LineString, 3067) NOT NULL
);
CREATE INDEX shoreline_geom_gist ON shoreline USING gist (geom);

-- Areas one can be "opposite" across (road, water, park), subdivided so that a
-- connecting line is intersected with small pieces, not a whole sea.
-- Derived: rebuilt by sql/queries/refresh_crossing_area.sql after each import.
CREATE TABLE crossing_area (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('road', 'water', 'park')),
    property_id  text,
    name         text,
    state_road   boolean NOT NULL DEFAULT false,
    geom         geometry(Polygon, 3067) NOT NULL
);
CREATE INDEX crossing_area_geom_gist ON crossing_area USING gist (geom);

CREATE TABLE import_log (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL,
    source      text NOT NULL,
    read        integer NOT NULL,
    imported    integer NOT NULL,
    repaired    integer NOT NULL,
    rejected    integer NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now()
);
