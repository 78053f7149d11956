"""Limits on what one request may cost: geometry size, rate, statement time, connections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import mapping
from sqlalchemy import text

from api.http.limits import RateLimiter, SharedRateLimiter, json_shape
from tests.conftest import fi_today
from tests.server import from_every_worker, serving

PROBLEM = "application/problem+json"


def _problem(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith(PROBLEM)
    doc: dict[str, Any] = r.json()
    assert doc["code"] == code and doc["type"].endswith(code) and doc["detail"]
    return doc


def test_json_shape_counts_like_a_parser() -> None:
    import json

    ring = [[float(i), float(i % 7)] for i in range(50)]
    doc = {
        "site": {"type": "MultiPolygon", "coordinates": [[ring], [ring, ring]]},
        "q": "[[1,2]] \\u0000",
    }
    raw = json.dumps(doc).encode()
    depth, positions, rings, nul = json_shape(raw)
    assert (depth, positions, rings) == (6, 150, 3)  # {site {coords [poly [ring [pos
    assert nul is False  # an escaped backslash before u0000 is text, not a NUL
    assert json_shape(json.dumps({"a": "x\x00"}).encode())[3] is True


def test_too_many_vertices_and_parts_are_422(client: Any) -> None:
    big = shapely.Point(25_496_000, 6_673_000).buffer(50, quad_segs=6000)  # 24 000 vertices
    body = {"site": mapping(big), "crs": "EPSG:3879"}
    doc = _problem(client.post("/api/v1/neighbours", json=body), 422, "too_many_vertices")
    assert "20,000" in doc["detail"]
    squares = shapely.MultiPolygon(
        [shapely.box(385_000 + 3 * i, 6_672_000, 385_001 + 3 * i, 6_672_001) for i in range(2000)]
    )
    body = {"site": mapping(squares), "crs": "EPSG:3067"}
    doc = _problem(client.post("/api/v1/neighbours", json=body), 422, "too_many_parts")
    assert "2,000" in doc["detail"]


def test_rate_limiter_refills() -> None:
    lim = RateLimiter(per_minute=60, burst=2)
    assert [lim.take("a", now=0.0) for _ in range(3)] == [0, 0, 1]
    assert lim.take("b", now=0.0) == 0  # per client
    assert lim.take("a", now=1.01) == 0  # one token a second


def test_shared_buckets_give_every_process_one_budget(tmp_path: Any) -> None:
    """Two limiters on one file (as two worker processes have) share each client's tokens."""
    one = SharedRateLimiter(per_minute=60, burst=3, path=tmp_path / "buckets")
    two = SharedRateLimiter(per_minute=60, burst=3, path=tmp_path / "buckets")
    got = [lim.take("client", now=100.0) for lim in (one, two, one, two)]
    assert got == [0, 0, 0, 1]
    assert two.take("other", now=100.0) == 0  # per client
    assert one.take("client", now=101.01) == 0  # refilled for both


def test_several_workers_keep_one_rate_limit(settings: Any, demo: Any) -> None:
    """`rajapiste serve --workers 2`: a client gets its burst once, not once per worker."""
    env = {"RAJAPISTE_RATE_LIMIT_BURST": "3", "RAJAPISTE_RATE_LIMIT_PER_MINUTE": "1"}
    with serving(settings.db_name, workers=2, **env) as base:
        codes = from_every_worker(base, "/api/v1/parcels/24400100200002/neighbours")
    got = [r.status_code for r in codes]
    assert got.count(200) == 3 and got.count(429) == 5, got


def _app(settings: Any, **update: Any) -> TestClient:
    from api.app import create_app

    return TestClient(create_app(settings.model_copy(update=update)))


@pytest.fixture(scope="module")
def strict(settings: Any, engine: Any) -> Iterator[TestClient]:
    """The app with a short statement timeout and a pool of one connection (and one overflow)."""
    with _app(settings, statement_timeout_ms=300, pool_size=1, pool_timeout_s=0.5) as c:
        yield c


def test_rate_limit_is_429_with_retry_after(settings: Any, demo: Any) -> None:
    with _app(settings, rate_limit_burst=3, rate_limit_per_minute=1) as strict:
        _rate_limited(strict)


