"""Importing a file of the same name again replaces what the first import brought.

Water, buildings, roads and plan areas were appended: a second import of the same lake file
stored every lake twice, and each copy's boundary lay on the other's, so the lake's derived
shorelines (and with them the shore zone) disappeared.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import LineString, box
from sqlalchemy import text

from api import ingest
from tests.geofiles import geojson_file

X0, Y0 = 316_000.0, 6_905_000.0  # an empty corner of Finland, away from the other data
CORNER = box(X0 - 500, Y0 - 500, X0 + 1500, Y0 + 1500)


def _geojson(path: Path, geoms: list[Any], props: dict[str, Any] | None = None) -> Path:
    return geojson_file(path, [(g, props or {}) for g in geoms])


def _count(engine: Any, sql: str, **params: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


@pytest.fixture()
def corner(engine: Any) -> Iterator[None]:
    yield
    where = "ST_Intersects(geom, ST_GeomFromText(:w, 3067))"
    with engine.begin() as conn:
        for table in ("shoreline", "water_area", "shore_zone", "building", "road_centreline"):
            conn.execute(text(f"DELETE FROM {table} WHERE {where}"), {"w": CORNER.wkt})


def test_a_lake_file_imported_again_keeps_one_lake_and_its_shore(
    engine: Any, tmp_path: Path, corner: None
) -> None:
    lake = box(X0, Y0, X0 + 400, Y0 + 300)
    path = _geojson(tmp_path / "jarvet.geojson", [lake])
    where = {"w": lake.buffer(1).wkt}
    areas = "SELECT count(*) FROM water_area WHERE ST_Within(geom, ST_GeomFromText(:w, 3067))"
    # the shoreline derived from the lake's boundary: its length, against shapely's
    shore = (
        "SELECT COALESCE(sum(ST_Length(geom)), 0) FROM shoreline"
        " WHERE ST_Within(geom, ST_GeomFromText(:w, 3067))"
    )
    zone = "SELECT count(*) FROM shore_zone WHERE ST_Intersects(geom, ST_GeomFromText(:w, 3067))"
    first = ingest.import_water(engine, path)
    assert first.replaced == 0 and _count(engine, areas, **where) == 1
    length = lake.boundary.length
    assert _count(engine, shore, **where) == pytest.approx(length, abs=1)
    assert _count(engine, zone, **where) > 0
    again = ingest.import_water(engine, path)
    assert again.replaced >= 1 and _count(engine, areas, **where) == 1
    assert _count(engine, shore, **where) == pytest.approx(length, abs=1)
    assert _count(engine, zone, **where) > 0
    # a new edition of the file: the lake shrank; the old outline is gone with its shore
    smaller = box(X0, Y0, X0 + 200, Y0 + 300)
    ingest.import_water(engine, _geojson(path, [smaller]))
    assert _count(engine, areas, **where) == 1
    assert _count(engine, shore, **where) == pytest.approx(smaller.boundary.length, abs=1)


def test_buildings_and_roads_imported_again_are_not_doubled(
    engine: Any, tmp_path: Path, corner: None
) -> None:
    houses = [box(X0 + 1000 + 30 * i, Y0 + 1000, X0 + 1010 + 30 * i, Y0 + 1010) for i in range(3)]
    road = LineString([(X0 + 990, Y0 + 980), (X0 + 1100, Y0 + 980)])
    b = _geojson(tmp_path / "rakennukset.geojson", houses, {"kerrosluku": 1})
    r = _geojson(tmp_path / "tiet.geojson", [road], {"nimi_suomi": "Kulmatie"})
    w = {"w": box(X0 + 900, Y0 + 900, X0 + 1200, Y0 + 1100).wkt}
    in_box = "ST_Intersects(geom, ST_GeomFromText(:w, 3067))"
    for _ in range(2):
        ingest.import_buildings(engine, b)
        ingest.import_roads(engine, r)
    assert _count(engine, f"SELECT count(*) FROM building WHERE {in_box}", **w) == 3
    assert _count(engine, f"SELECT count(*) FROM road_centreline WHERE {in_box}", **w) == 1


def test_buildings_follow_the_units_a_parcel_import_changes(
    engine: Any, tmp_path: Path, corner: None
) -> None:
    """Buildings were linked to units only when imported: not to parcels imported after them,
    nor to the new unit of a split; the site's own house then counted as a neighbour's.
    """
    x, y = X0 + 1300, Y0
    west, east = box(x, y, x + 20, y + 20), box(x + 20, y, x + 40, y + 20)
    houses = [box(x + 5, y + 5, x + 10, y + 10), box(x + 25, y + 5, x + 30, y + 10)]
    ingest.import_buildings(engine, _geojson(tmp_path / "talot.geojson", houses))

    def parcels(units: list[tuple[Any, str]]) -> Path:
        path = tmp_path / "palstat.geojson"
        return geojson_file(path, [(g, {"kiinteistotunnus": p}) for g, p in units])

    def links() -> list[str | None]:
        with engine.connect() as conn:
            return list(
                conn.execute(
                    text(
                        "SELECT property_id FROM building WHERE ST_Within(geom, ST_GeomFromText(:w, 3067))"
                        " ORDER BY ST_XMin(geom)"
                    ),
                    {"w": box(x, y, x + 40, y + 20).wkt},
                ).scalars()
            )

    assert links() == [None, None]  # no parcels yet
    try:
        ingest.import_parcels(engine, parcels([(west, "994-1-1-1"), (east, "994-1-1-1")]))
        assert links() == ["99400100010001", "99400100010001"]
        # the unit is split: its eastern parcel becomes a unit of its own
        ingest.import_parcels(engine, parcels([(west, "994-1-1-1"), (east, "994-1-1-2")]))
        assert links() == ["99400100010001", "99400100010002"]
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM property_unit WHERE property_id LIKE '994%'"))


def test_id_field_names_the_ids_of_every_import(engine: Any, tmp_path: Path, corner: None) -> None:
    """Issue 2: `import parcels|buildings|roads|water|owners FILE [--id-field F]`; only parcels took it."""
    from typer.testing import CliRunner

    from api.cli import app as cli

    house = box(X0 + 1500, Y0 + 1400, X0 + 1510, Y0 + 1410)
    lake = box(X0 + 1450, Y0 + 1300, X0 + 1490, Y0 + 1340)
    road = LineString([(X0 + 1400, Y0 + 1390), (X0 + 1490, Y0 + 1390)])
    run = CliRunner()
    for kind, geom, table in (
        ("buildings", house, "building"),
        ("roads", road, "road_centreline"),
        ("water", lake, "water_area"),
    ):
        path = _geojson(tmp_path / f"{kind}-ids.geojson", [geom], {"tunnus": f"{kind}-7"})
        r = run.invoke(cli, ["import", kind, str(path), "--id-field", "tunnus"])
        assert r.exit_code == 0, r.output
        got = _count(engine, f"SELECT count(*) FROM {table} WHERE source_id = :s", s=f"{kind}-7")
        assert got == 1, (kind, r.output)
        missing = run.invoke(cli, ["import", kind, str(path), "--id-field", "nosuch"])
        assert missing.exit_code != 0 and "'nosuch'(--id-field)" in "".join(missing.output.split())
    unit = box(X0 + 1400, Y0 + 1200, X0 + 1420, Y0 + 1220)
    parcels = _geojson(tmp_path / "palsta.geojson", [unit], {"kiinteistotunnus": "992-5-5-5"})
    assert run.invoke(cli, ["import", "parcels", str(parcels)]).exit_code == 0
    owners = tmp_path / "omistajat.csv"
    # both columns: --id-field's is read, the other one left alone
    owners.write_text("property_id,kiinteistotunnus,kind,name\nx,992-5-5-5,person,Aino Tunnus\n")
    try:
        r = run.invoke(cli, ["import", "owners", str(owners), "--id-field", "kiinteistotunnus"])
        assert r.exit_code == 0, r.output  # the column was read as the property ids
        names = "SELECT count(*) FROM personal.owner WHERE property_id = :p AND name = :n"
        assert _count(engine, names, p="99200500050005", n="Aino Tunnus") == 1
        nosuch = run.invoke(cli, ["import", "owners", str(owners), "--id-field", "tunnus"])
        assert nosuch.exit_code != 0 and "'tunnus'(--id-field)" in "".join(nosuch.output.split())
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM property_unit WHERE property_id = '99200500050005'"))


def test_a_file_of_the_same_name_from_another_folder_is_another_import(
    engine: Any, tmp_path: Path, corner: None
) -> None:
    """Two municipalities' buildings.gpkg: the second must not replace the first."""
    here, there = tmp_path / "091", tmp_path / "049"
    here.mkdir()
    there.mkdir()
    a = box(X0 + 100, Y0 + 1400, X0 + 110, Y0 + 1410)
    b = box(X0 + 200, Y0 + 1400, X0 + 210, Y0 + 1410)
    ingest.import_buildings(engine, _geojson(here / "rakennukset.geojson", [a]))
    second = ingest.import_buildings(engine, _geojson(there / "rakennukset.geojson", [b]))
    assert second.replaced == 0
    w = {"w": box(X0 + 50, Y0 + 1350, X0 + 250, Y0 + 1450).wkt}
    in_box = "SELECT count(*) FROM building WHERE ST_Intersects(geom, ST_GeomFromText(:w, 3067))"
    assert _count(engine, in_box, **w) == 2
