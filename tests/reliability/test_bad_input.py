"""Bad input is a 4xx problem document with its own `type`, never a 5xx (issue 14's cases)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.http.deps import ConnDep
from tests.conftest import fi_today

PROBLEM = "application/problem+json"
TYPE = "urn:rajapiste:problem:"


def _problem(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    doc: dict[str, Any] = r.json()
    assert doc["status"] == status and doc["detail"]
    assert doc["type"] == TYPE + doc["code"]
    if code:
        assert doc["code"] == code, doc
    return doc


def test_unknown_route_and_wrong_method(client: Any) -> None:
    _problem(client.get("/api/v1/no-such-thing"), 404, "not_found")
    _problem(client.get("/no/such/page"), 404, "not_found")
    _problem(client.delete("/api/v1/neighbours"), 405, "method_not_allowed")


def test_malformed_json_and_too_deep_json(client: Any) -> None:
    headers = {"content-type": "application/json"}
    _problem(client.post("/api/v1/neighbours", content=b'{"site": ', headers=headers), 422)
    deep = b'{"site": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    doc = _problem(client.post("/api/v1/neighbours", content=deep, headers=headers), 422)
    assert doc["code"] == "too_deep" and "100,000" not in doc["detail"]


def test_unhandled_error_is_a_logged_500_problem(
    settings: Any, engine: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from api.app import create_app

    app = create_app(settings)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    @app.get("/api/v1/boom-in-the-database")
    def boom_db(conn: ConnDep) -> None:
        conn.execute(text("SELECT 1"))  # then too late to set the isolation: SQLSTATE 25001
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"))

    @app.get("/api/v1/boom-read-only")
    def boom_read_only(conn: ConnDep) -> None:
        conn.execute(text("SET TRANSACTION READ ONLY"))  # a read-only primary (SQLSTATE 25006)
        conn.execute(text("CREATE TEMP TABLE boom (x int)"))

    with TestClient(app, raise_server_exceptions=False) as c, caplog.at_level(logging.ERROR):
        r = c.get("/api/v1/boom")
        db = c.get("/api/v1/boom-in-the-database")
        read_only = c.get("/api/v1/boom-read-only")
    doc = _problem(r, 500, "internal_error")
    assert "a bug" not in doc["detail"]  # internals are logged, not shown
    assert any("a bug" in (rec.exc_text or "") for rec in caplog.records)
    # the database's internal errors stay a 500
    _problem(db, 500, "internal_error")
    assert any("ActiveSqlTransaction" in (rec.exc_text or "") for rec in caplog.records)
    # a write refused off a replica is no replica's to retry elsewhere: a 500 as well
    _problem(read_only, 500, "internal_error")
    assert any("ReadOnlySqlTransaction" in (rec.exc_text or "") for rec in caplog.records)


SQUARE_AT = [[0.0, 0.0], [0.001, 0.0], [0.001, 0.001], [0.0, 0.001], [0.0, 0.0]]


def _square(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[lon + x, lat + y] for x, y in SQUARE_AT]]}


def _dig(site: dict[str, Any], **phase: Any) -> dict[str, Any]:
    start = fi_today() + dt.timedelta(days=60)
    return {
        "municipality": "244",
        "phases": [{"areas": [site], "start": str(start), "end": str(start), **phase}],
    }


UNPROJECTABLE = {
    "latitude 91": (_square(25.0, 91.0), "EPSG:4326"),
    "1e308": (_square(1e308, 60.0), "EPSG:4326"),
    "lon/lat as EPSG:3879": (_square(24.94, 60.17), "EPSG:3879"),
    "EPSG:3067 metres as lon/lat": (
        {
            "type": "Polygon",
            "coordinates": [
                [[385e3, 6672e3], [385e3 + 9, 6672e3], [385e3 + 9, 6672e3 + 9], [385e3, 6672e3]]
            ],
        },
        "EPSG:4326",
    ),
}
ENDPOINTS = {
    "/api/v1/neighbours": lambda g, crs: {"site": g, "crs": crs},
    "/api/v1/analysis/site": lambda g, crs: {"site": g, "crs": crs},
    "/api/v1/hearing/list": lambda g, crs: {"site": g, "crs": crs},
    "/api/v1/hearing/package": lambda g, crs: {"site": g, "crs": crs},
    "/api/v1/excavations/check": lambda g, crs: {**_dig(g), "crs": crs},
}


@pytest.mark.parametrize("case", list(UNPROJECTABLE))
@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_unprojectable_coordinates_are_422(
    officer_client: Any, demo: Any, path: str, case: str
) -> None:
    geom, crs = UNPROJECTABLE[case]
    r = officer_client.post(path, json=ENDPOINTS[path](geom, crs))
    assert r.status_code == 422, (path, case, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["detail"]


def test_nul_bytes_in_text_are_422(client: Any, contractor_client: Any, dig: Any) -> None:
    _problem(client.get("/api/v1/search", params={"q": "Mann\x00erheim"}), 422, "invalid_text")
    for body in (
        {**_dig(dig), "description": "kaivu\x00"},
        {**_dig(dig, traffic_plan="plan\x00", on_carriageway=True)},
        {**_dig(dig), "applicant": "\x00"},
    ):
        _problem(contractor_client.post("/api/v1/excavations", json=body), 422, "invalid_text")
        _problem(client.post("/api/v1/excavations/check", json=body), 422, "invalid_text")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_422(client: Any, dig: Any, value: str) -> None:
    import json

    line = {"type": "LineString", "coordinates": dig["coordinates"][0][:2]}
    body = json.dumps(_dig(line, width_m=1.0)).replace("1.0", value)
    r = client.post(
        "/api/v1/excavations/check", content=body, headers={"content-type": "application/json"}
    )
    doc = _problem(r, 422)
    assert "width_m" in doc["detail"]


def test_world_bbox_is_a_clear_422_or_finland(client: Any, demo: Any) -> None:
    doc = _problem(
        client.get("/api/v1/layers/parcels", params={"bbox": "-180,-90,180,90", "zoom": 15}), 422
    )
    assert "zoom" in doc["detail"]
    r = client.get("/api/v1/excavations", params={"bbox": "-180,-90,180,90"})
    assert r.status_code == 200, r.text  # clipped to Finland: every work, not silently none
    _problem(client.get("/api/v1/excavations", params={"bbox": "-80,10,-70,20"}), 422)


def test_the_printed_package_ignores_the_host_header(officer_client: Any, demo: Any) -> None:
    body = {"property_id": "24400100200002", "lang": "en"}
    r = officer_client.post("/api/v1/hearing/package", json=body, headers={"Host": "evil.example"})
    assert r.status_code == 200, r.text[:300]
    assert "evil.example" not in r.text and "/static/vendor/leaflet" in r.text


def test_the_handler_survives_odd_error_details(settings: Any) -> None:
    """A detail named like a member of the document, or one JSON cannot carry, is no 500."""
    from api.app import create_app
    from geo.errors import InvalidGeometry

    app = create_app(settings)

    @app.get("/api/v1/odd")
    def odd() -> None:
        raise InvalidGeometry(
            "odd", code="x", status=1, bbox=[float("inf"), 1.0], area=float("nan")
        )

    with TestClient(app, raise_server_exceptions=False) as c:
        doc = _problem(c.get("/api/v1/odd"), 422, "invalid_geometry")
    assert doc["bbox"] == [None, 1.0] and doc.get("area") is None


def test_a_state_or_a_use_of_a_page_of_text_is_422(officer_client: Any, dig: Any) -> None:
    """A step's state and a planned building's use had no length limit: a page of text was
    taken in, to be named back in an answer. Refused, and not repeated in the refusal."""
    long = "x" * 5000
    for path in ("/api/v1/applications/1/state", "/api/v1/excavations/1/state"):
        doc = _problem(officer_client.post(path, json={"state": long, "version": 1}), 422)
        assert "state" in doc["detail"] and long not in doc["detail"]
    building = {"footprint": dig, "use": long}
    body = {"site": dig, "crs": "EPSG:3067", "municipality": "244", "buildings": [building]}
    doc = _problem(officer_client.post("/api/v1/analysis/site", json=body), 422)
    assert "use" in doc["detail"] and long not in doc["detail"]
