-- Plans and zones for site analysis (domain.md sections 0, 2, 3).
CREATE TABLE plan_area (
    id               bigserial PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('detailed-plan', 'building-area', 'master-plan',
                                                   'shore-plan', 'planning-need', 'shore-area')),
    municipality     text,
    name             text,
    plan_code        text,           -- the plan's identifier in the municipality's register
    use_class        text,           -- e.g. AO, AP, RA for building areas
    building_right_m2 double precision,
    efficiency       double precision,   -- e (floor m2 per site m2)
    max_storeys      integer,
    legally_binding  boolean NOT NULL DEFAULT true,
    allows_permits   boolean NOT NULL DEFAULT false, -- master plan usable directly for permits (AKL 44 §)
    source           text,
    geom             geometry(Polygon, 3067) NOT NULL
);
CREATE INDEX plan_area_geom_gist ON plan_area USING gist (geom);
CREATE INDEX plan_area_kind ON plan_area (kind);

-- The default-width shore zone, kept for the map; checks measure the distance
-- to the shoreline with each municipality's own width.
CREATE TABLE shore_zone (
    id     bigserial PRIMARY KEY,
    width_m double precision NOT NULL,
    geom   geometry(Polygon, 3067) NOT NULL
);
CREATE INDEX shore_zone_geom_gist ON shore_zone USING gist (geom);
