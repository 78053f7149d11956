"""Read-only requests on replicas (RAJAPISTE_READ_DATABASE_URLS), everything else on the primary.

- GET and HEAD, and the POSTs that only compute an answer (`READ_ONLY_POSTS`: a drawn
  site's neighbours, hearing list and package, a site analysis, a dig check), go to the
  replicas in turn; writes, and a client's reads for `read_your_writes_s` after its last
  write (by its token, else its address), go to the primary, so nobody misses their own
  change to replication lag. A POST that stores nothing is no write: it does not send the
  client's next reads to the primary.
- A replica that does not answer is skipped for `replica_down_s` and the read goes to the
  next one or the primary (as it does, without skipping the replica after, when all of the
  replica's connections are in use); a read that fails on a replica mid-way is run again on the
  primary (a read-only POST's body, bounded by the body limit outside, is kept to be sent
  again), so a replica that stops costs no read.
- A signed-in read checks its token on the primary (a replica lags behind a sign-out), and
  a read that writes (the audit row of personal data it shows) writes there (`engines`);
  when the primary cannot answer, the answer is the primary's fault (503) and the replica
  stays in turn. Any other write a replica refuses (503 `read_only`,
  `faults.py`) runs the read again on the primary without taking the replica out of turn.
- A replica whose data is more than `replica_max_lag_s` behind the primary's is out of turn
  until it catches up (`LagWatch`: how long ago the primary had written what the replica
  has not replayed yet, asked every second); with the primary down, lag is not known and
  every replica is in turn.
- `X-Database: primary|replica-N` on each response says which one served it.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from prometheus_client import Gauge
from sqlalchemy import Connection, Engine
from sqlalchemy import exc as sa
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http import bodies
from api.http.faults import DB_FAULT, PRIMARY_FAILED, READ_ONLY
from api.http.limits import client_key
from api.http.shared import SharedSlots
from api.settings import Settings
from api.storage.engine import make_engine, writing_to

log = logging.getLogger("rajapiste.db")
LAG = Gauge("rajapiste_replica_lag_seconds", "How far each replica's data is behind", ["replica"])
LAG_POLL_S = 1.0  # how often a worker asks the primary and the replicas where they are
READS = ("GET", "HEAD")
# POSTs that store nothing, served as reads: a drawn site's answers (what they show of personal
# data is audited on the primary, as a GET's is)
READ_ONLY_POSTS = re.compile(
    r"^/api/v1/(neighbours|hearing/(list(\.csv)?|package(/form)?)|analysis/site"
    r"|excavations/check)$"
)
# and the geometry readers, which use no database: no write either
STORES_NOTHING = re.compile(r"^/api/v1/geometry/(geojson|geopackage)$")


def is_read(scope: Scope) -> bool:
    """Whether a request only reads (a replica may serve it)."""
    method = scope.get("method")
    if method in READS:
        return True
    return method == "POST" and READ_ONLY_POSTS.match(scope.get("path", "")) is not None


def engines(settings: Settings, primary: Engine) -> list[Engine]:
    """One engine per replica URL (bounded as the service's primary engine is).

    What a read writes (the audit row of personal data it shows) goes to `primary`.
    """
    out = []
    for url in settings.read_url_list():
        engine = make_engine(settings.model_copy(update={"database_url": url}), service=True)
        writing_to(engine, primary)
        out.append(engine)
    return out


class Router:
    """Picks a replica for a read, remembers writers and replicas that are down."""

    def __init__(self, count: int, settings: Settings) -> None:
        self.turn = itertools.cycle(range(count))
        self.count = count
        self.down_until = [0.0] * count
        self.behind = [False] * count  # more than replica_max_lag_s behind (LagWatch)
        self.writers: dict[str, float] = {}
        self.settings = settings
        path = settings.worker_state_file
        self.shared = SharedSlots(path, "last_write") if path else None

    def wrote(self, key: str) -> None:
        """Remember that this client just wrote (its reads go to the primary for a while)."""
        now = time.monotonic()
        until = now + self.settings.read_your_writes_s
        if self.shared:
            self.shared.update(key, lambda _a, _b: (until, 0.0, None))
            return
        if len(self.writers) > 10_000:
            self.writers = {k: t for k, t in self.writers.items() if t > now}
        self.writers[key] = until

    def _until(self, key: str) -> float:
        """Until when this client reads from the primary (its last write plus the delay)."""
        if self.shared:
            return self.shared.update(key, lambda a, b: (a, b, a))
        return self.writers.get(key, 0.0)

    def candidates(self, key: str) -> list[int]:
        """The replicas to try for this client's read, in order (none: the primary)."""
        now = time.monotonic()
        if self._until(key) > now:
            return []
        first = next(self.turn)
        order = [(first + i) % self.count for i in range(self.count)]
        return [i for i in order if self.down_until[i] <= now and not self.behind[i]]

    def lagged(self, i: int, seconds: float) -> None:
        """Note how far replica `i`'s data is behind; out of turn beyond the limit."""
        LAG.labels(str(i + 1)).set(seconds)
        behind = seconds > self.settings.replica_max_lag_s
        if behind != self.behind[i]:
            state = "out of turn" if behind else "back in turn"
            log.warning("replica-%d is %.1f s behind the primary: %s", i + 1, seconds, state)
        self.behind[i] = behind

    def mark_down(self, i: int) -> None:
        """Skip replica `i` for a while."""
        self.down_until[i] = time.monotonic() + self.settings.replica_down_s


PRIMARY_LSN = "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"
# a standby's replay position (NULL: not a standby, as a server after crash recovery or a
# promotion, whose replay position stays where it ended)
REPLAYED_LSN = (
    "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() - '0/0'::pg_lsn END"
)
LAG_SHOWN_S = 3600.0  # how far back the samples reach: the metric shows lag up to an hour


class LagWatch:
    """How far behind the primary each replica's data is, asked every `LAG_POLL_S` in a thread.

    A replica's lag is how long ago the primary had first written past what the replica has
    replayed: the WAL positions the primary had (`samples`, kept for an hour) against the
    replica's replay position. An idle primary and a replica that has replayed everything
    are 0 s apart, however long ago the last write was. A worker counts from its start: a
    replica already far behind then is out of turn `replica_max_lag_s` later (the age of its
    last replayed transaction would say more, but after an idle hour it says an hour of a
    write made a second ago). With the primary down, lag is not known: every replica is in
    turn (a replica behind is better than none).
    """

    def __init__(self, primary: Engine, replicas: list[Engine], router: Router) -> None:
        self.primary = primary
        self.replicas = replicas
        self.router = router
        self.samples: deque[tuple[float, int]] = deque()
        self.keep_s = max(router.settings.replica_max_lag_s + 5 * LAG_POLL_S, LAG_SHOWN_S)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="replica-lag", daemon=True)

    def start(self) -> None:
        """Start asking."""
        self.thread.start()

    def stop(self) -> None:
        """Stop asking (waits for the thread)."""
        self.stopped.set()
        self.thread.join(10)

    def _run(self) -> None:
        while not self.stopped.wait(LAG_POLL_S):
            self.poll()

    @staticmethod
    def _ask(engine: Engine, sql: str) -> int | None:
        # in autocommit, as a request's one hop: a rollback would make psycopg forget the
        # prepared statements of the pool's warmest connection (deps.end_read)
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            value = conn.exec_driver_sql(sql).scalar()
            if conn.in_transaction():
                conn.commit()
        return None if value is None else int(value)

    def poll(self) -> None:
        """Ask the primary, then each replica, where they are; note each replica's lag."""
        now = time.monotonic()
        try:
            written = self._ask(self.primary, PRIMARY_LSN)
        except (sa.DBAPIError, sa.TimeoutError):
            for i in range(len(self.replicas)):  # down or busy: lag not known
                self.router.lagged(i, 0.0)
            return
        if written is not None and (not self.samples or self.samples[-1][1] != written):
            self.samples.append((now, written))
        while len(self.samples) > 1 and self.samples[1][0] < now - self.keep_s:
            self.samples.popleft()
        for i, engine in enumerate(self.replicas):
            try:
                replayed = self._ask(engine, REPLAYED_LSN)
            except (sa.DBAPIError, sa.TimeoutError):
                continue  # down: the requests find that out (Router.mark_down)
            self.router.lagged(i, self.lag_s(replayed, now))

    def lag_s(self, replayed: int | None, now: float) -> float:
        """Seconds since the primary first had WAL past `replayed`.

        As far as the samples reach back (an hour). 0 when the replica has caught up, or is not a standby (no replay position).
        """
        if replayed is None:
            return 0.0
        for at, lsn in self.samples:
            if lsn > replayed:
                return now - at
        return 0.0