def _rate_limited(strict: TestClient) -> None:
    site = "24400100200002"
    codes = [strict.get(f"/api/v1/parcels/{site}/neighbours").status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200], codes
    r = strict.get(f"/api/v1/parcels/{site}/neighbours")
    doc = _problem(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) >= 1 and "try again" in doc["detail"]
    assert strict.get("/api/v1/config").status_code == 200  # cheap endpoints are not limited
    csv = strict.get(f"/api/v1/parcels/{site}/neighbours.csv")  # the same work, as CSV
    assert csv.status_code == 429, csv.status_code


@pytest.fixture()
def locked_permit(
    strict: TestClient, engine: Any, contractor_client: Any, dig: Any
) -> Iterator[int]:
    """A permit whose row another transaction holds locked (as a slow writer would)."""
    start = fi_today() + dt.timedelta(days=60)
    body = {
        "municipality": "244",
        "phases": [{"areas": [dig], "start": str(start), "end": str(start)}],
    }
    pid = contractor_client.post("/api/v1/excavations", json=body).json()["id"]
    conn = engine.connect()
    conn.execute(text("SELECT 1 FROM excavation_permit WHERE id = :i FOR UPDATE"), {"i": pid})
    try:
        yield pid
    finally:
        conn.rollback()
        conn.close()
        with engine.begin() as c:
            c.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": pid})


def test_statement_timeout_is_504_and_frees_the_connection(
    strict: TestClient, locked_permit: int, tokens: dict[str, str]
) -> None:
    auth = {"Authorization": f"Bearer {tokens['officer_244']}"}
    r = strict.post(
        f"/api/v1/excavations/{locked_permit}/state", json={"state": "approved"}, headers=auth
    )
    doc = _problem(r, 504, "statement_timeout")
    assert "timeout" in doc["detail"]
    pool = strict.app.state.engine.pool  # type: ignore[attr-defined]
    assert pool.checkedout() == 0
    assert strict.get("/api/v1/health/ready").status_code == 200


def test_a_full_pool_is_503_not_a_hang(strict: TestClient) -> None:
    """With every pooled connection taken, a request waits pool_timeout_s, then 503 + Retry-After."""
    eng = strict.app.state.engine  # type: ignore[attr-defined]
    held = [eng.connect() for _ in range(2)]  # pool_size 1 + overflow 1
    try:
        r = strict.get("/api/v1/health/ready")
        _problem(r, 503, "busy")
        assert int(r.headers["retry-after"]) >= 1
        assert strict.get("/api/v1/health/live").status_code == 200  # needs no database
    finally:
        for c in held:
            c.close()
    assert strict.get("/api/v1/health/ready").status_code == 200


def test_requests_queue_for_the_pool_outside_worker_threads(settings: Any, demo: Any) -> None:
    """30 requests at once on a pool of 2 connections with a 1 s pool timeout: they wait for a
    place before taking a thread, so none fails (without the gate most would be 503)."""

    with (
        _app(settings, pool_size=1, pool_timeout_s=1.0, queue_timeout_s=120.0) as c,
        ThreadPoolExecutor(30) as pool,
    ):
        got = list(
            pool.map(
                lambda _: c.get("/api/v1/parcels/24400100200002/neighbours").status_code,
                range(30),
            )
        )
    assert got == [200] * 30


def test_a_slow_ogc_page_is_504_too(strict: TestClient, engine: Any, nls: Any) -> None:
    """/ogc (pygeoapi's own connections) has the service's statement timeout (issue 14)."""
    first = strict.get("/ogc/collections/parcels/items?limit=1")
    assert first.status_code == 200, first.text[:300]  # built and connected before the lock
    with engine.connect() as conn:
        conn.execute(text("LOCK TABLE parcel IN ACCESS EXCLUSIVE MODE"))  # a slow writer
        r = strict.get("/ogc/collections/parcels/items?limit=2")
        conn.rollback()
    doc = _problem(r, 504, "statement_timeout")
    assert "timeout" in doc["detail"]
    assert strict.get("/ogc/collections/parcels/items?limit=1").status_code == 200
