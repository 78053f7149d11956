"""The database stops for 10 s under a client loop: only 200/201 or 503 + Retry-After, no hang,
every request after its return served, every acknowledged write kept.

Runs on a cluster of its own (started here), so the session's database is not touched.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from api.settings import Settings
from api.storage import cluster
from api.storage.engine import make_engine
from tests.conftest import fi_today
from tests.reliability.clusters import DIG, on_cluster, own_cluster
from tests.reliability.clusters import token as new_token
from tests.server import serving


@pytest.fixture(scope="module")
def own(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    if settings.database_url:
        pytest.skip("the fault test starts its own embedded cluster (no RAJAPISTE_DATABASE_URL)")
    state = Path(tmp_path_factory.mktemp("fault-cluster"))
    with own_cluster(settings, state, "rajapiste_fault", 50) as s:
        yield s


def _loop(base: str, token: str, stop: threading.Event, log: list[dict[str, Any]]) -> None:
    start = fi_today() + dt.timedelta(days=60)
    body = {
        "municipality": "244",
        "crs": "EPSG:3067",
        "phases": [{"areas": [DIG], "start": str(start), "end": str(start)}],
    }
    auth = {"Authorization": f"Bearer {token}"}
    n = 0
    while not stop.is_set():
        n += 1
        sent = time.monotonic()
        try:
            if n % 2:
                r = httpx.get(f"{base}/api/v1/health/ready", timeout=10)
            else:
                r = httpx.post(f"{base}/api/v1/excavations", json=body, headers=auth, timeout=10)
            entry = {
                "sent": sent,
                "status": r.status_code,
                "retry": r.headers.get("retry-after"),
                "id": r.json().get("id") if r.status_code == 201 else None,
                "text": r.text[:200],
            }
        except httpx.HTTPError as exc:  # a hang past the timeout, or a dropped connection
            entry = {"sent": sent, "status": None, "error": repr(exc)}
        log.append(entry)
        time.sleep(0.05)


def test_database_stop_and_return(own: Settings) -> None:
    s = own
    token = new_token(s, "fault@test.invalid")
    log: list[dict[str, Any]] = []
    stop = threading.Event()
    with serving(s.db_name, RAJAPISTE_STATE_DIR=str(s.state_dir)) as base:
        t = threading.Thread(target=_loop, args=(base, token, stop, log))
        t.start()
        try:
            time.sleep(2)
            down_at = time.monotonic()
            cluster.stop(s)
            time.sleep(10)
            cluster.start(s)
            back_at = time.monotonic()
            time.sleep(6)
        finally:
            stop.set()
            t.join(30)
        # a restart while nobody asks: the pooled connections are stale, the next request is not
        for _ in range(4):
            again = httpx.get(f"{base}/api/v1/health/ready", timeout=10)
            assert again.status_code == 200, again.text
        cluster.stop(s)
        cluster.start(s)
        first = httpx.get(f"{base}/api/v1/health/ready", timeout=10)
        assert first.status_code == 200, first.text
    assert not t.is_alive()
    assert [e for e in log if e["status"] not in (200, 201, 503)] == []
    unavailable = [e for e in log if e["status"] == 503]
    assert unavailable, "the loop must have met the stopped database"
    assert all(e["retry"] and int(e["retry"]) >= 1 for e in unavailable)
    assert all(e["sent"] >= down_at - 1 for e in unavailable)
    after = [e for e in log if e["sent"] >= back_at]
    assert after and all(e["status"] in (200, 201) for e in after), after[:3]
    acknowledged = {e["id"] for e in log if e["status"] == 201}
    stored = on_cluster(
        s, lambda conn: set(conn.execute(text("SELECT id FROM excavation_permit")).scalars())
    )
    assert acknowledged and acknowledged <= stored


def _last_statement(watcher: Any, pid: int) -> str:
    with watcher.connect() as w:
        q = text("SELECT query FROM pg_stat_activity WHERE pid = :p")
        return str(w.execute(q, {"p": pid}).scalar_one())


def test_pooled_connections_are_checked_without_a_round_trip(settings: Settings) -> None:
    """A pooled connection used a moment ago is handed out as it is, asking the server nothing;
    one the server ended while it sat in the pool is replaced before the request gets it, and
    the pool's other connections with it. (The session's database: nothing here stops it.)"""
    own = {"pool_size": 4, "pool_ping_after_idle_s": 60.0}  # whatever the environment says
    pooled, watcher = make_engine(settings.model_copy(update=own)), make_engine(settings)
    try:
        with pooled.connect() as a, pooled.connect() as b:  # two connections in the pool
            pid = a.execute(text("SELECT pg_backend_pid()")).scalar_one()
            other = b.execute(text("SELECT pg_backend_pid()")).scalar_one()
            a.commit()
            b.commit()
        assert _last_statement(watcher, pid) == "COMMIT"
        with pooled.connect() as c:  # the most recently returned: the server saw nothing new
            assert _last_statement(watcher, pid) == "COMMIT"
            assert c.execute(text("SELECT pg_backend_pid()")).scalar_one() == pid
            c.commit()
        with watcher.connect() as w:  # waits (up to 10 s) until the backend has ended
            q = text("SELECT pg_terminate_backend(:p, 10000)")
            assert w.execute(q, {"p": pid}).scalar_one(), f"backend {pid} did not end"
        with pooled.connect() as c:  # no error: a new connection in its place
            assert c.execute(text("SELECT pg_backend_pid()")).scalar_one() not in (pid, other)
            c.commit()
            with pooled.connect() as d:  # the other, older one was retired with it
                assert d.execute(text("SELECT pg_backend_pid()")).scalar_one() != other
    finally:
        pooled.dispose()
        watcher.dispose()


def test_a_pooled_connection_idle_for_long_is_pinged(settings: Settings) -> None:
    """A connection idle longer than `pool_ping_after_idle_s` is asked before use (a firewall
    may have dropped it without closing it): the server sees the ping."""
    pooled = make_engine(settings.model_copy(update={"pool_ping_after_idle_s": 0.0}))
    watcher = make_engine(settings)
    try:
        with pooled.connect() as c:
            pid = c.execute(text("SELECT pg_backend_pid()")).scalar_one()
            c.commit()
        assert _last_statement(watcher, pid) == "COMMIT"
        time.sleep(0.05)
        with pooled.connect() as c:
            assert _last_statement(watcher, pid) == ";"  # SQLAlchemy's ping
            assert c.execute(text("SELECT pg_backend_pid()")).scalar_one() == pid
    finally:
        pooled.dispose()
        watcher.dispose()
