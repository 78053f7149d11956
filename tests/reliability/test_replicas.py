"""Reads on a hot standby: served by the replica, a primary write reaches it, a writer reads
its own write from the primary, and a replica stopped mid-run costs no read; an officer's
read of personal owner data is served by the replica and its audit row written on the
primary; any other write a replica refuses runs the read again on the primary."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text

from api.app import create_app
from api.http import reads
from api.http.auth import CallerToken, TokenDep, caller_token
from api.http.deps import ConnDep
from api.ingest.demo import loader as demo_loader
from api.services import accounts
from api.services.privacy import Caller
from api.settings import Settings
from api.storage import cluster, replicas
from api.storage.engine import make_engine, primary_of
from tests.conftest import TEST_PASSWORD, fi_today
from tests.reliability.clusters import DIG, on_cluster, own_cluster, token
from tests.server import from_every_worker, serving


@pytest.fixture(scope="module")
def primary(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    if settings.database_url:
        pytest.skip("replicas are the embedded cluster's (RAJAPISTE_DATABASE_URL is set)")
    with own_cluster(
        settings, Path(tmp_path_factory.mktemp("replicated")), "rajapiste_rep", 60
    ) as s:
        eng = make_engine(s)
        demo_loader.load(eng, 300, "244", seed=3)  # units with owners, for the audited reads
        eng.dispose()
        yield s


def _connect(s: Settings, port: int) -> psycopg.Connection[tuple[Any, ...]]:
    pw = cluster.layout(s).password_file.read_text().strip()
    return psycopg.connect(
        host="127.0.0.1", port=port, user=cluster.DB_USER, password=pw, dbname=s.db_name
    )


def _on_replica(s: Settings, r: replicas.Replica, sql: str, *params: Any) -> bool:
    """Whether the replica (a hot standby) has a row for this query yet."""
    with _connect(s, r.port) as conn:
        in_recovery = conn.execute("SELECT pg_is_in_recovery()").fetchone()
        row = conn.execute(sql, params).fetchone()
    assert in_recovery == (True,)
    return row is not None


def _replicated(s: Settings, r: replicas.Replica, sql: str, *params: Any) -> None:
    for _ in range(100):  # streaming replication: visible on the standby within moments
        if _on_replica(s, r, sql, *params):
            return
        time.sleep(0.1)
    raise AssertionError(f"not on the replica after 10 s: {sql} {params}")


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
        ready = httpx.get(f"{base}/api/v1/health/ready")  # asked of the primary, writes' own
        assert ready.status_code == 200 and ready.headers["x-database"] == "primary"
        anon = httpx.get(f"{base}/api/v1/parcels/24400100200002/neighbours")
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
        _replicated(s, r, "SELECT 1 FROM excavation_permit WHERE id = %s", pid)
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


def _audited(s: Settings, email: str, endpoint: str) -> list[list[str]]:
    """The units of each audit row on the primary of this user's reads through this endpoint."""
    with _connect(s, s.db_port) as conn:
        rows = conn.execute(
            "SELECT property_ids FROM audit.disclosure WHERE user_email = %s AND endpoint = %s"
            " ORDER BY id",
            (email, endpoint),
        ).fetchall()
    return [sorted(r[0]) for r in rows]


def _caught_up(s: Settings, r: replicas.Replica) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    with _connect(s, s.db_port) as conn:
        lsn = conn.execute("SELECT pg_current_wal_lsn()").fetchone()
    assert lsn is not None
    _replicated(s, r, "SELECT 1 WHERE pg_last_wal_replay_lsn() >= %s::pg_lsn", str(lsn[0]))


