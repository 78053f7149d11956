"""`rajapiste serve` on a free port of 127.0.0.1 for the bench scripts: a real socket, as clients meet it."""

from __future__ import annotations

import os
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


def _with_children(roots: set[str]) -> set[str]:
    """The processes `roots` and their children (Linux /proc)."""
    procs = [p.name for p in Path("/proc").iterdir() if p.name.isdigit()]
    return roots | {pid for pid in procs if _status(pid).get("PPid", "").strip() in roots}


def server_pids(base: str) -> set[str]:
    """The server serving `base` and its workers."""
    port = base.rsplit(":", 1)[1]
    main = set()
    for p in Path("/proc").iterdir():
        try:
            cmd = (p / "cmdline").read_bytes().split(b"\0") if p.name.isdigit() else []
        except OSError:
            continue
        if b"serve" in cmd and port.encode() in cmd:
            main.add(p.name)
    return _with_children(main)


def postgres_pids(pgdata: Path) -> set[str]:
    """The embedded cluster's backends of client connections (its postmaster.pid names the
    server whose children they are); not its background workers, such as autovacuum's."""
    try:
        postmaster = (pgdata / "postmaster.pid").read_text().split()[0]
    except (OSError, IndexError):
        return set()
    backends = set()
    for pid in _with_children({postmaster}) - {postmaster}:
        try:
            title = (Path("/proc") / pid / "cmdline").read_bytes()
        except OSError:
            continue
        if b"127.0.0.1(" in title or b"[local]" in title:  # "postgres: user db host(port) ..."
            backends.add(pid)
    return backends


def cpu_s(pids: set[str]) -> dict[str, float]:
    """The CPU seconds (user and system) each process has used so far (ended ones left out)."""
    out = {}
    for pid in pids:
        try:
            fields = (Path("/proc") / pid / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def cpu_since(before: dict[str, float], pids: set[str]) -> float:
    """The CPU seconds `pids` used since `before` was read; processes started since count whole.

    A process that ended in between is lost (PostgreSQL's backends live as long as the
    service's pooled connections, so a run loses none).
    """
    return sum(now - before.get(pid, 0.0) for pid, now in cpu_s(pids).items())


def worker_peak_mib(base: str) -> float:
    """The largest peak resident memory (VmHWM) of the server serving `base` and its workers.

    Read from /proc while it runs (Linux): the bench process's own count of its children
    would include its size at the fork, which is the whole generated town's.
    """
    peaks = [_status(pid).get("VmHWM", "0 kB").split()[0] for pid in server_pids(base)]
    return max((int(k) for k in peaks if k.isdigit()), default=0) / 1024


def workers_of(base: str, client_ports: list[int]) -> list[str | None]:
    """Which server process holds each client's connection (by the client's local port).

    Read from /proc (Linux, IPv4 loopback): the server's end of the connection in
    /proc/net/tcp, then the process holding that socket; None where it is not found.
    """
    port = int(base.rsplit(":", 1)[1])
    inode_of: dict[int, str] = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
        if int(local.split(":")[1], 16) == port and state == "01" and inode != "0":  # established
            inode_of[int(remote.split(":")[1], 16)] = inode
    holder: dict[str, str] = {}
    for pid in server_pids(base):
        try:
            fds = list((Path("/proc") / pid / "fd").iterdir())
        except OSError:  # the process ended meanwhile
            continue
        for fd in fds:
            try:
                link = os.readlink(fd)
            except OSError:  # closed meanwhile
                continue
            if link.startswith("socket:["):
                holder[link[8:-1]] = pid
    return [holder.get(inode_of.get(p, "")) for p in client_ports]
