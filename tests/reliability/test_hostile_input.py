"""Odd and hostile input found by reading the code (stop 41): a 4xx problem, never a 5xx or a hang.

Each case answered a 500, a 503 or never on the code before its fix.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import sqlite3
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import Polygon, box
from sqlalchemy import text

from api.http.deps import ConnDep
from geo import regime
from geo.excavation import cells_near
from tests.api.test_geopackage_upload import gpkg
from tests.conftest import fi_today

PROBLEM = "application/problem+json"
JSON = {"content-type": "application/json"}
SQUARE = [[[25.0, 60.0], [25.001, 60.0], [25.001, 60.001], [25.0, 60.001], [25.0, 60.0]]]


def _problem(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text[:400]
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    doc: dict[str, Any] = r.json()
    assert doc["detail"] and (code is None or doc["code"] == code), doc
    return doc


def _dig(area: Any, start: dt.date | None = None, **phase: Any) -> dict[str, Any]:
    day = start or fi_today() + dt.timedelta(days=60)
    return {
        "municipality": "244",
        "phases": [{"areas": [area], "start": str(day), "end": str(day), **phase}],
    }


# --- GeoJSON's foreign members, malformed features and CRS members ---------------------------


def test_foreign_members_of_geojson_are_kept_out_of_its_checks(client: Any) -> None:
    """`precision` is a foreign member like any other: the geojson package took it as its own."""
    for precision in ("abc", -(10**9)):  # a type error (422 before); 10**1e9 digits (a hang)
        polygon = {"type": "Polygon", "coordinates": SQUARE, "precision": precision}
        r = client.post("/api/v1/geometry/geojson", json=polygon)
        assert r.status_code == 200, r.text[:300]
        got = shapely.geometry.shape(r.json()["features"][0]["geometry"])
        assert got.equals_exact(Polygon(SQUARE[0]), 1e-9)  # not rounded by the member either
        feature = {"type": "Feature", "geometry": polygon, "properties": {}, "precision": precision}
        r = client.post(
            "/api/v1/geometry/geojson", json={"type": "FeatureCollection", "features": [feature]}
        )
        assert r.status_code == 200, r.text[:300]


@pytest.mark.parametrize(
    "doc",
    [
        {"type": "FeatureCollection", "features": [1]},
        {"type": "FeatureCollection", "features": ["Feature"]},
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": SQUARE},
            "properties": 5,
        },
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": SQUARE},
                    "properties": ["a"],
                }
            ],
        },
    ],
)
def test_malformed_features_are_422(client: Any, doc: Any) -> None:
    detail = _problem(client.post("/api/v1/geometry/geojson", json=doc), 422)["detail"]
    assert "feature 0" in detail


def test_a_crs_member_without_an_object_of_properties_is_422(client: Any, dig: Any) -> None:
    member = {"type": "name", "properties": "EPSG:3067"}
    polygon = {"type": "Polygon", "coordinates": SQUARE, "crs": member}
    doc = _problem(client.post("/api/v1/geometry/geojson", json=polygon), 422)
    assert "'crs' member" in doc["detail"]
    body = {**_dig({**dig, "crs": member}), "crs": None}
    _problem(client.post("/api/v1/excavations/check", json=body), 422)


# --- Text: half of a surrogate pair ------------------------------------------------------------


def test_half_a_surrogate_pair_is_422_and_a_whole_pair_is_text(
    client: Any, contractor_client: Any, dig: Any
) -> None:
    polygon = {"type": "Polygon", "coordinates": SQUARE}
    for raw_text in ('"\\ud800"', '"x\\udc00y"', '"\\ud83d\\ud83d"'):
        body = f'{{"type": "Feature", "geometry": {json.dumps(polygon)}, "properties": {{"n": {raw_text}}}}}'
        r = client.post("/api/v1/geometry/geojson", content=body, headers=JSON)
        assert "surrogate" in _problem(r, 422, "invalid_text")["detail"]  # was a 500
    for field in ("applicant", "description"):  # reached psycopg: UnicodeEncodeError, a 500
        body = json.dumps(_dig(dig))[:-1] + f', "{field}": "kaivu \\udfff"}}'
        r = contractor_client.post("/api/v1/excavations", content=body, headers=JSON)
        _problem(r, 422, "invalid_text")
    # the same as raw UTF-8 bytes (invalid UTF-8, which Python's JSON parser reads all the same)
    body = json.dumps({"type": "Feature", "geometry": polygon, "properties": {"n": "X"}})
    raw_body = body.encode().replace(b'"X"', b'"\xed\xa0\x80"')
    r = client.post("/api/v1/geometry/geojson", content=raw_body, headers=JSON)
    _problem(r, 422, "invalid_text")
    # a whole pair is a character (an emoji), escaped or not, and an escaped backslash is text
    for raw_text, want in (('"\\ud83d\\ude00"', "\U0001f600"), ('"\\\\ud800"', "\\ud800")):
        body = f'{{"type": "Feature", "geometry": {json.dumps(polygon)}, "properties": {{"n": {raw_text}}}}}'
        r = client.post("/api/v1/geometry/geojson", content=body, headers=JSON)
        assert r.status_code == 200, r.text[:300]
        assert r.json()["features"][0]["properties"]["n"] == want


def test_a_body_not_in_utf8_is_422(client: Any) -> None:
    """Python reads UTF-16 JSON too, and the byte-level limits saw nothing in it (a NUL, vertices)."""
    body = json.dumps(
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": SQUARE},
            "properties": {"n": "a\x00"},
        }
    )
    r = client.post("/api/v1/geometry/geojson", content=body.encode("utf-16"), headers=JSON)
    assert "UTF-8" in _problem(r, 422, "invalid_text")["detail"]


# --- Choices and codes -------------------------------------------------------------------------


def test_the_hearing_package_speaks_only_its_languages(officer_client: Any, demo: Any) -> None:
    for lang in ("de", "../../pyproject"):  # a FileNotFoundError (500) or another file read
        body = {"property_id": "24400100200002", "lang": lang}
        doc = _problem(officer_client.post("/api/v1/hearing/package", json=body), 422)
        assert "lang" in doc["detail"]
    body = {"property_id": "24400100200002", "lang": "sv"}
    r = officer_client.post("/api/v1/hearing/package", json=body)
    assert r.status_code == 200 and 'lang="sv"' in r.text


def test_the_hearing_list_speaks_the_language_asked(officer_client: Any, demo: Any) -> None:
    """The list follows ?lang= (the package's `lang` is the printed letter's)."""
    pid = "24400100200002"
    for lang in ("sv", "fi"):
        listed = officer_client.post(f"/api/v1/hearing/list?lang={lang}", json={"property_id": pid})
        plain = officer_client.get(f"/api/v1/parcels/{pid}/neighbours?lang={lang}")
        assert listed.status_code == plain.status_code == 200, listed.text[:300]
        reasons = sorted(n["reason"] for n in listed.json()["neighbours"])
        assert reasons and reasons == sorted(n["reason"] for n in plain.json()["neighbours"])


@pytest.mark.parametrize("code", ["abc", "1234", "x" * 100_000])
def test_a_municipality_is_a_code(client: Any, applicant_client: Any, dig: Any, code: str) -> None:
    """Not a name or a megabyte: it reached the rules' cache, and an application's CHECK (500)."""
    _problem(
        client.post("/api/v1/excavations/check", json={**_dig(dig), "municipality": code}), 422
    )
    _problem(client.post("/api/v1/neighbours", json={"site": dig, "municipality": code}), 422)
    body = {"kind": "building_permit", "municipality": code}
    _problem(applicant_client.post("/api/v1/applications", json=body), 422)


def test_a_party_named_twice_is_422(applicant_client: Any, demo: Any) -> None:
    parties = [
        {"role": "designer", "email": "Suunnittelija@Example.invalid"},
        {"role": "co_applicant", "email": "suunnittelija@example.invalid "},
    ]
    body = {"kind": "building_permit", "property_id": "24400100200002", "parties": parties}
    doc = _problem(applicant_client.post("/api/v1/applications", json=body), 422)  # was a 500
    assert "suunnittelija@example.invalid" in doc["detail"]


def test_a_conflict_with_a_stored_row_is_409_and_a_missed_check_a_500(
    settings: Any, engine: Any
) -> None:
    """A unique key or a row referred to: the client's conflict. NOT NULL or CHECK: our bug."""
    from api.app import create_app

    app = create_app(settings)

    @app.post("/api/v1/twice")
    def twice(conn: ConnDep) -> None:
        conn.execute(text("CREATE TEMP TABLE once (k int PRIMARY KEY)"))
        conn.execute(text("INSERT INTO once VALUES (1), (1)"))

    @app.post("/api/v1/gone")
    def gone(conn: ConnDep) -> None:
        conn.execute(text("CREATE TEMP TABLE one (k int PRIMARY KEY)"))
        conn.execute(text("CREATE TEMP TABLE other (k int REFERENCES one)"))
        conn.execute(text("INSERT INTO other VALUES (7)"))

    @app.post("/api/v1/checked")
    def checked(conn: ConnDep) -> None:
        conn.execute(text("CREATE TEMP TABLE positive (k int CHECK (k > 0))"))
        conn.execute(text("INSERT INTO positive VALUES (-1)"))

    with TestClient(app, raise_server_exceptions=False) as c:
        assert "duplicate key" in _problem(c.post("/api/v1/twice"), 409, "conflict")["detail"]
        assert "foreign key" in _problem(c.post("/api/v1/gone"), 409, "conflict")["detail"]
        _problem(c.post("/api/v1/checked"), 500, "internal_error")


