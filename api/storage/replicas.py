"""Hot-standby replicas of the embedded cluster, by PostgreSQL's own streaming replication.

Each replica is a `pg_basebackup -R` copy of the primary in its own data directory beside
it, on the next free port, read-only (hot standby), following the primary's WAL. The
service reads from them when RAJAPISTE_READ_DATABASE_URLS lists them (`db up --replicas N`
prints the value); see api/http/reads.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from api.settings import Settings
from api.storage import cluster


@dataclass(frozen=True)
class Replica:
    """Where one replica keeps its files and listens."""

    n: int
    pgdata: Path
    port: int
    log: Path


def replica(settings: Settings, n: int) -> Replica:
    """The files and port of replica `n` (1, 2, …); the port is chosen once and recorded."""
    lay = cluster.layout(settings)
    root = lay.pgdata.parent / f"replica-{n}"
    port_file = lay.state / f"replica-{n}.port"
    free = (p for p in range(lay.port + n, lay.port + n + 100) if cluster._port_free(p))
    port = int(port_file.read_text()) if port_file.exists() else next(free)
    return Replica(n, root / "pgdata", port, root / "postgres.log")


def _run(cmd: list[str], password: str) -> None:
    if cluster._is_root():
        cmd = ["runuser", "-u", cluster.SERVER_USER, "--", *cmd]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, "PGPASSWORD": password}
    )
    if proc.returncode != 0:
        raise cluster.ClusterError(f"{' '.join(cmd)} failed:\n{proc.stdout}{proc.stderr}")


def _create(settings: Settings, r: Replica, password: str) -> None:
    """Copy the primary into the replica's directory as a standby (primary_conninfo written)."""
    lay = cluster.layout(settings)
    r.pgdata.parent.mkdir(parents=True, exist_ok=True)
    cluster._chown(r.pgdata.parent)
    base = cluster.bindir() / "pg_basebackup"
    _run(
        [
            str(base),
            "-h",
            "127.0.0.1",
            "-p",
            str(lay.port),
            "-U",
            cluster.DB_USER,
            "-D",
            str(r.pgdata),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        ],
        password,
    )
    run_dir = r.pgdata.parent / "run"
    run_dir.mkdir(exist_ok=True)
    cluster._chown(run_dir)
    with (r.pgdata / "postgresql.auto.conf").open("a") as fh:
        fh.write(
            f"# replica {r.n} of the Rajapiste embedded cluster\n"
            f"port = {r.port}\nunix_socket_directories = '{run_dir}'\n"
            "hot_standby = on\nshared_buffers = '128MB'\nmaintenance_work_mem = '64MB'\n"
        )
    (lay.state / f"replica-{r.n}.port").write_text(f"{r.port}\n")


def start(settings: Settings, count: int) -> list[Replica]:
    """Create (if needed) and start `count` replicas of the running primary."""
    lay = cluster.layout(settings)
    password = lay.password_file.read_text().strip()
    out = []
    for n in range(1, count + 1):
        r = replica(settings, n)
        if not (r.pgdata / "PG_VERSION").exists():
            _create(settings, r, password)
        if not running(r):
            ctl = cluster.bindir() / "pg_ctl"
            _run([str(ctl), "-D", str(r.pgdata), "-l", str(r.log), "-w", "-t", "60", "start"], "")
        out.append(r)
    return out


def running(r: Replica) -> bool:
    """Whether a replica's server runs."""
    if not (r.pgdata / "PG_VERSION").exists():
        return False
    try:
        _run([str(cluster.bindir() / "pg_ctl"), "-D", str(r.pgdata), "status"], "")
    except cluster.ClusterError:
        return False
    return True


def stop(r: Replica) -> None:
    """Stop a replica (fast: its sessions end)."""
    if running(r):
        _run(
            [str(cluster.bindir() / "pg_ctl"), "-D", str(r.pgdata), "-m", "fast", "-w", "stop"], ""
        )


def existing(settings: Settings) -> list[Replica]:
    """The replicas made so far (by their recorded ports)."""
    state = cluster.layout(settings).state
    ns = sorted(int(p.stem.split("-")[1]) for p in state.glob("replica-*.port"))
    return [replica(settings, n) for n in ns]


def destroy(settings: Settings) -> None:
    """Stop and delete every replica."""
    for r in existing(settings):
        stop(r)
        shutil.rmtree(r.pgdata.parent, ignore_errors=True)
        (cluster.layout(settings).state / f"replica-{r.n}.port").unlink(missing_ok=True)


def read_urls(settings: Settings, replicas: list[Replica]) -> str:
    """The RAJAPISTE_READ_DATABASE_URLS value for these replicas (the service's role)."""
    secret = cluster.layout(settings).state / "db.service.password"
    user, pw_file = (
        (cluster.SERVICE_USER, secret)
        if secret.exists()
        else (cluster.DB_USER, cluster.layout(settings).password_file)
    )
    password = quote(pw_file.read_text().strip(), safe="")
    return ",".join(
        f"postgresql+psycopg://{user}:{password}@127.0.0.1:{r.port}/{settings.db_name}"
        for r in replicas
    )
