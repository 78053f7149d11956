-- What OGC API - Features (/ogc) may show: read-only views of the public columns only
-- (issue 15). The library serving /ogc is pointed at this schema and nothing else, and
-- reads it as the role rajapiste_ogc, which may read these views and nothing else: owners
-- (schema personal), accounts, the audit trail and dig-permit applicants stay out of
-- reach even if a collection were misconfigured.
-- Geometries are stored as they are (EPSG:3067); the provider orients rings for RFC 7946,
-- so that bbox filters keep using the tables' GiST indexes.
CREATE SCHEMA IF NOT EXISTS ogc;

-- A private unit's name is left out: the public register's unit names can be family names.
CREATE VIEW ogc.property_units AS
SELECT u.property_id, u.municipality, u.kind, u.public_type, u.block_code,
       CASE WHEN u.kind = 'public' THEN u.name END AS name,
       u.geom
FROM property_unit u
WHERE u.geom IS NOT NULL;

-- A left join on the unit's key (every parcel has its unit): the planner drops it when no unit
-- column is asked for, as in the count of every page.
CREATE VIEW ogc.parcels AS
SELECT p.id, p.property_id, u.municipality, u.kind, u.public_type,
       CASE WHEN u.kind = 'public' THEN u.name END AS name,
       p.geom
FROM parcel p
LEFT JOIN property_unit u ON u.property_id = p.property_id;

CREATE VIEW ogc.buildings AS
SELECT b.id, b.property_id, b.use, b.use_code, b.floors, b.floor_area_m2, b.height_m, b.geom
FROM building b;

CREATE VIEW ogc.roads AS
SELECT r.id, r.name_fi, r.name_sv, r.road_number, r.road_class, r.admin_class, r.state_road, r.geom
FROM road_centreline r;

CREATE VIEW ogc.road_areas AS
SELECT a.id, a.name, a.road_number, a.road_class, a.state_road, a.geom
FROM road_area a;

CREATE VIEW ogc.water_areas AS
SELECT w.id, w.name, w.kind, w.geom
FROM water_area w;

CREATE VIEW ogc.shorelines AS
SELECT s.id, s.kind, (s.water_area_id IS NOT NULL) AS from_water_area, s.geom
FROM shoreline s;

CREATE VIEW ogc.shore_zone AS
SELECT z.id, z.width_m, z.geom
FROM shore_zone z;

CREATE VIEW ogc.plan_areas AS
SELECT a.id, a.kind, a.municipality, a.name, a.plan_code, a.use_class, a.building_right_m2,
       a.efficiency, a.max_storeys, a.legally_binding, a.allows_permits, a.geom
FROM plan_area a;

-- Works as the public map shows them: drafts and withdrawn applications are no works; the
-- applicant, the description and who created the permit are not public.
CREATE VIEW ogc.excavation_areas AS
SELECT e.id, e.permit_id, p.municipality, p.kind, p.state, p.emergency, ph.n AS phase,
       lower(e.period) AS starts_on, upper(e.period) - 1 AS ends_on, ph.on_carriageway, e.geom
FROM excavation_area e
JOIN excavation_permit p ON p.id = e.permit_id
JOIN excavation_phase ph ON ph.id = e.phase_id
WHERE p.state NOT IN ('draft', 'withdrawn');

-- The reader role. Roles are cluster-wide: another database of the cluster may have made it.
-- A migrating user who may not create roles (a managed PostGIS) gets the views readable by
-- every role instead, and /ogc then reads them as the service's own role. (No percent signs
-- here: the migration runner's driver would take them for placeholders.)
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rajapiste_ogc') THEN
        CREATE ROLE rajapiste_ogc NOLOGIN;
    END IF;
    EXECUTE 'GRANT rajapiste_ogc TO ' || quote_ident(current_user);
    GRANT USAGE ON SCHEMA ogc TO rajapiste_ogc;
    GRANT SELECT ON ALL TABLES IN SCHEMA ogc TO rajapiste_ogc;
    ALTER DEFAULT PRIVILEGES IN SCHEMA ogc GRANT SELECT ON TABLES TO rajapiste_ogc;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE USING MESSAGE = 'the ogc views are readable by every role: ' || SQLERRM;
    GRANT USAGE ON SCHEMA ogc TO PUBLIC;
    GRANT SELECT ON ALL TABLES IN SCHEMA ogc TO PUBLIC;
    ALTER DEFAULT PRIVILEGES IN SCHEMA ogc GRANT SELECT ON TABLES TO PUBLIC;
END
$$;
