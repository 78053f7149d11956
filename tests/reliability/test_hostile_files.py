"""Odd files, downloads and /ogc queries (stop 41's second review): a clear 4xx or CLI message.

Each case was a 500, or a Python traceback from `rajapiste`, on the code before its fix; every
import stays whole or nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from shapely.geometry import LineString, box, mapping
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app as cli
from tests.api import casework as cw
from tests.geofiles import geojson_file

_geojson = geojson_file  # (shape, properties) pairs in EPSG:3067
X0, Y0 = 310_000.0, 6_905_000.0  # an empty corner of Finland, away from the other data


def _refused(args: list[str], *words: str) -> str:
    """The command failed with a message (no traceback) holding every word."""
    r = CliRunner().invoke(cli, args)
    assert r.exit_code != 0 and isinstance(r.exception, SystemExit), (r.output, r.exception)
    flat = "".join(r.output.split())  # the console wraps lines, inside words too
    for w in words:
        assert "".join(w.split()) in flat, (w, r.output)
    return flat


def _count(engine: Any, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


# --- rajapiste import ------------------------------------------------------------------------


@pytest.mark.parametrize("floors", ["2-3", "inf", "1e12", "-1"])
def test_a_building_with_floors_not_a_number_is_rejected_by_feature(
    tmp_path: Path, engine: Any, floors: str
) -> None:
    before = _count(engine, "SELECT count(*) FROM building")
    feats = [
        (box(X0, Y0, X0 + 10, Y0 + 10), {"kerrosluku": "2"}),
        (box(X0 + 20, Y0, X0 + 30, Y0 + 10), {"kerrosluku": floors}),
    ]
    f = _geojson(tmp_path / "rakennukset.geojson", feats)
    _refused(["import", "buildings", str(f)], "feature 1: floors", floors, "nothing was imported")
    assert _count(engine, "SELECT count(*) FROM building") == before


@pytest.mark.parametrize("number", ["E18", "inf", "3000000000"])
def test_a_road_number_not_a_number_is_rejected(tmp_path: Path, engine: Any, number: str) -> None:
    before = _count(engine, "SELECT count(*) FROM road_centreline")
    line = LineString([(X0, Y0), (X0 + 100, Y0)])
    feats = [(line, {"road_number": number, "admin_class": 1, "address_from_left": "inf"})]
    f = _geojson(tmp_path / "tiet.geojson", feats)
    _refused(["import", "roads", str(f)], "road_number", "nothing was imported")
    assert _count(engine, "SELECT count(*) FROM road_centreline") == before


def test_road_values_read_as_before(tmp_path: Path, engine: Any) -> None:
    """A road number 4.0, a house number 12a or inf (left out), state_road false: imported."""
    line = LineString([(X0 + 500, Y0), (X0 + 600, Y0)])
    props = {"road_number": "4.0", "state_road": "false", "address_from_left": "12a"}
    props |= {"address_to_left": "inf", "address_from_right": "2", "name": "Koetie"}
    f = _geojson(tmp_path / "tie.geojson", [(line, props)])
    r = CliRunner().invoke(cli, ["import", "roads", str(f)])
    assert r.exit_code == 0, r.output
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT road_number, state_road, address_from_left, address_to_left,"
                " address_from_right FROM road_centreline WHERE name_fi = 'Koetie'"
            )
        ).one()
    assert tuple(row) == (4, False, None, None, 2)


def test_a_surface_in_a_file_is_refused_by_feature(tmp_path: Path, engine: Any) -> None:
    """GDAL reads a POLYHEDRALSURFACE; shapely cannot: a traceback before."""
    from tests.reliability.test_hostile_input import _gpkg, _surface

    path = _surface(_gpkg(tmp_path / "rakennus.gpkg"))
    _refused(
        ["import", "buildings", str(path)], "feature 0", "polygons or lines", "nothing was imported"
    )


def test_a_water_point_is_rejected_not_dropped(tmp_path: Path, engine: Any) -> None:
    """A point beside a lake was counted as read, imported nowhere, and the command said 0 rejected."""
    from shapely.geometry import Point

    before = _count(engine, "SELECT count(*) FROM water_area")
    lake = box(X0, Y0, X0 + 50, Y0 + 50)
    f = _geojson(tmp_path / "jarvi.geojson", [(lake, {}), (Point(X0 + 60, Y0), {})])
    _refused(["import", "water", str(f)], "feature 1", "a Point", "nothing was imported")
    assert _count(engine, "SELECT count(*) FROM water_area") == before


def test_an_unknown_water_kind_is_refused(tmp_path: Path) -> None:
    f = _geojson(tmp_path / "vesi.geojson", [(box(X0, Y0, X0 + 50, Y0 + 50), {})])
    _refused(["import", "water", str(f), "--water-kind", "ocean"], "--water-kind", "pond")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("\n", ("missing column",)),  # the separator could not be sniffed: a traceback before
        ("property_id\n", ("missing column",)),
        ("property_id,kind,name\n995-1-1-1,person,Ai\x00no\n", ("NUL",)),
    ],
)
def test_owner_files_that_are_not_owners_are_refused(
    tmp_path: Path, engine: Any, content: str, words: tuple[str, ...]
) -> None:
    f = tmp_path / "omistajat.csv"
    f.write_text(content)
    _refused(["import", "owners", str(f)], str(f.name), *words)


def test_cli_codes_are_ascii_digits(tmp_path: Path) -> None:
    for code in ("9x1", "０９１", "2444"):  # full-width digits passed isdigit()
        _refused(["demo", "generate", "--municipality", code], "municipality code")
    _refused(["audit", "export", "-o", str(tmp_path / "no" / "such" / "x.csv")], "cannot write")


def test_property_ids_are_ascii_digits() -> None:
    from geo import property_id
    from geo.errors import DomainError

    with pytest.raises(DomainError):
        property_id.normalise(
            "０９１-１-１-１"
        )  # full-width digits: the database's CHECK refused them
    assert property_id.normalise("091-1-1-1") == "09100100010001"


# --- downloads -------------------------------------------------------------------------------


def test_an_attachment_named_in_any_script_downloads(applicant_client: Any, demo: Any) -> None:
    """Header values are Latin-1: a name like Łódź was a UnicodeEncodeError (500)."""
    r = applicant_client.post(
        "/api/v1/applications", json={"kind": "building_permit", "property_id": "24400100200002"}
    )
    assert r.status_code == 201, r.text[:300]
    app_id = r.json()["id"]
    url = f"/api/v1/applications/{app_id}/attachments"
    name = "Piirustus_Łódź пример.pdf"
    form = {"kind": "site_plan", "version": str(cw.version(applicant_client, app_id))}
    up = applicant_client.post(
        url, files={"file": (name, cw.tiny_pdf(), "application/pdf")}, data=form
    )
    assert up.status_code == 201, up.text[:300]
    got = applicant_client.get(f"{url}/{up.json()['id']}")
    assert got.status_code == 200 and got.content == cw.tiny_pdf()
    header = got.headers["content-disposition"]
    m = re.search(r"filename\*=UTF-8''([^;]+)", header)
    assert m and unquote(m.group(1)) == name, header
    fallback = re.search(r'filename="([^"]*)"', header)
    assert fallback and fallback.group(1).isascii() and fallback.group(1).endswith(".pdf")
    csv = applicant_client.get("/api/v1/parcels/24400100200002/neighbours.csv?lang=fi")
    assert csv.headers["content-disposition"] == 'attachment; filename="naapurit-244-1-20-2.csv"'
    # in the asker's language (stop 52's note: Finnish names in a Swedish page), the accents in
    # filename* and dropped from the ASCII fallback
    csv = applicant_client.get("/api/v1/parcels/24400100200002/neighbours.csv?lang=sv")
    assert csv.headers["content-disposition"] == 'attachment; filename="grannar-244-1-20-2.csv"'


# --- /ogc ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "sortby=",
        "sortby=property_id,,kind",
        "datetime=2024-01-01",
        "bbox=-inf,-inf,inf,inf",
        "bbox=24,60,nan,61",
        "bbox=1e300,60,-1e300,61",
        "datetime=",
        "datetime=2024-01-01/..",
    ],
)
def test_ogc_queries_pygeoapi_cannot_answer_are_400(client: Any, demo: Any, query: str) -> None:
    r = client.get(f"/ogc/collections/parcels/items?{query}")
    assert r.status_code == 400, (query, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "InvalidParameterValue" and r.json()["detail"]
    assert (
        client.get("/ogc/collections/parcels/items?limit=1&sortby=-property_id").status_code == 200
    )


def _rajapiste(args: list[str], **env: str) -> Any:
    """The installed entry point in a process of its own (main(): what a user runs)."""
    import os
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, **env},
    )


def test_a_database_down_or_a_folder_for_a_file_is_a_message(tmp_path: Path) -> None:
    """Each was a Python traceback (OperationalError, IsADirectoryError) out of `rajapiste`."""
    down = _rajapiste(["user", "list"], RAJAPISTE_DATABASE_URL="postgresql://x:y@127.0.0.1:1/none")
    assert down.returncode == 1 and "Traceback" not in down.stderr, down.stderr[-2000:]
    assert "the database is not reachable" in down.stderr
    folder = _rajapiste(["analyse", str(tmp_path)])
    assert folder.returncode == 1 and "Traceback" not in folder.stderr, folder.stderr[-2000:]
    assert str(tmp_path) in folder.stderr and "directory" in folder.stderr.lower()


def test_a_bad_setting_is_a_message_without_its_password() -> None:
    """A database URL of the wrong kind, a replica's URL without a scheme and a lag limit
    below zero: each named, in one line, and nothing of the URLs (they hold passwords)."""
    bad = _rajapiste(
        ["db", "status"],
        RAJAPISTE_DATABASE_URL="mysql://rajapiste:s3cret-one@db.example/permits",
        RAJAPISTE_READ_DATABASE_URLS="postgresql://r:pw@replica/db, r:s3cret-two@replica2/db",
        RAJAPISTE_REPLICA_MAX_LAG_S="-1",
        RAJAPISTE_MIGRATE_DATABASE_URL="mysql://owner:s3cret-three@db.example/permits",
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr, bad.stderr[-2000:]
    said = " ".join(bad.stderr.split())  # the terminal's line breaks
    assert said.startswith("error: invalid setting: RAJAPISTE_DATABASE_URL must be")
    assert "RAJAPISTE_READ_DATABASE_URLS must list" in said and "(URL 2 is not one)" in said
    assert "RAJAPISTE_REPLICA_MAX_LAG_S: Input should be greater than 0" in said
    assert "RAJAPISTE_MIGRATE_DATABASE_URL must be" in said  # its own name, not the other's
    assert "s3cret" not in bad.stderr


def test_metres_read_as_degrees_name_the_file_and_the_option(tmp_path: Path) -> None:
    """A GeoJSON in EPSG:3067 without its `crs` member was refused without the file's name."""
    path = tmp_path / "talot-ilman-crs.geojson"
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": mapping(box(X0, Y0, X0 + 9, Y0 + 9))}
        ],
    }
    path.write_text(json.dumps(doc))
    _refused(
        ["import", "buildings", str(path)], "talot-ilman-crs.geojson", "--source-crs EPSG:3067"
    )
