"""Honest results (issue 13): `coverage` per kind of data, no flag without data, outside the data."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import shapely
from shapely.geometry import box, mapping
from sqlalchemy import text

from api.services import coverage
from geo.crs import from_storage, to_storage
from tests.conftest import fi_today, needs_nls, write_nightly_imports

KINDS = ("parcels", "plans", "shore", "roads", "buildings")
PLAN_FLAGS = {
    "planning_need_area",
    "site_area_below_minimum",
    "outside_building_area",
    "building_right_exceeded",
    "shore_zone_without_shore_plan",
}


def _one(engine: Any, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).one()


def _layers_at(engine: Any, site: Any) -> dict[str, bool]:
    """Independently: which layers have data at / near the site (plain SQL counts)."""
    wkb = shapely.to_wkb(site)
    sql = """
      WITH s AS (SELECT ST_GeomFromWKB(:g, 3067) AS g)
      SELECT (SELECT coalesce(sum(ST_Area(ST_Intersection(p.geom, s.g))), 0) FROM parcel p, s
                WHERE ST_Intersects(p.geom, s.g)) / ST_Area(s.g),
             (SELECT count(*) FROM plan_area p, s WHERE ST_Distance(p.geom, s.g) <= 500),
             (SELECT count(*) FROM shoreline x, s WHERE ST_Distance(x.geom, s.g) <= 200)
               + (SELECT count(*) FROM water_area x, s WHERE ST_Distance(x.geom, s.g) <= 200),
             (SELECT count(*) FROM road_centreline x, s WHERE ST_Distance(x.geom, s.g) <= 500),
             (SELECT count(*) FROM building x, s WHERE ST_Distance(x.geom, s.g) <= 250)
      FROM s"""
    share, plans, shore, roads, buildings = _one(engine, sql, g=wkb)
    return {
        "parcels": share >= 0.99,
        "plans": plans > 0,
        "shore": shore > 0,
        "roads": roads > 0,
        "buildings": buildings > 0,
    }


def _analyse(client: Any, site: Any, buildings: list[Any] | None = None, **q: Any) -> Any:
    body = {
        "site": mapping(from_storage(site, 4326)),
        "buildings": [
            {"footprint": mapping(from_storage(b, 4326)), "use": "dwelling", "height_m": 6}
            for b in buildings or []
        ],
    }
    return client.post("/api/v1/analysis/site", json=body, params=q)


def _open_water(engine: Any, where: str) -> tuple[float, float]:
    """A point of a water area at least 50 m from every parcel (found with plain SQL)."""
    x, y = _one(
        engine,
        """SELECT ST_X(p), ST_Y(p) FROM (
             SELECT (ST_Dump(ST_GeneratePoints(w.geom, 200, 1))).geom AS p
             FROM water_area w WHERE """
        + where
        + """) q
           WHERE NOT EXISTS (SELECT 1 FROM parcel x WHERE ST_DWithin(x.geom, q.p, 50))
           LIMIT 1""",
    )
    return float(x), float(y)


def _unit(engine: Any, where: str) -> Any:
    wkb = _one(
        engine,
        "SELECT ST_AsBinary(u.geom) FROM property_unit u WHERE u.kind = 'private' AND "
        + where
        + " ORDER BY u.property_id LIMIT 1",
    )[0]
    return shapely.from_wkb(bytes(wkb))


@needs_nls
def test_helsinki_site_without_plan_data_is_not_given_plan_flags(client: Any, nls: Any) -> None:
    # A small Helsinki lot: under the rules for land outside detailed plans it would be below
    # the minimum site area, but no plan data is loaded there, so that is not known.
    site = _unit(
        nls,
        "u.municipality = '091' AND ST_Area(u.geom) BETWEEN 400 AND 900"
        " AND ST_NumGeometries(u.geom) = 1",
    )
    expected = _layers_at(nls, site)
    assert not expected["plans"] and expected["parcels"]
    c = site.centroid
    house = box(c.x - 3, c.y - 3, c.x + 3, c.y + 3)
    r = _analyse(client, site, [house])
    assert r.status_code == 200, r.text
    doc = r.json()
    assert {k: doc["coverage"][k]["checked"] for k in KINDS} == expected
    assert doc["coverage"]["plans"]["reason"] == "no plan data here"
    assert (
        doc["coverage"]["parcels"]["source"]
        and "parcels.gpkg" in doc["coverage"]["parcels"]["source"]
    )
    assert not PLAN_FLAGS & {f["code"] for f in doc["flags"]}
    plans = next(n for n in doc["not_checked"] if n["data"] == "plans")
    assert plans["message"] == "not checked: no plan data here"
    assert "site_area_below_minimum" in plans["checks"] and doc["all_checked"] is False
    fi = _analyse(client, site, [house], lang="fi").json()
    assert fi["coverage"]["plans"]["reason"] == "täällä ei ole kaava-aineistoa"
    assert any(n["message"].startswith("ei tarkistettu:") for n in fi["not_checked"])


@needs_nls
def test_site_in_the_sea_is_outside_the_data(client: Any, nls: Any) -> None:
    # 1 km south of the southernmost Helsinki parcel: the Gulf of Finland.
    x, y = _one(
        nls,
        "SELECT ST_X(ST_Centroid(geom)), ST_YMin(geom) - 1000 FROM parcel"
        " WHERE property_id LIKE '091%' ORDER BY ST_YMin(geom) LIMIT 1",
    )
    site = box(x - 10, y - 10, x + 10, y + 10)
    assert not _layers_at(nls, site)["parcels"]
    r = _analyse(client, site)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    doc = r.json()
    assert doc["code"] == "outside_data" and "outside the loaded data" in doc["detail"]
    assert doc["coverage"]["parcels"]["checked"] is False
    sv = _analyse(client, site, lang="sv").json()
    assert "utanför de inlästa data" in sv["detail"]
    drawn = {"site": mapping(from_storage(site, 4326))}
    r = client.post("/api/v1/neighbours", json=drawn, headers={"Accept-Language": "fi"})
    assert r.status_code == 422 and r.json()["code"] == "outside_data"
    assert "ladatun aineiston ulkopuolella" in r.json()["detail"]


def test_demo_site_with_every_layer_checked(client: Any, demo: Any, engine: Any) -> None:
    # The generated town loads plans, water, roads and buildings: a lot near its lake.
    site = _unit(
        engine,
        "u.municipality = '244' AND ST_NumGeometries(u.geom) = 1"
        " AND EXISTS (SELECT 1 FROM shoreline s WHERE ST_DWithin(s.geom, u.geom, 150))"
        " AND EXISTS (SELECT 1 FROM plan_area p WHERE ST_DWithin(p.geom, u.geom, 100))",
    )
    expected = _layers_at(engine, site)
    assert all(expected.values()), expected
    doc = _analyse(client, site).json()
    assert {k: v["checked"] for k, v in doc["coverage"].items()} == expected
    assert doc["not_checked"] == [] and doc["all_checked"] is True


def test_dig_check_reports_coverage(client: Any, dig: Any, engine: Any) -> None:
    start = fi_today() + dt.timedelta(days=30)
    body = {
        "municipality": "244",
        "kind": "excavation",
        "phases": [{"areas": [dig], "start": start.isoformat(), "end": start.isoformat()}],
    }
    doc = client.post("/api/v1/excavations/check", json=body).json()
    site = to_storage(shapely.geometry.shape(dig), 4326)
    assert set(doc["coverage"]) == set(KINDS) and doc["outside_data"] is False
    expected = _layers_at(engine, site)
    assert {k: v["checked"] for k, v in doc["coverage"].items()} == expected
    x, y = _open_water(engine, "ST_XMin(w.geom) > 400000")  # the generated town's lake
    lake = box(x - 2, y - 2, x + 2, y + 2)
    assert not _layers_at(engine, lake)["parcels"]
    body["phases"][0]["areas"] = [mapping(from_storage(lake, 4326))]
    out = client.post("/api/v1/excavations/check", json=body).json()
    assert out["outside_data"] is True and out["grantable"] is False
    assert "outside_municipality" in {f["code"] for f in out["findings"]}


@needs_nls
def test_plan_data_imported_at_a_helsinki_site_is_checked_with_its_source(
    client: Any, nls: Any, tmp_path: Any
) -> None:
    import json

    from api import ingest

    site = _unit(nls, "u.municipality = '091' AND ST_NumGeometries(u.geom) = 1")
    plan = site.buffer(30)  # a detailed plan over the lot (an areas import, as a user does)
    master = site.buffer(60)  # a master plan over it too, from a file loaded before
    x0, y0, x1, y1 = site.bounds
    shore = box(x1 + 200, y0, x1 + 260, y1)  # a third file's plan, 200 m away
    assert 0 < shore.distance(site) < 500  # all three lie within the search distance
    crs = {"type": "name", "properties": {"name": "EPSG:3067"}}
    try:
        for name, area, kind in (
            ("yleiskaava.geojson", master, "master-plan"),
            ("asemakaava.geojson", plan, "detailed-plan"),
            ("rantakaava.geojson", shore, "shore-plan"),
        ):
            feature = {
                "type": "Feature",
                "geometry": mapping(area),
                "properties": {"name": "test plan"},
            }
            doc = {"type": "FeatureCollection", "crs": crs, "features": [feature]}
            (tmp_path / name).write_text(json.dumps(doc))
            ingest.import_areas(nls, tmp_path / name, kind=kind)
        doc = _analyse(client, site).json()
        plans = doc["coverage"]["plans"]
        # the source is the nearest plan's, with the day it was loaded: of the two over the lot
        # (both at distance 0), the first by name
        assert plans["checked"] is True
        assert plans["source"] == f"asemakaava.geojson ({fi_today().isoformat()})"
        assert "detailed-plan" in {p["kind"] for p in doc["plans"]}
        assert "plans" not in {n["data"] for n in doc["not_checked"]}
    finally:
        with nls.begin() as conn:
            conn.execute(text("DELETE FROM plan_area WHERE name = 'test plan'"))
            conn.execute(
                text("DELETE FROM import_log WHERE source ~ '(asema|yleis|ranta)kaava.geojson$'")
            )


@needs_nls
def test_boundary_without_plan_data_takes_the_stricter_rule_and_flags_only_the_certain(
    client: Any, nls: Any
) -> None:
    # No plan data in the Helsinki sample: inside a plan a 12 m building keeps h/2 = 6 m,
    # outside one RakL asks 4 m. 5 m is then neither all-clear nor a consent flag; 2 m fails both.
    site = _unit(
        nls,
        "u.municipality = '091' AND ST_NumGeometries(u.geom) = 1 AND ST_Area(u.geom) > 1500"
        " AND ST_Area(ST_Buffer(u.geom, -5)) > 100",
    )

    def inset(d: float) -> Any:
        inner = site.buffer(-d, join_style="mitre")
        return max(getattr(inner, "geoms", [inner]), key=lambda g: g.area)

    for d, height, ok, uncertain, flagged in (
        (5.0, 12.0, False, True, False),
        (5.0, 6.0, True, None, False),
        (2.0, 12.0, False, None, True),
    ):
        house = inset(d)
        assert house.distance(site.boundary) == pytest.approx(d, abs=0.01)
        body = {
            "site": mapping(from_storage(site, 4326)),
            "date": "2026-03-01",
            "buildings": [
                {
                    "footprint": mapping(from_storage(house, 4326)),
                    "use": "dwelling",
                    "height_m": height,
                    "floor_area_m2": 150,
                }
            ],
        }
        doc = client.post("/api/v1/analysis/site", json=body).json()
        row = next(r for r in doc["setbacks"] if r["rule"] == "boundary")
        assert row["required_m"] == max(4.0, height / 2), row
        assert row["ok"] is ok and row.get("uncertain") is uncertain, row
        codes = {f["code"] for f in doc["flags"]}
        assert ("neighbour_consent_needed" in codes) is flagged, (d, height, codes)


@needs_nls
def test_sources_are_the_last_imports_however_long_the_import_log(nls: Any) -> None:
    """Three years of nightly imports of six layers in the log (6 571 rows, rolled back).

    Each coverage entry names the last import of its kind, or the last load of the site's own
    file, with its day in Finland (tests/sql/test_tile_plans.py checks that the query reads
    them from the log's indexes, not the whole log, which only grows).
    """
    site = _unit(
        nls,
        "u.municipality = '091' AND ST_Area(u.geom) BETWEEN 400 AND 900"
        " AND ST_NumGeometries(u.geom) = 1",
    )
    wkb = shapely.to_wkb(site)
    with nls.connect() as conn:
        own = conn.execute(
            text(
                "SELECT DISTINCT u.source FROM parcel p JOIN property_unit u USING (property_id)"
                " WHERE ST_Intersects(p.geom, ST_GeomFromWKB(:g, 3067))"
            ),
            {"g": wkb},
        ).scalars()
        (own_file,) = list(own)
        rows = write_nightly_imports(conn, own_file)
        cov, _ = coverage.at_site(conn, site, 200.0, "en")

        def day(t: dt.datetime) -> dt.date:
            return t.astimezone(ZoneInfo("Europe/Helsinki")).date()

        def last(kind: str) -> str:  # independently, from the rows written
            k, s, t = max((r for r in rows if r[0].split(":")[0] == kind), key=lambda r: r[2])
            return f"{PurePath(s).name} ({day(t)})"  # the file's name, never the server's path

        name = PurePath(own_file).name
        assert cov["parcels"]["source"] == f"{name} ({day(rows[-1][2])})"
        assert cov["plans"]["source"] == last("areas")  # no plan area of its own near the site
        assert cov["roads"]["source"] == last("roads")
        assert cov["buildings"]["source"] == last("buildings")
        assert cov["shore"]["source"] == last("water")

        conn.rollback()
