"""The engine of the configured database, and short helpers to run named queries on it."""

from __future__ import annotations

import re
import select
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.rows import RowFactory, dict_row, tuple_row
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, InterfaceError, InvalidatePoolError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api.settings import Settings
from api.storage import cluster
from api.storage.sqlfiles import script

TUPLES_OK = psycopg.pq.ExecStatus.TUPLES_OK  # a statement that gave rows (none or more)
WRITES_TO = "rajapiste_writes_to"  # a replica connection's info: the primary's engine


def make_engine(settings: Settings, *, service: bool = False) -> Engine:
    """Create the engine for the configured database (embedded or RAJAPISTE_DATABASE_URL).

    A connection taken from the pool is checked by its socket, and pinged only after a long
    idle (`_check_before_use`): a database restart costs no request and a connection in use
    no round trip. Commits are durable (synchronous_commit on). The service's engine
    (`service=True`) also bounds every statement and the wait for a pooled connection, so
    that one slow request cannot hold the others' connections; imports and migrations run
    unbounded.

    The service's prepared statements (psycopg prepares a query run five times on a
    connection) keep one generic plan: its queries are small probes on the GiST indexes whose
    plan does not depend on the values, but PostgreSQL's default re-plans a spatial query for
    each set of values when its estimate for them looks cheaper, and that planning cost more
    than running it (neighbour list SQL at 1 M: p95 3.4-4.3 ms re-planned, 2.5-2.7 ms not).
    """
    options = "-c synchronous_commit=on"
    if service:
        ms = settings.statement_timeout_ms
        options += f" -c statement_timeout={ms} -c idle_in_transaction_session_timeout={4 * ms}"
        options += " -c plan_cache_mode=force_generic_plan"
    engine = create_engine(
        cluster.service_url(settings) if service else cluster.database_url(settings),
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        pool_use_lifo=True,  # the most recently used connection: its prepared statements are warm
        pool_timeout=settings.pool_timeout_s if service else 30.0,
        connect_args={
            "connect_timeout": settings.db_connect_timeout_s,
            "options": f"{settings.db_session_options} {options}",
        },
    )
    _check_before_use(engine, settings.pool_ping_after_idle_s)
    return engine


def _check_before_use(engine: Engine, ping_after_s: float) -> None:
    """Check each connection taken from the pool, asking the server only after a long idle.

    An idle connection of ours has nothing to read: the server speaks only when asked (no
    LISTEN here). When the server ends the session (a restart, `pg_terminate_backend`,
    `idle_session_timeout`) it writes its last message and closes the socket, which then
    reads: the connection is refused. SQLAlchemy's pre-ping asked the server every time
    instead, a round trip on every request (on a slow hour 0.2 ms of a map tile's 0.7 ms in
    the client's CPU alone, and the server's). A connection that has been idle longer than
    `ping_after_s` is still pinged, as pre-ping did: a firewall or a failed-over address can
    drop an idle connection without closing it, and nothing would read. A refused connection
    raises `InvalidatePoolError`: the pool connects afresh in its place and retires every
    older connection too, as pre-ping did. A new connection is not checked (it has just
    answered), so a check never fails twice in one checkout.
    """
    ping = engine.dialect.do_ping

    def connected(dbapi_connection: Any, record: Any) -> None:
        record.info["rajapiste_new"] = True

    def checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info["rajapiste_idle_since"] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        if record.info.pop("rajapiste_new", False):
            return
        conn: psycopg.Connection[Any] = dbapi_connection
        if conn.closed:
            raise InvalidatePoolError("the connection was closed")
        poll = select.poll()
        poll.register(conn.pgconn.socket, select.POLLIN)  # a closed socket reads
        if poll.poll(0):
            raise InvalidatePoolError("the server closed the connection while it was in the pool")
        idle = time.monotonic() - record.info.get("rajapiste_idle_since", 0.0)
        if idle > ping_after_s:
            try:
                ping(dbapi_connection)
            except psycopg.Error as error:
                raise InvalidatePoolError(f"no answer after {idle:.0f} s idle: {error}") from error

    event.listen(engine, "connect", connected)
    event.listen(engine, "checkin", checked_in)
    event.listen(engine, "checkout", checkout)


def writing_to(replica: Engine, primary: Engine) -> None:
    """Mark every connection of a read replica's engine: its writes go to `primary`'s.

    A hot standby refuses every write (SQLSTATE 25006), but a read may have one to make: the
    audit row of the personal data it shows (`audit.record`). A read also asks the primary
    what a lagging replica may not know yet: whether a sign-in token is still live
    (`accounts.user_for_token`).
    """

    @event.listens_for(replica, "connect")
    def connected(dbapi_connection: Any, record: Any) -> None:
        record.info[WRITES_TO] = primary


def primary_of(conn: Connection) -> Engine | None:
    """The primary's engine when `conn` is a read replica's (see `writing_to`), else None."""
    engine: Engine | None = conn.info.get(WRITES_TO)
    return engine


class PrimaryUnavailable(Exception):
    """A replica's read needed the primary, which could not serve it: HTTP 503 with `code`.

    The primary did not answer in time (down, busy, slow) or refused a write (read only, as
    while failing over). The primary's fault, not the replica's: the replica stays in turn (`http/reads.py`).
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@contextmanager
def on_primary(primary: Engine, code: str, detail: str) -> Iterator[Connection]:
    """A connection to the primary for a replica's read, in autocommit.

    Each statement is its own transaction, without the round trips of BEGIN and COMMIT (as
    `deps.with_conn`).

    PrimaryUnavailable(code, detail) when the primary cannot serve it; other database errors
    are raised as they are.
    """
    try:
        with primary.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            yield conn
            if conn.in_transaction():  # SQLAlchemy's own begin; nothing goes to the server
                conn.commit()
    except (DBAPIError, PoolTimeout) as exc:
        orig = getattr(exc, "orig", None)
        down = isinstance(exc, OperationalError | InterfaceError | PoolTimeout)
        if down or isinstance(orig, psycopg.errors.ReadOnlySqlTransaction):
            raise PrimaryUnavailable(code, detail) from exc
        raise


def fetch_all(conn: Connection, name: str, **params: Any) -> list[dict[str, Any]]:
    """Run a named query and return its rows as dicts (none for a statement without rows).

    It runs on the connection's psycopg cursor, in the transaction SQLAlchemy keeps (begun
    here when none is), so commit and rollback stay SQLAlchemy's. SQLAlchemy's own execution
    built a result's metadata from the cursor for each statement: a third of a neighbour
    list's CPU in the service (0.10 ms a trivial query, 0.03 ms on the cursor). A database
    error is raised as SQLAlchemy raises it (`DBAPIError.instance`: IntegrityError, ...).
    Whether the statement gave rows is read from its result's status, not from
    `cursor.description`, which builds a column object per column on every call (6 % of a
    neighbour list's time in the service).
    """
    return _fetch(conn, name, dict_row, params)


def fetch_tuples(conn: Connection, name: str, **params: Any) -> list[tuple[Any, ...]]:
    """`fetch_all`, with each row a tuple (the many rows a live neighbour computation reads)."""
    return _fetch(conn, name, tuple_row, params)


def _fetch(conn: Connection, name: str, rows: RowFactory[Any], params: dict[str, Any]) -> list[Any]:
    if not conn.in_transaction():
        conn.begin()
    raw: Any = conn.connection.driver_connection
    try:
        with raw.cursor(row_factory=rows) as cur:
            run_named(cur, name, **params)
            res = cur.pgresult
            return cur.fetchall() if res is not None and res.status == TUPLES_OK else []
    except psycopg.Error as error:
        raise DBAPIError.instance(psycopg_text(name), params, error, psycopg.Error) from error


def run_script(conn: Connection, name: str) -> None:
    """Run a named multi-statement script (no bind parameters) in the current transaction."""
    conn.exec_driver_sql(script(name))


@contextmanager
def raw_cursor(engine: Engine) -> Iterator[Any]:
    """Yield a psycopg cursor (for COPY) in one transaction: committed on success, else rolled back."""
    with engine.begin() as sa_conn:
        conn: Any = sa_conn.connection.driver_connection
        with conn.cursor() as cur:
            yield cur


_BIND = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@lru_cache(maxsize=64)
def psycopg_text(name: str) -> str:
    """A named query in psycopg's parameter style (:name becomes %(name)s, % becomes %%)."""
    return _BIND.sub(r"%(\1)s", script(name).replace("%", "%%"))


def run_named(cur: Any, name: str, **params: Any) -> Any:
    """Run a named query with bind parameters on a raw psycopg cursor (inside an import)."""
    return cur.execute(psycopg_text(name), params)
