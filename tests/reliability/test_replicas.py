"""Reads on a hot standby: served by the replica, a primary write reaches it, a writer reads
its own write from the primary, and a replica stopped mid-run costs no read."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from api.settings import Settings
from api.storage import cluster, replicas
from tests.conftest import fi_today
from tests.reliability.clusters import DIG, own_cluster, token
from tests.server import from_every_worker, serving


@pytest.fixture(scope="module")
def primary(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    if settings.database_url:
        pytest.skip("replicas are the embedded cluster's (RAJAPISTE_DATABASE_URL is set)")
    with own_cluster(
        settings, Path(tmp_path_factory.mktemp("replicated")), "rajapiste_rep", 60
    ) as s:
        yield s


def _on_replica(s: Settings, r: replicas.Replica, permit_id: int) -> bool:
    pw = cluster.layout(s).password_file.read_text().strip()
    with psycopg.connect(
        host="127.0.0.1", port=r.port, user=cluster.DB_USER, password=pw, dbname=s.db_name
    ) as conn:
        in_recovery = conn.execute("SELECT pg_is_in_recovery()").fetchone()
        row = conn.execute("SELECT 1 FROM excavation_permit WHERE id = %s", (permit_id,)).fetchone()
    assert in_recovery == (True,)
    return row is not None


def _reads(base: str, stop: threading.Event, log: list[tuple[int | None, str]]) -> None:
    while not stop.is_set():
        try:
            r = httpx.get(f"{base}/api/v1/excavations", params={"from": "2000-01-01"}, timeout=10)
            log.append((r.status_code, r.headers.get("x-database", "")))
        except httpx.HTTPError as exc:
            log.append((None, repr(exc)))
        time.sleep(0.02)


def test_reads_on_a_replica(primary: Settings) -> None:
    s = primary
    bearer = {"Authorization": f"Bearer {token(s, 'replica@test.invalid')}"}
    (r,) = replicas.start(s, 1)
    urls = replicas.read_urls(s, [r])
    with serving(
        s.db_name,
        workers=2,  # read-your-writes holds whichever worker a read lands on
        RAJAPISTE_STATE_DIR=str(s.state_dir),
        RAJAPISTE_READ_DATABASE_URLS=urls,
    ) as base:
        anon = httpx.get(f"{base}/api/v1/health/ready")
        assert anon.status_code == 200 and anon.headers["x-database"] == "replica-1"
        tile = httpx.get(f"{base}/api/v1/tiles/parcels/14/9330/4600.mvt")  # one hop (with_conn)
        assert tile.status_code == 200 and tile.headers["x-database"] == "replica-1"
        start = fi_today() + dt.timedelta(days=60)
        body = {
            "municipality": "244",
            "crs": "EPSG:3067",
            "phases": [{"areas": [DIG], "start": str(start), "end": str(start)}],
        }
        made = httpx.post(f"{base}/api/v1/excavations", json=body, headers=bearer)
        assert made.status_code == 201 and made.headers["x-database"] == "primary"
        pid = made.json()["id"]
        own = from_every_worker(base, f"/api/v1/excavations/{pid}", bearer)
        # read-your-write: every read of the writer goes to the primary, on either worker
        assert [(o.status_code, o.headers["x-database"]) for o in own] == [(200, "primary")] * 8
        for _ in range(100):  # streaming replication: visible on the standby within moments
            if _on_replica(s, r, pid):
                break
            time.sleep(0.1)
        assert _on_replica(s, r, pid)
        log: list[tuple[int | None, str]] = []
        stop = threading.Event()
        t = threading.Thread(target=_reads, args=(base, stop, log))
        t.start()
        try:
            time.sleep(1.5)
            replicas.stop(r)
            time.sleep(2)
        finally:
            stop.set()
            t.join(30)
    assert [e for e in log if e[0] != 200] == []
    served = [db for _, db in log]
    assert "replica-1" in served and served[-1] == "primary"
