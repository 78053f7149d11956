"""`rajapiste serve` on a free port of 127.0.0.1 for the bench scripts: a real socket, as clients meet it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def serving(**env_extra: str) -> Iterator[str]:
    """Serve (default workers: CPU count) until the block ends; yield the base URL once ready.

    A bench is one client sending thousands of costly requests: no rate limit, and no log line
    per request. `env_extra` sets further RAJAPISTE_* variables.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "RAJAPISTE_RATE_LIMIT_BURST": "100000000",
        "RAJAPISTE_ACCESS_LOG": "0",
        **env_extra,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
