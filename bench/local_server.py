"""`rajapiste serve` on a free port of 127.0.0.1 for the bench scripts: a real socket, as clients meet it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(
    0, str(ROOT)
)  # the tests' server starter and map check (tests/server.py, tests/web/mapkit.py)

from tests import server  # noqa: E402


@contextmanager
def serving(**env_extra: str) -> Iterator[str]:
    """Serve (default workers: CPU count) until the block ends; yield the base URL once ready.

    A bench is one client sending thousands of costly requests: no rate limit, and no log line
    per request. The database is the one RAJAPISTE_DB_NAME names; `env_extra` sets further
    RAJAPISTE_* variables.
    """
    with server.serving(None, None, RAJAPISTE_RATE_LIMIT_BURST="100000000", **env_extra) as base:
        yield base
