"""The embedded database: a project-owned PostgreSQL + PostGIS cluster.

It lives in a data directory of the project's (default ``.rajapiste/``), listens
on 127.0.0.1 on its own port (never the system cluster's 5432) and a unix
socket in that directory. initdb refuses to run as root, so when invoked as
root the server runs as the unprivileged ``postgres`` user; that user must be
able to enter every parent of the data directory, so a clone under a 0700 home
gets its cluster under /var/lib/rajapiste/<hash> instead (``db status`` says
where).
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from api.settings import Settings

SERVER_USER = "postgres"
DB_USER = "rajapiste"
# The service's login role: reads and writes rows through rajapiste_app, owns nothing.
SERVICE_USER = "rajapiste_service"
APP_ROLE = "rajapiste_app"


class ClusterError(RuntimeError):
    """The embedded cluster could not be set up or started."""


@dataclass(frozen=True)
class Layout:
    """Where the embedded cluster keeps its files."""

    state: Path
    pgdata: Path
    socket_dir: Path
    log: Path
    password_file: Path
    port: int


def bindir() -> Path:
    """Return the newest PostgreSQL bin directory that has PostGIS installed."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    for cand in reversed(candidates):
        version = Path(cand).parent.name
        if glob.glob(f"/usr/share/postgresql/{version}/extension/postgis.control"):
            return Path(cand)
    raise ClusterError(
        "no PostgreSQL with PostGIS found under /usr/lib/postgresql; run `make deps` "
        "(apt-get install postgresql postgresql-15-postgis-3)"
    )


def _is_root() -> bool:
    return os.geteuid() == 0


def _traversable_by(path: Path, user: str) -> bool:
    try:
        pw = pwd.getpwnam(user)
    except KeyError:
        return False
    for parent in [path, *path.parents]:
        if not parent.exists():
            continue
        st = parent.stat()
        if st.st_uid == pw.pw_uid:
            if not st.st_mode & 0o100:
                return False
        elif st.st_gid == pw.pw_gid:
            if not st.st_mode & 0o010:
                return False
        elif not st.st_mode & 0o001:
            return False
    return True


def layout(settings: Settings) -> Layout:
    """Return the cluster's file layout, relocated when the server user cannot reach it."""
    state = settings.state_dir.resolve()
    cluster_root = state
    if _is_root() and not _traversable_by(state.parent, SERVER_USER):
        digest = hashlib.sha1(str(state).encode()).hexdigest()[:12]
        cluster_root = Path("/var/lib/rajapiste") / digest
    port_file = state / "db.port"
    port = int(port_file.read_text()) if port_file.exists() else settings.db_port
    return Layout(
        state=state,
        pgdata=cluster_root / "pgdata",
        socket_dir=cluster_root / "run",
        log=cluster_root / "postgres.log",
        password_file=state / "db.password",
        port=port,
    )


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _choose_port(settings: Settings) -> int:
    """The configured port, or the next free one when another server holds it (recorded)."""
    for port in range(settings.db_port, settings.db_port + 100):
        if _port_free(port):
            return port
    raise ClusterError(f"no free port in {settings.db_port}..{settings.db_port + 99} on 127.0.0.1")


def service_url(settings: Settings) -> str:
    """The URL the service connects with: RAJAPISTE_DATABASE_URL or the embedded service role.

    Until `db up` has made that role in an older cluster, the owner's is used.
    """
    lay = layout(settings)
    secret = lay.state / "db.service.password"
    if settings.database_url or not secret.exists():
        return database_url(settings, owner=False)
    password = quote(secret.read_text().strip(), safe="")
    return f"postgresql+psycopg://{SERVICE_USER}:{password}@127.0.0.1:{lay.port}/{settings.db_name}"


def _ensure_service_role(conn: Any, lay: Layout) -> None:
    """Create (or re-key) the service's login role and make it a member of rajapiste_app."""
    secret = lay.state / "db.service.password"
    password = secret.read_text().strip() if secret.exists() else secrets.token_urlsafe(18)
    for role, login in ((APP_ROLE, False), (SERVICE_USER, True)):
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            conn.execute(f"CREATE ROLE {role} {'LOGIN' if login else 'NOLOGIN'}")
    # the role's password is not a bind parameter in DDL: quoted by the server's own function
    quoted = conn.execute("SELECT quote_literal(%s)", (password,)).fetchone()[0]
    conn.execute(
        f"ALTER ROLE {SERVICE_USER} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {quoted}"
    )
    conn.execute(f"GRANT {APP_ROLE} TO {SERVICE_USER}")
    if not secret.exists():
        secret.write_text(password + "\n")
        os.chmod(secret, 0o600)


def database_url(settings: Settings, owner: bool = True) -> str:
    """Return the owner's SQLAlchemy URL (migrations, imports), or the service's (`owner=False`).

    RAJAPISTE_MIGRATE_DATABASE_URL, else RAJAPISTE_DATABASE_URL, else the embedded cluster's.
    """
    if settings.database_url:
        url = (owner and settings.migrate_database_url) or settings.database_url
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    lay = layout(settings)
    if not lay.password_file.exists():
        raise ClusterError(
            "the embedded database is not set up: run `rajapiste db up` "
            "(or set RAJAPISTE_DATABASE_URL to an existing PostGIS)"
        )
    password = quote(lay.password_file.read_text().strip(), safe="")
    return f"postgresql+psycopg://{DB_USER}:{password}@127.0.0.1:{lay.port}/{settings.db_name}"


