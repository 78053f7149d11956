-- Data versions of the map layers: every write to a layer's tables bumps its version (in the
-- writing transaction, so a version is never seen before its data). Vector tile URLs carry
-- the version: a re-import is seen at once and unchanged tiles stay cached.
CREATE TABLE tile_version (
    layer   text PRIMARY KEY,
    version bigint NOT NULL DEFAULT 1
);
INSERT INTO tile_version (layer)
VALUES ('parcels'), ('buildings'), ('plans'), ('water'), ('excavations');

CREATE FUNCTION bump_tile_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tile_version SET version = version + 1 WHERE layer = TG_ARGV[0];
    RETURN NULL;
END
$$;

CREATE TRIGGER property_unit_tiles AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON property_unit
    FOR EACH STATEMENT EXECUTE FUNCTION bump_tile_version('parcels');
CREATE TRIGGER building_tiles AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON building
    FOR EACH STATEMENT EXECUTE FUNCTION bump_tile_version('buildings');
CREATE TRIGGER plan_area_tiles AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plan_area
    FOR EACH STATEMENT EXECUTE FUNCTION bump_tile_version('plans');
CREATE TRIGGER water_area_tiles AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON water_area
    FOR EACH STATEMENT EXECUTE FUNCTION bump_tile_version('water');
CREATE TRIGGER shore_zone_tiles AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shore_zone
    FOR EACH STATEMENT EXECUTE FUNCTION bump_tile_version('water');
CREATE TRIGGER excavation_area_tiles AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON excavation_area
    FOR EACH STATEMENT EXECUTE FUNCTION bump_tile_version('excavations');
CREATE TRIGGER excavation_permit_tiles AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON excavation_permit
    FOR EACH STATEMENT EXECUTE FUNCTION bump_tile_version('excavations');

-- A geometry (EPSG:3067) in a map tile's coordinates (4096 units, y down), for ST_AsMVT.
-- A feature inside the tile goes by a plain affine transform and grid snap (exterior rings
-- clockwise in tile space, as the spec wants); one crossing the tile's edge is clipped to the
-- tile and its 64-unit margin, simplified for the zoom and made valid by ST_AsMVTGeom (which
-- costs about ten times as much, so it is kept for the features that need it).
-- env: the tile's EPSG:3857 envelope; inside/around: the tile, and the tile with its margin, in
-- EPSG:3067; tol: simplification in metres.
CREATE FUNCTION tile_geom(g geometry, env geometry, inside geometry, around geometry, tol float8)
RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN g @ inside THEN ST_SnapToGrid(ST_Affine(
            ST_Transform(ST_ForcePolygonCCW(g), 3857),
            4096.0 / (ST_XMax(env) - ST_XMin(env)), 0, 0, -4096.0 / (ST_YMax(env) - ST_YMin(env)),
            -ST_XMin(env) * 4096.0 / (ST_XMax(env) - ST_XMin(env)),
            ST_YMax(env) * 4096.0 / (ST_YMax(env) - ST_YMin(env))), 1.0)
        ELSE ST_AsMVTGeom(ST_Transform(ST_Simplify(ST_ClipByBox2D(g, around), tol, true), 3857),
                          env, 4096, 64, true)
    END
$$;

-- A map tile's envelope (EPSG:3857) and, in EPSG:3067, the tile itself and with its margin.
CREATE FUNCTION tile_bounds(z int, x int, y int, margin float8,
                            OUT env geometry, OUT inside geometry, OUT around geometry)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ST_TileEnvelope(z, x, y),
           ST_Transform(ST_TileEnvelope(z, x, y), 3067),
           ST_Transform(ST_TileEnvelope(z, x, y, margin => margin), 3067)
$$;
