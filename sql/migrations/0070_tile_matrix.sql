-- Vector tiles in a second tile matrix set (issue 15): the ETRS-TM35FIN grid of JHS 180 and the
-- NLS WMTS (EPSG:3067, origin -548576, 8388608, 8192 m a pixel at level 0, 256-pixel tiles), so
-- that the layers line up with a background map in EPSG:3067. WebMercatorQuad stays the default.

-- A map tile's envelope in its own CRS (EPSG:3857 or EPSG:3067) and, in EPSG:3067, the tile
-- itself and with its margin. tms: 'WebMercatorQuad' or 'ETRS-TM35FIN'.
CREATE FUNCTION tile_bounds(z int, x int, y int, margin float8, tms text,
                            OUT env geometry, OUT inside geometry, OUT around geometry)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT b.env, ST_Transform(b.env, 3067), ST_Transform(b.around, 3067)
    FROM (
        SELECT ST_TileEnvelope(z, x, y) AS env, ST_TileEnvelope(z, x, y, margin => margin) AS around
        WHERE tms = 'WebMercatorQuad'
        UNION ALL
        SELECT ST_TileEnvelope(z, x, y, bounds => g.b), ST_TileEnvelope(z, x, y, bounds => g.b, margin => margin)
        FROM (SELECT ST_MakeEnvelope(-548576, 6291456, 1548576, 8388608, 3067) AS b) g
        WHERE tms = 'ETRS-TM35FIN'
    ) b
$$;

DROP FUNCTION tile_bounds(int, int, int, float8);

-- As in 0031, but into the tile's own CRS (the envelope's): ST_Transform to the same SRID is a
-- no-op, so a tile in EPSG:3067 costs no transformation at all.
CREATE OR REPLACE FUNCTION tile_geom(g geometry, env geometry, inside geometry, around geometry, tol float8)
RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN g @ inside THEN ST_SnapToGrid(ST_Affine(
            ST_Transform(ST_ForcePolygonCCW(g), ST_SRID(env)),
            4096.0 / (ST_XMax(env) - ST_XMin(env)), 0, 0, -4096.0 / (ST_YMax(env) - ST_YMin(env)),
            -ST_XMin(env) * 4096.0 / (ST_XMax(env) - ST_XMin(env)),
            ST_YMax(env) * 4096.0 / (ST_YMax(env) - ST_YMin(env))), 1.0)
        ELSE ST_AsMVTGeom(ST_Transform(ST_Simplify(ST_ClipByBox2D(g, around), tol, true), ST_SRID(env)),
                          env, 4096, 64, true)
    END
$$;