def _officer_on_replica(s: Settings, email: str) -> tuple[dict[str, str], str, replicas.Replica]:
    """A new officer of 244 (bearer header), a private unit with a private neighbour, and the
    running replica that has both."""
    bearer = {"Authorization": f"Bearer {token(s, email, 'officer', '244')}"}
    with _connect(s, s.db_port) as conn:
        site = conn.execute(
            "SELECT a.property_id FROM property_unit a JOIN property_unit b"
            " ON b.property_id <> a.property_id AND ST_DWithin(a.geom, b.geom, 0.5)"
            " JOIN personal.owner o ON o.property_id = b.property_id AND o.kind = 'person'"
            " WHERE a.municipality = '244' AND a.public_type IS NULL"
            " ORDER BY a.property_id LIMIT 1"
        ).fetchone()
    assert site is not None
    (r,) = replicas.start(s, 1)
    _caught_up(s, r)
    return bearer, str(site[0]), r


def _serving_replica(s: Settings, r: replicas.Replica) -> Any:
    urls = replicas.read_urls(s, [r])
    return serving(
        s.db_name, RAJAPISTE_STATE_DIR=str(s.state_dir), RAJAPISTE_READ_DATABASE_URLS=urls
    )


def test_personal_data_read_on_a_replica(primary: Settings) -> None:
    """An officer's neighbour list (autocommit) and CSV (a transaction) on the replica: the
    owners are shown, and the audit row of each is on the primary (a standby refuses it)."""
    s = primary
    email = "officer.replica@test.invalid"
    bearer, site, r = _officer_on_replica(s, email)
    with _serving_replica(s, r) as base:
        url = f"{base}/api/v1/parcels/{site}/neighbours"
        listed = httpx.get(url, headers=bearer, timeout=30)
        csv = httpx.get(f"{url}.csv", headers=bearer, timeout=30)
    assert listed.status_code == 200, listed.text
    assert listed.headers["x-database"] == "replica-1"
    shown = sorted(
        n["property_id"]
        for n in listed.json()["neighbours"]
        if any(o["kind"] not in ("municipality", "state") and o["name"] for o in n["owners"])
    )
    assert shown, "the officer sees the private neighbours' owners"
    endpoint = "GET /api/v1/parcels/{property_id}/neighbours"
    assert _audited(s, email, endpoint) == [shown]
    assert csv.status_code == 200, csv.text
    assert csv.headers["x-database"] == "replica-1"
    assert _audited(s, email, f"{endpoint}.csv") == [shown]


def _read_only_primary(s: Settings, on: bool) -> None:
    """Set the primary's default_transaction_read_only, and wait until new sessions see it."""
    with _connect(s, s.db_port) as conn:
        conn.autocommit = True
        conn.execute(f"ALTER SYSTEM SET default_transaction_read_only = {'on' if on else 'off'}")
        conn.execute("SELECT pg_reload_conf()")
    for _ in range(100):
        with _connect(s, s.db_port) as conn:
            if conn.execute("SHOW default_transaction_read_only").fetchone() == (
                "on" if on else "off",
            ):
                return
        time.sleep(0.05)
    raise AssertionError("the primary did not reload its configuration")


def test_personal_data_on_a_replica_needs_the_primary(primary: Settings) -> None:
    """No signed-in read from a replica without the primary's say. While the replica lags, a
    token signed out on the primary and an account disabled there get 401 on every read (their
    own account, a neighbour list) and leave no audit row, the same officer's other session is
    still served, and a sign-in made meanwhile is accepted at once; with the primary down, a
    signed-in read answers 503 sign_in_unavailable and the replica stays in turn, as it does
    when the primary refuses the audit row (read only, as while failing over)."""
    s = primary
    two = "officer.two.sessions@test.invalid"
    signed_out, site, r = _officer_on_replica(s, two)
    issued = on_cluster(s, lambda c: accounts.sign_in(c, s, two, TEST_PASSWORD, "192.0.2.1"))
    kept = {"Authorization": f"Bearer {issued.token}"}
    gone = "officer.disabled@test.invalid"
    disabled, _, _ = _officer_on_replica(s, gone)  # and the replica has caught up
    path = f"/api/v1/parcels/{site}/neighbours"
    with _serving_replica(s, r) as base, _connect(s, r.port) as standby:
        standby.execute("SELECT pg_wal_replay_pause()")  # the replica lags from here
        try:
            token_out = signed_out["Authorization"].removeprefix("Bearer ")
            on_cluster(s, lambda c: accounts.sign_out(c, token_out))
            on_cluster(s, lambda c: accounts.set_disabled(c, gone, True))
            lagging = [
                httpx.get(base + p, headers=h, timeout=30)
                for h in (signed_out, disabled)
                for p in (path, "/api/v1/auth/me")
            ]
            other = httpx.get(base + path, headers=kept, timeout=30)
            fresh = on_cluster(s, lambda c: accounts.sign_in(c, s, two, TEST_PASSWORD, "192.0.2.2"))
            me = httpx.get(
                f"{base}/api/v1/auth/me", headers={"Authorization": f"Bearer {fresh.token}"}
            )
            known = standby.execute(  # what the replica still knows: every token, none disabled
                "SELECT count(*) FROM account.access_token t JOIN account.app_user u"
                " ON u.id = t.user_id WHERE u.email IN (%s, %s) AND NOT u.disabled",
                (two, gone),
            ).fetchone()
        finally:
            standby.execute("SELECT pg_wal_replay_resume()")
        _caught_up(s, r)
        bearer, _, _ = _officer_on_replica(s, "officer.primary.down@test.invalid")
        _read_only_primary(s, True)  # as in a failover: the primary refuses the row (25006)
        try:
            failing_over = httpx.get(base + path, headers=bearer, timeout=30)
        finally:
            _read_only_primary(s, False)
        cluster.stop(s)
        try:
            down = httpx.get(base + path, headers=bearer, timeout=30)
            anonymous = httpx.get(base + path, timeout=30)
        finally:
            cluster.start(s)
    assert cluster.layout(s).port == s.db_port  # the primary came back where the replica looks
    assert known == (3,)
    for refused in lagging:
        assert (refused.status_code, refused.headers["x-database"]) == (401, "replica-1")
        assert refused.json()["code"] == "invalid_token"
    assert (other.status_code, other.headers["x-database"]) == (200, "replica-1"), other.text
    assert (me.status_code, me.headers["x-database"]) == (200, "replica-1"), me.text
    assert me.json()["email"] == two
    endpoint = "GET /api/v1/parcels/{property_id}/neighbours"
    assert len(_audited(s, two, endpoint)) == 1  # the other session's read only
    assert _audited(s, gone, endpoint) == []
    for failed, code in ((failing_over, "audit_unavailable"), (down, "sign_in_unavailable")):
        assert (failed.status_code, failed.headers["x-database"]) == (503, "replica-1")
        assert failed.json()["code"] == code and failed.headers["retry-after"]
    assert (anonymous.status_code, anonymous.headers["x-database"]) == (200, "replica-1")
    owners = [o for n in anonymous.json()["neighbours"] for o in n["owners"]]
    persons = [o for o in owners if o["kind"] == "person"]
    assert persons and all(o["withheld"] and not o["name"] for o in persons)


def test_a_write_the_replica_refuses(primary: Settings, caplog: pytest.LogCaptureFixture) -> None:
    """A read that writes something else: the replica refuses it (SQLSTATE 25006), the
    primary answers, and the replica stays in turn for the next read."""
    s = primary
    (r,) = replicas.start(s, 1)
    app = create_app(s.model_copy(update={"read_database_urls": replicas.read_urls(s, [r])}))

    def writes(conn: ConnDep) -> dict[str, bool]:
        conn.execute(text("CREATE TEMP TABLE scratch (x int)"))
        return {"wrote": True}

    app.add_api_route("/test/writes-on-read", writes, methods=["GET"])
    with TestClient(app) as client, caplog.at_level(logging.WARNING, "rajapiste.db"):
        wrote = client.get("/test/writes-on-read")
        after = client.get("/api/v1/parcels/24400100200002/neighbours")  # a plain read
    refused = "a read replica refused a write on GET /test/writes-on-read"
    assert [m for m in caplog.messages if m == refused] == [refused]  # tried there first
    assert (wrote.status_code, wrote.headers["x-database"]) == (200, "primary")
    assert wrote.json() == {"wrote": True}
    assert (after.status_code, after.headers["x-database"]) == (200, "replica-1")


