"""Read-only requests on replicas (RAJAPISTE_READ_DATABASE_URLS), everything else on the primary.

- GET and HEAD, and the POSTs that only compute an answer (`READ_ONLY_POSTS`: a drawn
  site's neighbours, hearing list and package, a site analysis, a dig check), go to the
  replicas in turn; writes, and a client's reads for `read_your_writes_s` after its last
  write (by its token, else its address), go to the primary, so nobody misses their own
  change to replication lag. A POST that stores nothing is no write: it does not send the
  client's next reads to the primary.
- A replica that does not answer is skipped for `replica_down_s` and the read goes to the
  next one or the primary; a read that fails on a replica mid-way is run again on the
  primary (a read-only POST's body, bounded by the body limit outside, is kept to be sent
  again), so a replica that stops costs no read.
- A signed-in read checks its token on the primary (a replica lags behind a sign-out), and
  a read that writes (the audit row of personal data it shows) writes there (`engines`);
  when the primary cannot answer, the answer is the primary's fault (503) and the replica
  stays in turn. Any other write a replica refuses (503 `read_only`,
  `faults.py`) runs the read again on the primary without taking the replica out of turn.
- `X-Database: primary|replica-N` on each response says which one served it.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy import Connection, Engine
from sqlalchemy import exc as sa
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.faults import PRIMARY_FAILED, READ_ONLY
from api.http.limits import client_key
from api.http.shared import SharedSlots
from api.settings import Settings
from api.storage.engine import make_engine, writing_to

READS = ("GET", "HEAD")
# POSTs that store nothing: a drawn site's answers (what they show of personal data is audited
# on the primary, as a GET's is) and the geometry readers, which use no database
READ_ONLY_POSTS = re.compile(
    r"^/api/v1/(neighbours|hearing/(list(\.csv)?|package(/form)?)|analysis/site"
    r"|excavations/check)$"
)
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
        return [i for i in order if self.down_until[i] <= now]

    def mark_down(self, i: int) -> None:
        """Skip replica `i` for a while."""
        self.down_until[i] = time.monotonic() + self.settings.replica_down_s


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
        body = None if scope.get("method") in READS else await _read_body(receive)
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
            if not state.get(READ_ONLY):  # a refused write is no fault of the replica's
                self.router.mark_down(index)
            scope["state"] = {**scope.get("state", {}), "primary_only": True}
            scope["state"].pop("replica_index", None)
            await self.app(scope, _replay(body, receive), send)
            return
        for message in held:
            await send(message)


async def _read_body(receive: Receive) -> list[Message]:
    """A read-only POST's body, read whole (the body limit outside bounds it)."""
    body: list[Message] = []
    while True:
        message = await receive()
        body.append(message)
        if message["type"] != "http.request" or not message.get("more_body"):
            return body


def _replay(body: list[Message] | None, receive: Receive) -> Receive:
    """A `receive` for one run of the app: the kept body, then the client's own messages.

    The client's own `receive` when no body was kept (a GET).
    """
    if body is None:
        return receive
    left = iter(body)

    async def replay() -> Message:
        return next(left, None) or await receive()

    return replay


def database_header(scope: Scope) -> list[tuple[bytes, bytes]]:
    """The X-Database header of a response (which database served it), when known."""
    db: Any = (scope.get("state") or {}).get("database")
    return [(b"x-database", str(db).encode())] if db else []


def install(app: FastAPI, settings: Settings) -> None:
    """Route reads to replicas when RAJAPISTE_READ_DATABASE_URLS lists any."""
    count = len(settings.read_url_list())
    if count:
        router = Router(count, settings)
        app.state.read_router = router
        app.add_middleware(ReadRouting, router=router)