@contextmanager
def connect(request: Request) -> Iterator[Connection]:
    """A connection for this request: a replica's for a read when there are any, else the primary's."""
    state = request.app.state
    replicas: list[Engine] = getattr(state, "read_engines", [])
    router: Router | None = getattr(state, "read_router", None)
    scope_state = request.scope.setdefault("state", {})
    tries = []
    if replicas and router and is_read(request.scope) and not scope_state.get("primary_only"):
        tries = router.candidates(client_key(request.scope))
    for i in tries:
        try:
            conn = replicas[i].connect()
        except sa.DBAPIError:
            router.mark_down(i)  # type: ignore[union-attr]
            continue
        except sa.TimeoutError:  # its connections all in use: the next one, in turn after
            continue
        scope_state["database"] = f"replica-{i + 1}"
        scope_state["replica_index"] = i
        with conn:
            yield conn
        return
    scope_state["database"] = "primary"
    with state.engine.connect() as conn:
        yield conn


class ReadRouting:
    """Note writers; run a read that failed on a replica once more on the primary."""

    def __init__(self, app: ASGIApp, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route by method; retry a replica's 503 on the primary."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not is_read(scope):
            if not STORES_NOTHING.match(scope.get("path", "")):
                self.router.wrote(client_key(scope))
            await self.app(scope, receive, send)
            return
        # a read-only POST's body, kept to be sent again
        body = None if scope.get("method") in READS else (await bodies.read_all(receive))[1]
        held: list[Message] = []

        async def hold_unavailable(message: Message) -> None:
            if held or (message["type"] == "http.response.start" and message["status"] == 503):
                held.append(message)
                return
            await send(message)

        await self.app(scope, _replay(body, receive), hold_unavailable)
        state = scope.get("state") or {}
        index = state.get("replica_index")
        if held and index is not None and not state.get(PRIMARY_FAILED):
            # the replica failed mid-read: the primary answers
            # neither a refused write nor a busy moment is the replica failing
            if not state.get(READ_ONLY) and state.get(DB_FAULT) != "busy":
                self.router.mark_down(index)
            scope["state"] = {**scope.get("state", {}), "primary_only": True}
            scope["state"].pop("replica_index", None)
            await self.app(scope, _replay(body, receive), send)
            return
        for message in held:
            await send(message)


def _replay(body: list[Message] | None, receive: Receive) -> Receive:
    """A `receive` for one run of the app: the kept body, then the client's own messages.

    The client's own `receive` when no body was kept (a GET).
    """
    return receive if body is None else bodies.replay(body, receive)


def database_header(scope: Scope) -> list[tuple[bytes, bytes]]:
    """The X-Database header of a response (which database served it), when known."""
    db: Any = (scope.get("state") or {}).get("database")
    return [(b"x-database", str(db).encode())] if db else []


def watch(app: FastAPI) -> LagWatch | None:
    """Start watching the replicas' lag (when there are any); stop it at shutdown."""
    router: Router | None = getattr(app.state, "read_router", None)
    if router is None:
        return None
    watcher = LagWatch(app.state.engine, app.state.read_engines, router)
    watcher.start()
    return watcher


def install(app: FastAPI, settings: Settings) -> None:
    """Route reads to replicas when RAJAPISTE_READ_DATABASE_URLS lists any."""
    count = len(settings.read_url_list())
    if count:
        router = Router(count, settings)
        app.state.read_router = router
        app.add_middleware(ReadRouting, router=router)