def _drawn_site(s: Settings) -> dict[str, Any]:
    """A neighbour-list request for a unit of the town drawn as a site (EPSG:3067)."""
    with _connect(s, s.db_port) as conn:
        row = conn.execute(
            "SELECT ST_AsGeoJSON(geom) FROM property_unit"
            " WHERE municipality = '244' AND public_type IS NULL ORDER BY property_id LIMIT 1"
        ).fetchone()
    assert row is not None
    return {"site": json.loads(row[0]), "crs": "EPSG:3067", "municipality": "244"}


def test_a_post_that_only_reads(primary: Settings) -> None:
    """A drawn site's neighbour list (a POST that stores nothing) is served by a replica and
    does not send the client's next reads to the primary; when the replica fails it mid-way,
    the primary answers it with the same body, counted once against the client's budget."""
    s = primary
    (r,) = replicas.start(s, 1)
    _caught_up(s, r)
    body = _drawn_site(s)
    # three costly requests' budget: the primary's second run of the third is not a fourth
    limits = {"rate_limit_burst": 3, "rate_limit_per_minute": 1}
    app = create_app(
        s.model_copy(update={"read_database_urls": replicas.read_urls(s, [r]), **limits})
    )
    with TestClient(app) as client:
        drawn = client.post("/api/v1/neighbours", json=body)
        after = client.get("/api/v1/parcels/24400100200002/neighbours")
        tried: list[str] = []

        def writing_caller(request: Request, token: TokenDep) -> CallerToken:
            class Writing(CallerToken):
                def resolve(self, conn: Connection) -> Caller:
                    tried.append("replica" if primary_of(conn) else "primary")
                    if primary_of(conn):  # a write the replica refuses (25006) mid-read
                        conn.execute(text("CREATE TEMP TABLE scratch (x int)"))
                    return super().resolve(conn)

            return Writing(request, token)

        app.dependency_overrides[caller_token] = writing_caller
        again = client.post("/api/v1/neighbours", json=body)
    assert (drawn.status_code, drawn.headers["x-database"]) == (200, "replica-1"), drawn.text
    assert (after.status_code, after.headers["x-database"]) == (200, "replica-1")
    assert drawn.json()["neighbours"], "the site has neighbours"
    assert tried == ["replica", "primary"]
    assert (again.status_code, again.headers["x-database"]) == (200, "primary"), again.text
    assert again.json()["neighbours"] == drawn.json()["neighbours"]


def _served_by(client: TestClient, path: str, database: str, within_s: float) -> float:
    """Read `path` until `database` serves it; the monotonic time it first did."""
    end = time.monotonic() + within_s
    while time.monotonic() < end:
        got = client.get(path)
        assert got.status_code == 200, got.text
        if got.headers["x-database"] == database:
            return time.monotonic()
        time.sleep(0.1)
    raise AssertionError(f"{path} not served by {database} within {within_s} s")


