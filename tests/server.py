"""`rajapiste serve` (uvicorn) on a real socket, for tests that need a client from outside."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent  # not tests.conftest: the bench imports this


@contextmanager
def serving(db_name: str | None, workers: int | None = 1, **env_extra: str) -> Iterator[str]:
    """Serve database `db_name` on a free port of 127.0.0.1; yield the base URL once ready, then stop.

    `db_name` None: the one RAJAPISTE_DB_NAME names. `workers` None: one per CPU (serve's
    default). `env_extra` sets further RAJAPISTE_* variables of the server (e.g. another state
    dir). One worker by default: read-your-writes memory is per process (README, replicas).
    The benchmarks start their servers here too (bench/local_server.py).
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RAJAPISTE_ACCESS_LOG": "0", **env_extra}  # no log line per request
    if db_name is not None:
        env["RAJAPISTE_DB_NAME"] = db_name
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers)] if workers is not None else []
    proc = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/v1/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("rajapiste serve did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def from_every_worker(
    base: str, path: str, headers: dict[str, str] | None = None, n: int = 8
) -> list[httpx.Response]:
    """GET `path` on n connections opened first and then used at once, so that every worker of
    a multi-worker server answers some (one connection after another lands on one worker)."""
    clients = [httpx.Client(base_url=base, headers=headers, timeout=60) for _ in range(n)]
    try:
        for c in clients:
            c.get("/api/v1/config")
        with ThreadPoolExecutor(n) as pool:
            return list(pool.map(lambda c: c.get(path), clients))
    finally:
        for c in clients:
            c.close()
