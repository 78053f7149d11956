"""`rajapiste serve`: the API and the map."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import console, engine
from api.settings import get_settings
from api.storage.migrations import migrate


def serve(
    host: Annotated[str | None, typer.Option("--host")] = None,
    port: Annotated[int | None, typer.Option("--port")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="processes (default: CPU count)")
    ] = None,
) -> None:
    """Serve the API and the map (OpenAPI at /docs) with one process per CPU by default."""
    import uvicorn

    settings = get_settings()
    eng = engine()
    migrate(eng)
    eng.dispose()
    h, p = host or settings.host, port or settings.port
    n = workers or os.cpu_count() or 1
    if n > 1 and not settings.worker_state_file:
        # one rate-limit budget and one last-write time per client across the workers
        shared = Path(tempfile.mkdtemp(prefix="rajapiste-")) / "worker-state"
        os.environ["RAJAPISTE_WORKER_STATE_FILE"] = str(shared)
    console.print(f"serving Rajapiste on http://{h}:{p} with {n} worker(s) (API docs at /docs)")
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=h,
        port=p,
        workers=n,
        log_level="warning",
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )
