"""FastAPI dependencies: settings and a per-request connection from the app's pool."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from api.http import reads
from api.settings import Settings
from api.storage.engine import fetch_all


def get_conn(request: Request) -> Iterator[Connection]:
    """Yield a connection for one request, in a transaction rolled back unless committed."""
    with reads.connect(request) as conn:  # a replica's for a read when there are replicas
        yield conn
        end_read(conn)


T = TypeVar("T")


async def with_conn(request: Request, work: Callable[[Connection], T]) -> T:
    """Run `work` on a connection as `get_conn` gives one, all in one hop to a worker thread.

    For the hot endpoints (neighbour lists, site analysis, dig check, map tiles): `get_conn`
    and a sync endpoint take at least three hops between the event loop and the thread pool
    (the connection, the endpoint, the connection's end), and FastAPI a fourth to check a
    response model. Each is a wake-up that waits for a core when the machine is busy.

    The connection is in autocommit: each statement runs in a transaction of its own, with no
    BEGIN and COMMIT, two round trips fewer. These endpoints read, and a transaction would
    give their reads no common snapshot (at the default READ COMMITTED each statement takes
    its own); the one row they write, the audit trail's (`audit.record`), is one statement,
    committed before the response that holds the personal data is sent. A map tile reads its
    layer's version and the tile in one statement.
    """

    def run() -> T:
        with reads.connect(request) as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            out = work(conn)
            if conn.in_transaction():  # SQLAlchemy's own begin; nothing goes to the server
                conn.commit()
            return out

    return await run_in_threadpool(run)


def end_read(conn: Connection) -> None:
    """End a request's transaction that only read by committing it, not rolling it back.

    The two are the same for a transaction that wrote nothing, but psycopg forgets every
    prepared statement on a rollback: each request would plan its queries again (a spatial
    join's planning alone took 6.6 ms at 1 M parcels). A transaction that wrote and did not
    commit is left to the rollback, as is every request that failed.
    """
    if conn.in_transaction() and not fetch_all(conn, "transaction_wrote")[0]["wrote"]:
        conn.commit()


async def get_app_settings(request: Request) -> Settings:
    """Return the settings the app was created with (async: no I/O, so no hop to a thread)."""
    settings: Settings = request.app.state.settings
    return settings


ConnDep = Annotated[Connection, Depends(get_conn)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