def test_a_replica_far_behind_is_out_of_turn(
    primary: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """A replica whose replay stalls while the primary writes is out of turn once its data is
    more than replica_max_lag_s old (not before), and back once it has caught up."""
    s = primary
    (r,) = replicas.start(s, 1)
    _caught_up(s, r)
    urls = replicas.read_urls(s, [r])
    limit = 2.0
    app = create_app(
        s.model_copy(
            update={"read_database_urls": urls, "replica_max_lag_s": limit, "read_your_writes_s": 0}
        )
    )
    path = "/api/v1/parcels/24400100200002/neighbours"
    with (
        TestClient(app) as client,
        _connect(s, r.port) as standby,
        caplog.at_level(logging.WARNING, "rajapiste.db"),
    ):
        standby.autocommit = True
        before = client.get(path)
        standby.execute("SELECT pg_wal_replay_pause()")
        try:
            with _connect(s, s.db_port) as conn:  # a write the replica does not replay
                conn.execute("CREATE TABLE IF NOT EXISTS lag_probe (at timestamptz)")
                conn.execute("INSERT INTO lag_probe VALUES (now())")
            wrote = time.monotonic()
            out = _served_by(client, path, "primary", 15)
        finally:
            standby.execute("SELECT pg_wal_replay_resume()")
        back = _served_by(client, path, "replica-1", 15)
    assert (before.status_code, before.headers["x-database"]) == (200, "replica-1")
    assert out - wrote >= limit - 0.1, "out of turn only once its data is older than the limit"
    assert back > out
    said = [m for m in caplog.messages if m.startswith("replica-1 is ")]
    assert [m.rsplit(": ", 1)[1] for m in said] == ["out of turn", "back in turn"], said


def test_a_busy_replica_stays_in_turn(primary: Settings) -> None:
    """A replica whose connections are all in use hands the read to the primary, and serves
    the next read once one is free: busy is not down (it was skipped for replica_down_s)."""
    s = primary
    (r,) = replicas.start(s, 1)
    urls = replicas.read_urls(s, [r])
    app = create_app(
        s.model_copy(
            update={
                "read_database_urls": urls,
                "pool_size": 1,  # one connection, and one more in overflow
                "pool_timeout_s": 0.3,
                "read_your_writes_s": 0,
            }
        )
    )
    path = "/api/v1/parcels/24400100200002/neighbours"
    with TestClient(app) as client:
        engine = app.state.read_engines[0]
        held = [engine.connect(), engine.connect()]
        try:
            busy = client.get(path)
        finally:
            for conn in held:
                conn.close()
        free = client.get(path)
    assert (busy.status_code, busy.headers["x-database"]) == (200, "primary"), busy.text
    assert (free.status_code, free.headers["x-database"]) == (200, "replica-1"), free.text


def test_the_lag_of_a_replica_in_odd_cases(primary: Settings) -> None:
    """How far behind a replica is in odd cases: further than the limit (the lag shown is
    not capped at it); a server that is not a standby (its replay position says nothing);
    the primary down (every replica in turn, lag not known); and a poll keeps the pool's
    prepared statements."""
    s = primary
    router = reads.Router(1, s.model_copy(update={"replica_max_lag_s": 30.0}))
    watch = reads.LagWatch(make_engine(s), [], router)
    watch.samples.extend([(1000.0, 500), (1700.0, 900)])
    assert watch.lag_s(400, 1600.0) == 600.0  # beyond the limit's 35 s
    assert watch.lag_s(600, 1710.0) == 10.0
    assert watch.lag_s(900, 1710.0) == 0.0  # caught up
    assert watch.lag_s(None, 1710.0) == 0.0  # not a standby
    with _connect(s, s.db_port) as conn:  # the primary is not one: no replay position
        assert conn.execute(reads.REPLAYED_LSN).fetchone() == (None,)
    engine = make_engine(s, service=True)
    with engine.connect() as conn:
        backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        for _ in range(6):  # psycopg prepares a query run five times on a connection
            conn.exec_driver_sql(
                "SELECT count(*) FROM property_unit WHERE municipality = %s", ("244",)
            )
        conn.commit()
    reads.LagWatch(engine, [], router).poll()
    with engine.connect() as conn:  # the same connection (the pool's last used)
        assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() == backend
        prepared = conn.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar()
        conn.commit()
    engine.dispose()
    assert prepared and prepared > 0, "a poll made the connection forget its prepared statements"
    router.behind[0] = True
    down = s.model_copy(update={"database_url": "postgresql+psycopg://x:y@127.0.0.1:1/none"})
    reads.LagWatch(make_engine(down), [make_engine(down)], router).poll()
    assert router.behind == [False]