# --- Days ------------------------------------------------------------------------------------


def test_days_out_of_range_are_422(client: Any, applicant_client: Any, dig: Any) -> None:
    """Days near year 1 or 9999 overflowed where deadlines are counted (OverflowError: 500)."""
    for start, today in ((dt.date(1, 1, 1), None), (fi_today(), dt.date(9999, 12, 31))):
        body = {**_dig(dig, start), **({"today": str(today)} if today else {})}
        doc = _problem(client.post("/api/v1/excavations/check", json=body), 422)
        assert "2000-01-01" in doc["detail"] or "years ahead" in doc["detail"]
    _problem(applicant_client.get("/api/v1/reminders", params={"on": "9999-12-31"}), 422)
    step = {
        "state": "decided",
        "version": 1,
        "decision": {"decided_by": "board", "decided_on": "9999-12-20"},
    }
    _problem(applicant_client.post("/api/v1/applications/1/state", json=step), 422)


def test_the_last_day_ahead_from_a_leap_day() -> None:
    """Five years after 29 February is 28 February (`date.replace` raised ValueError: a 500)."""
    assert regime.latest_date(dt.date(2028, 2, 29)) == dt.date(2033, 2, 28)
    assert regime.latest_date(dt.date(2026, 11, 25)) == dt.date(2031, 11, 25)
    assert regime.date_problem(dt.date(2033, 3, 1), dt.date(2028, 2, 29))
    assert regime.date_problem(dt.date(2033, 2, 28), dt.date(2028, 2, 29)) is None


