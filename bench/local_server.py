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


def _status(pid: str) -> dict[str, str]:
    try:
        lines = (Path("/proc") / pid / "status").read_text().splitlines()
    except OSError:  # the process ended meanwhile
        return {}
    return dict(line.split(":", 1) for line in lines if ":" in line)


def worker_peak_mib(base: str) -> float:
    """The largest peak resident memory (VmHWM) of the server serving `base` and its workers.

    Read from /proc while it runs (Linux): the bench process's own count of its children
    would include its size at the fork, which is the whole generated town's.
    """
    port = base.rsplit(":", 1)[1]
    procs = [p.name for p in Path("/proc").iterdir() if p.name.isdigit()]
    cmd = {}
    for pid in procs:
        try:
            cmd[pid] = (Path("/proc") / pid / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
    main = {pid for pid, c in cmd.items() if b"serve" in c and port.encode() in c}
    family = main | {pid for pid in procs if _status(pid).get("PPid", "").strip() in main}
    peaks = [_status(pid).get("VmHWM", "0 kB").split()[0] for pid in family]
    return max((int(k) for k in peaks if k.isdigit()), default=0) / 1024
