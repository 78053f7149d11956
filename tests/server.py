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

import httpx

from tests.conftest import ROOT


@contextmanager
def serving(db_name: str, workers: int = 1, **env_extra: str) -> Iterator[str]:
    """Serve database `db_name` on a free port of 127.0.0.1; yield the base URL, then stop.

    `env_extra` sets further RAJAPISTE_* variables of the server (e.g. another state dir).
    One worker by default: read-your-writes memory is per process (README, replicas).
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # stderr is a pipe nobody reads while the server runs: no log line per request
    env = {**os.environ, "RAJAPISTE_DB_NAME": db_name, "RAJAPISTE_ACCESS_LOG": "0", **env_extra}
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
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