# --- Numbers ---------------------------------------------------------------------------------


def test_sizes_beyond_reason_are_422(client: Any, demo: Any, dig: Any) -> None:
    with TestClient(client.app) as c:
        pid = "24400100200002"
        house = {"footprint": dig, "use": "dwelling", "floor_area_m2": 1e30}
        body = {"property_id": pid, "municipality": "285", "buildings": [house]}
        assert (
            "floor_area_m2" in _problem(c.post("/api/v1/analysis/site", json=body), 422)["detail"]
        )
    line = {"type": "LineString", "coordinates": dig["coordinates"][0][:2]}
    r = client.post("/api/v1/excavations/check", json=_dig(line, width_m=1e308))
    assert "width_m" in _problem(r, 422)["detail"]


# --- Digs far apart ------------------------------------------------------------------------


def test_dig_cells_are_taken_area_by_area_and_clashing_digs_share_one() -> None:
    """Two small areas at the ends of Finland: a few cells, not the million of their box.

    Checked against shapely: every pair of areas within the distance shares a cell.
    """
    south, north = (
        box(300_000, 6_650_000, 300_010, 6_650_010),
        box(600_000, 7_700_000, 600_010, 7_700_010),
    )
    assert len(cells_near([south, north], 30.0, 1000.0)) <= 8
    # touching on a cell's edge, at distance 0: the cells on both sides of it
    left, right = box(990, 10, 1000, 20), box(1000, 15, 1010, 25)
    assert cells_near([left], 0.0, 1000.0) & cells_near([right], 0.0, 1000.0)
    rng = np.random.default_rng(41)
    for _ in range(300):
        x, y = rng.uniform(0, 3000, 2)
        a = box(x, y, x + rng.uniform(1, 40), y + rng.uniform(1, 40))
        b = shapely.affinity.translate(a, *rng.uniform(-90, 90, 2)).buffer(rng.uniform(0, 5))
        d = float(rng.uniform(0, 60))
        if a.distance(b) <= d:
            assert cells_near([a], d, 1000.0) & cells_near([b], d, 1000.0), (a, b, d)