def _run(
    cmd: list[str], *, as_server: bool, check: bool = True
) -> subprocess.CompletedProcess[str]:
    if as_server and _is_root():
        cmd = ["runuser", "-u", SERVER_USER, "--", *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise ClusterError(f"{' '.join(cmd)} failed:\n{proc.stdout}{proc.stderr}")
    return proc


def _chown(path: Path) -> None:
    if _is_root():
        pw = pwd.getpwnam(SERVER_USER)
        os.chown(path, pw.pw_uid, pw.pw_gid)


def is_running(settings: Settings) -> bool:
    """True when the embedded cluster's postmaster is up."""
    lay = layout(settings)
    if not (lay.pgdata / "PG_VERSION").exists():
        return False
    proc = _run(
        [str(bindir() / "pg_ctl"), "-D", str(lay.pgdata), "status"], as_server=True, check=False
    )
    return proc.returncode == 0


def init(settings: Settings) -> bool:
    """Create the cluster if it does not exist; return True when it was created."""
    lay = layout(settings)
    if (lay.pgdata / "PG_VERSION").exists():
        if lay.password_file.exists():
            return False
        # A relocated cluster left by an earlier clone at this same path: its password
        # went with that clone, so nobody can log in. Start over.
        _run(
            [str(bindir() / "pg_ctl"), "-D", str(lay.pgdata), "-m", "immediate", "-w", "stop"],
            as_server=True,
            check=False,
        )
        shutil.rmtree(lay.pgdata, ignore_errors=True)
    if _is_root():
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError as exc:
            raise ClusterError(
                f"user {SERVER_USER!r} missing: install PostgreSQL with `make deps`"
            ) from exc
    lay.state.mkdir(parents=True, exist_ok=True)
    port = _choose_port(settings)
    (lay.state / "db.port").write_text(f"{port}\n")
    lay = layout(settings)
    for d in (lay.pgdata.parent, lay.pgdata, lay.socket_dir):
        d.mkdir(parents=True, exist_ok=True)
        _chown(d)
    os.chmod(lay.pgdata, 0o700)
    password = lay.password_file.read_text().strip() if lay.password_file.exists() else None
    if not password:
        password = secrets.token_urlsafe(18)
        lay.password_file.write_text(password + "\n")
        os.chmod(lay.password_file, 0o600)
    pwfile = lay.pgdata.parent / ".initpw"
    pwfile.write_text(password + "\n")
    _chown(pwfile)
    try:
        _run(
            [
                str(bindir() / "initdb"),
                "-D",
                str(lay.pgdata),
                "-U",
                DB_USER,
                "--pwfile",
                str(pwfile),
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
            ],
            as_server=True,
        )
    finally:
        pwfile.unlink(missing_ok=True)
    conf = lay.pgdata / "postgresql.auto.conf"
    with conf.open("a") as fh:
        fh.write(
            "# Rajapiste embedded cluster\n"
            f"port = {lay.port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{lay.socket_dir}'\n"
            "shared_buffers = '1GB'\n"
            "work_mem = '64MB'\n"
            "maintenance_work_mem = '1GB'\n"
            "max_wal_size = '4GB'\n"
            "jit = off\n"
        )
    return True


def start(settings: Settings) -> None:
    """Start the cluster (init first if needed) and create the project database."""
    init(settings)
    lay = layout(settings)
    _durable(lay)
    if not is_running(settings):
        _run(
            [
                str(bindir() / "pg_ctl"),
                "-D",
                str(lay.pgdata),
                "-l",
                str(lay.log),
                "-w",
                "-t",
                "60",
                "start",
            ],
            as_server=True,
        )
    _ensure_database(settings)


def _durable(lay: Layout) -> None:
    """Drop `synchronous_commit = off` that older set-ups wrote: an acknowledged write must last."""
    conf = lay.pgdata / "postgresql.auto.conf"
    if conf.exists() and "synchronous_commit = off" in (text := conf.read_text()):
        conf.write_text(text.replace("synchronous_commit = off\n", ""))


def _ensure_database(settings: Settings) -> None:
    import psycopg

    lay = layout(settings)
    password = lay.password_file.read_text().strip()
    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(
                host="127.0.0.1",
                port=lay.port,
                user=DB_USER,
                password=password,
                dbname="postgres",
                autocommit=True,
                connect_timeout=3,
            ) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (settings.db_name,)
                ).fetchone()
                if not exists:
                    conn.execute(f'CREATE DATABASE "{settings.db_name}"')
                _ensure_service_role(conn, lay)
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def stop(settings: Settings) -> None:
    """Stop the cluster if it runs."""
    lay = layout(settings)
    if is_running(settings):
        _run(
            [str(bindir() / "pg_ctl"), "-D", str(lay.pgdata), "-m", "fast", "-w", "stop"],
            as_server=True,
        )


def destroy(settings: Settings) -> None:
    """Stop and delete the cluster's files (used by tests of a fresh set-up)."""
    stop(settings)
    lay = layout(settings)
    shutil.rmtree(
        lay.pgdata.parent if lay.pgdata.parent != lay.state else lay.pgdata, ignore_errors=True
    )
    lay.password_file.unlink(missing_ok=True)
    (lay.state / "db.port").unlink(missing_ok=True)


def status(settings: Settings) -> dict[str, str]:
    """Describe the cluster: where it is, whether it runs, how to connect."""
    lay = layout(settings)
    return {
        "data_dir": str(lay.pgdata),
        "port": str(lay.port),
        "initialised": str((lay.pgdata / "PG_VERSION").exists()),
        "running": str(is_running(settings)),
        "log": str(lay.log),
    }
