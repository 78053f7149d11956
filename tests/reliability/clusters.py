"""A small embedded cluster of a test's own (for tests that stop and start PostgreSQL)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection

from api.settings import Settings
from api.storage import cluster, replicas
from api.storage.engine import make_engine
from api.storage.migrations import migrate
from tests.conftest import TEST_PASSWORD

T = TypeVar("T")

DIG = {  # a 2 m square in Kempele, EPSG:3067
    "type": "Polygon",
    "coordinates": [
        [
            [427000, 7198000],
            [427002, 7198000],
            [427002, 7198002],
            [427000, 7198002],
            [427000, 7198000],
        ]
    ],
}


@contextmanager
def own_cluster(settings: Settings, state: Path, name: str, port_offset: int) -> Iterator[Settings]:
    """Start a migrated cluster in `state` (small buffers: the machine is shared); then delete it,
    keeping its server logs beside `state` (`<name>-logs`)."""
    # the first free port from the offset on: a second suite on the machine (a fresh clone's)
    # has clusters of its own at the same offsets
    free = (p for p in range(settings.db_port + port_offset, 65535, 7) if cluster._port_free(p))
    s = settings.model_copy(update={"state_dir": state, "db_port": next(free), "db_name": name})
    cluster.init(s)
    with (cluster.layout(s).pgdata / "postgresql.auto.conf").open("a") as fh:
        fh.write("shared_buffers = '64MB'\nmaintenance_work_mem = '64MB'\n")
    cluster.start(s)
    eng = make_engine(s)
    migrate(eng)
    eng.dispose()
    try:
        yield s
    finally:
        _keep_logs(s, state.parent / f"{name}-logs")
        replicas.destroy(s)
        cluster.destroy(s)


def _keep_logs(s: Settings, where: Path) -> None:
    """Copy the server logs of the cluster and its replicas out of the files deleted next (to
    pytest's temporary folder, kept for its last three runs), for a failure to be read after."""
    where.mkdir(exist_ok=True)
    logs = [(cluster.layout(s).log, "primary")]
    logs += [(r.log, f"replica-{r.n}") for r in replicas.existing(s)]
    for log, who in logs:
        if log.exists():
            shutil.copyfile(log, where / f"{who}.log")


def on_cluster(s: Settings, work: Callable[[Connection], T]) -> T:
    """Run `work` on a connection to that cluster's database (an engine of its own, disposed)."""
    eng = make_engine(s)
    try:
        with eng.connect() as conn:
            return work(conn)
    finally:
        eng.dispose()


def token(
    s: Settings, email: str, role: str = "contractor", municipality: str | None = None
) -> str:
    """A bearer token of a new account (a contractor's unless told) in that cluster."""
    from api.services import accounts

    def issue(conn: Connection) -> str:
        user = accounts.add_user(conn, s, email, role, municipality, TEST_PASSWORD)
        return accounts.issue_token(conn, s, user).token

    return on_cluster(s, issue)
