"""Water polygons make shorelines (issue 9): a site 20 m from an imported sea polygon is in the
shore zone; the polygons' shared edges are no shore; a file with its own lines adds none.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import LineString, box, mapping
from sqlalchemy import text

from api import ingest
from api.storage.sqlfiles import query
from tests.api.test_analysis import _post

X0, Y0 = 610_000.0, 7_400_000.0  # an empty part of Finland, away from the other test data
SEA = box(X0, Y0, X0 + 1000, Y0 + 1000)
BAY = box(X0 + 1000, Y0, X0 + 1400, Y0 + 300)  # a second polygon sharing part of SEA's east edge


def _geojson(path: Path, geoms: list[Any]) -> Path:
    feats = [{"type": "Feature", "geometry": mapping(g), "properties": {}} for g in geoms]
    crs = {"type": "name", "properties": {"name": "EPSG:3067"}}
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": crs, "features": feats}))
    return path


def _derived(engine: Any, where: Any) -> list[Any]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT ST_AsBinary(s.geom) FROM shoreline s JOIN water_area w"
                " ON w.id = s.water_area_id WHERE w.geom && ST_MakeEnvelope(:a, :b, :c, :d, 3067)"
            ),
            dict(zip("abcd", where.bounds, strict=True)),
        ).all()
    return [shapely.from_wkb(bytes(r[0])) for r in rows]


@pytest.fixture(scope="module")
def sea(engine: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("water")
    ingest.import_water(engine, _geojson(folder / "test_sea.geojson", [SEA, BAY]))
    # Issue 13: a site is analysed only where parcel data lies, and the shore check needs plan
    # data too (a shore plan would lift the flag). A lot south of the sea, and a master plan
    # without legal effect over the strip (so no plan lifts the flag), make that data.
    lot = box(X0 + 300, Y0 - 300, X0 + 600, Y0)
    with engine.begin() as conn:
        for sql in (
            "INSERT INTO property_unit (property_id, municipality, kind, block_code, source, geom)"
            " VALUES ('28500100010001', '285', 'private', '0001', 'test',"
            " ST_Multi(ST_GeomFromWKB(:g, 3067)))",
            "INSERT INTO parcel (property_id, geom)"
            " VALUES ('28500100010001', ST_GeomFromWKB(:g, 3067))",
            "INSERT INTO plan_area (kind, municipality, legally_binding, source, geom)"
            " VALUES ('master-plan', '285', false, 'test', ST_GeomFromWKB(:g, 3067))",
        ):
            conn.execute(text(sql), {"g": shapely.to_wkb(lot)})
    yield engine
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM plan_area WHERE source = 'test' AND municipality = '285'"))
        conn.execute(text("DELETE FROM property_unit WHERE property_id = '28500100010001'"))
        conn.execute(
            text("DELETE FROM water_area WHERE geom && ST_MakeEnvelope(:a, :b, :c, :d, 3067)"),
            dict(zip("abcd", (X0 - 10, Y0 - 10, X0 + 5000, Y0 + 2000), strict=True)),
        )
        # crossing areas go with their water areas; the shore zone is rebuilt in the box
        where = dict(
            zip(
                ("xmin", "ymin", "xmax", "ymax"),
                (X0 - 10, Y0 - 10, X0 + 5000, Y0 + 2000),
                strict=True,
            )
        )
        conn.execute(query("refresh_shore_zone"), where)


def test_polygon_boundaries_become_shorelines(sea: Any) -> None:
    lines = _derived(sea, box(X0 - 1, Y0 - 1, X0 + 1401, Y0 + 1001))
    merged = shapely.union_all(lines)
    outline = shapely.union_all([SEA, BAY]).boundary  # the shore: the outline of all the water
    assert merged.length == pytest.approx(outline.length, abs=1.0)
    shared = LineString([(X0 + 1000, Y0 + 10), (X0 + 1000, Y0 + 290)])
    assert merged.intersection(shared.buffer(0.1)).length < 1.0  # water beside water: no shore


def test_site_twenty_metres_from_the_sea_is_in_the_shore_zone(client: Any, sea: Any) -> None:
    site = box(X0 + 400, Y0 - 70, X0 + 440, Y0 - 20)  # 20 m south of the sea polygon
    house = box(X0 + 410, Y0 - 60, X0 + 420, Y0 - 50)  # 50 m from the shore
    body = {
        "site": mapping(site),
        "crs": "EPSG:3067",
        "out_crs": "EPSG:3067",
        "municipality": "285",
        "date": "2026-03-01",
        "buildings": [{"footprint": mapping(house), "use": "dwelling", "floor_area_m2": 100}],
    }
    doc = _post(client, body)
    flag = next(f for f in doc["flags"] if f["code"] == "shore_zone_without_shore_plan")
    assert flag["shore_distance_m"] == pytest.approx(20.0, abs=0.05)
    row = next(r for r in doc["setbacks"] if r["rule"] == "shoreline")
    assert row["measured_m"] == pytest.approx(house.distance(SEA), abs=0.01)
    assert row["numbers_from"].startswith("national default")
    far = box(X0 + 400, Y0 - 200, X0 + 440, Y0 - 150)  # 150 m away: outside the 100 m zone
    doc = _post(client, {**body, "site": mapping(far), "buildings": []})
    assert "shore_zone_without_shore_plan" not in {f["code"] for f in doc["flags"]}


def test_the_map_shore_zone_is_the_shorelines_grown_by_100_m_in_every_cell(
    engine: Any, tmp_path: Path, sea: Any
) -> None:
    """The map's shore zone, built cell by cell (1 km) from the shorelines cut to each cell,
    is shapely's 100 m buffer of the shorelines, across the cells' edges too.

    A pond whose shores run aslant across the cells' edges and pass some of them within
    100 m; the zone's arcs are chords (steps of 22.5°, rounded, so one chord may span 33.75°),
    so it lies inside the buffer and covers the shorelines grown by 94.5 m (a chord comes within
    4.3 m of 100 m, GEOS's simplification of the input within 1 m more).
    """
    pond = shapely.Polygon(
        [
            (X0 + 2070, Y0 + 1130),
            (X0 + 2930, Y0 + 1050),
            (X0 + 2960, Y0 + 1940),
            (X0 + 2500, Y0 + 1960),
        ]
    )
    ingest.import_water(engine, _geojson(tmp_path / "pond.geojson", [pond]))
    lines = shapely.union_all(_derived(engine, pond))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT ST_AsBinary(geom), cell FROM shore_zone"
                " WHERE geom && ST_MakeEnvelope(:a, :b, :c, :d, 3067)"
            ),
            dict(zip("abcd", pond.buffer(150).bounds, strict=True)),
        ).all()
    zone = shapely.union_all([shapely.from_wkb(bytes(r[0])) for r in rows])
    zone = zone.intersection(pond.buffer(150))  # not the sea's, 900 m off
    assert lines.length == pytest.approx(pond.length, abs=1.0)
    assert len({r[1] for r in rows}) >= 4  # the shore passes through several cells
    assert zone.difference(lines.buffer(100.01, quad_segs=32)).area < 1.0
    assert lines.buffer(94.5, quad_segs=32).difference(zone).area < 1.0
    assert zone.area == pytest.approx(lines.buffer(100.0, quad_segs=32).area, rel=0.005)


def test_a_file_with_its_own_shorelines_adds_no_derived_ones(
    engine: Any, tmp_path: Path, sea: Any
) -> None:
    lake = box(X0 + 3000, Y0, X0 + 3500, Y0 + 500)
    f = _geojson(tmp_path / "lake.geojson", [lake, LineString(lake.exterior.coords)])
    s = ingest.import_water(engine, f)
    assert s.committed
    assert _derived(engine, lake) == []
    assert len(_derived(engine, box(X0 - 1, Y0 - 1, X0 + 1401, Y0 + 1001))) > 0  # still there