def _lonlat_square(lon: float, lat: float, side: float = 0.0001) -> list[list[list[float]]]:
    corners = ((0, 0), (side, 0), (side, side), (0, side), (0, 0))
    return [[[lon + x, lat + y] for x, y in corners]]


def test_a_dig_with_areas_far_apart_is_stored(contractor_client: Any, dig: Any) -> None:
    """Its box's cells were locked one by one: 10^5 advisory locks, 'out of shared memory' (503)."""
    body = _dig(dig)
    body["phases"][0]["areas"].append(
        {"type": "Polygon", "coordinates": _lonlat_square(24.94, 60.17)}
    )
    r = contractor_client.post("/api/v1/excavations", json=body)
    assert r.status_code == 201, r.text[:400]


def test_one_area_of_parts_far_apart_is_422(client: Any, dig: Any) -> None:
    """An area's parts make one area with what lies between them: 200 000 km² from three squares."""
    parts = [_lonlat_square(*p) for p in ((22.95, 59.83), (29.76, 62.6), (27.02, 69.9))]
    r = client.post(
        "/api/v1/excavations/check", json=_dig({"type": "MultiPolygon", "coordinates": parts})
    )
    assert "parts lie apart" in _problem(r, 422)["detail"]


def _locks(conn: Any) -> list[tuple[int, str]]:
    rows = conn.execute(
        text(
            "SELECT (classid::bigint << 32) | objid::bigint, mode FROM pg_locks"
            " WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
    )
    return [(int(k), str(m)) for k, m in rows]


def test_a_dig_of_many_cells_locks_them_all_at_once(engine: Any) -> None:
    """Past MAX_CELL_LOCKS it holds the key of all cells alone; others hold it shared, then cells."""
    from api.services import excavations
    from geo.excavation import Phase

    day = fi_today()
    small = [box(400_000, 7_000_000, 400_010, 7_000_010)]
    spread = [box(400_000 + 5000 * i, 7_000_000, 400_010 + 5000 * i, 7_000_010) for i in range(300)]
    for areas, alone in ((small, False), (spread, True)):
        with engine.connect() as conn:
            excavations.lock_cells(conn, [Phase(1, areas, day, day, False, None)], 30.0)
            held = _locks(conn)
            conn.rollback()
        everything = (excavations._ALL_CELLS, "ExclusiveLock" if alone else "ShareLock")
        assert everything in held, held
        cells = sorted(k for k, _ in held if k != excavations._ALL_CELLS)
        # by shapely: the 1 km cells within 30 m of the small area (it sits on a corner: four)
        near = [
            excavations._CELL_KEYS + ix * 100_000 + iy
            for ix in range(390, 410)
            for iy in range(6990, 7010)
            if box(ix * 1000, iy * 1000, ix * 1000 + 1000, iy * 1000 + 1000).distance(small[0])
            <= 30
        ]
        assert cells == ([] if alone else near) and len(near) == 4, held


# --- Tiles ---------------------------------------------------------------------------------


@pytest.mark.parametrize("layer", ["parcels", "water", "excavations"])
def test_a_tile_far_from_finland_is_empty(client: Any, demo: Any, layer: str) -> None:
    """A tile over the Americas cannot be projected into EPSG:3067 (PROJ refused it: a 500)."""
    for z, x, y in ((8, 83, 127), (14, 2000, 6000), (16, 20000, 30000)):
        r = client.get(f"/api/v1/tiles/{layer}/{z}/{x}/{y}.mvt")
        assert r.status_code == 200 and r.content == b"", (layer, z, r.status_code, r.text[:200])
        assert r.headers["etag"]


# --- GeoPackages ---------------------------------------------------------------------------


def _gpkg(path: Path) -> Path:
    house = box(385000, 6672000, 385012, 6672010)
    # no spatial index: no triggers (GDAL's SQL functions), so sqlite3 may change the rows
    gpkg(path, house, "EPSG:3067", layer_options={"SPATIAL_INDEX": "NO"})
    return path


def _upload(client: Any, path: Path) -> Any:
    files = {"file": ("piirros.gpkg", path.read_bytes(), "application/geopackage+sqlite3")}
    return client.post("/api/v1/geometry/geopackage", files=files)


def test_a_geopackage_blob_is_base64_text(client: Any, tmp_path: Path) -> None:
    path = _gpkg(tmp_path / "blob.gpkg")
    blob = bytes(range(256))  # not UTF-8: the response could not be written (500)
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE piirros ADD COLUMN liite BLOB")
        db.execute("UPDATE piirros SET liite = ?", (blob,))
    r = _upload(client, path)
    assert r.status_code == 200, r.text[:300]
    assert base64.b64decode(r.json()["features"][0]["properties"]["liite"]) == blob


def _surface(path: Path) -> Path:
    """The file's one feature made a POLYHEDRALSURFACE (a 3D model's export): GDAL reads it."""
    # a GeoPackage geometry: header (GP, version 0, little-endian, no envelope, SRS id) and
    # ISO WKB of a POLYHEDRALSURFACE (type 15) of one POLYGON (type 3)
    ring = [
        (385000.0, 6672000.0),
        (385010.0, 6672000.0),
        (385010.0, 6672010.0),
        (385000.0, 6672000.0),
    ]
    wkb = (
        struct.pack("<BII", 1, 15, 1) + struct.pack("<BII", 1, 3, 1) + struct.pack("<I", len(ring))
    )
    wkb += b"".join(struct.pack("<dd", *p) for p in ring)
    with sqlite3.connect(path) as db:
        srs = db.execute("SELECT srs_id FROM gpkg_geometry_columns").fetchone()[0]
        db.execute("UPDATE piirros SET geom = ?", (b"GP\x00\x01" + struct.pack("<i", srs) + wkb,))
    return path


def test_a_geopackage_surface_is_422(client: Any, tmp_path: Path) -> None:
    """shapely cannot read what GDAL gives for it (a 500 before)."""
    doc = _problem(_upload(client, _surface(_gpkg(tmp_path / "surface.gpkg"))), 422)
    assert "feature 0" in doc["detail"] and "polygons or lines" in doc["detail"]


# --- Rate limits ---------------------------------------------------------------------------


def test_made_up_tokens_share_their_address_budget(settings: Any, demo: Any) -> None:
    """A new made-up token for each request had a fresh bucket of its own: no limit at all."""
    from api.app import create_app

    strict = settings.model_copy(
        update={"rate_limit_burst": 3, "rate_limit_per_minute": 1, "rate_limit_address_factor": 2}
    )
    with TestClient(create_app(strict)) as c:
        codes = [
            c.get(
                "/api/v1/parcels/24400100200002/neighbours",
                headers={"Authorization": f"Bearer {secrets.token_urlsafe(16)}"},
            ).status_code
            for _ in range(8)
        ]
    # each made-up token is refused (401) until the address's 2 x 3 are spent: then 429
    assert codes == [401] * 6 + [429] * 2, codes


def test_a_search_is_a_line_not_a_page(client: Any) -> None:
    """The address pattern backtracks over a long run of spaces: 0.2 s for 5 000, minutes for 60 000."""
    doc = _problem(client.get("/api/v1/search", params={"q": "a" + " " * 5000 + "x"}), 422)
    assert "q" in doc["detail"]
    assert client.get("/api/v1/search", params={"q": "Mannerheimintie 1"}).status_code == 200
