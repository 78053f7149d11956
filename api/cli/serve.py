"""`rajapiste serve`: the API and the map."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import console, engine
from api.settings import get_settings
from api.storage.migrations import migrate


def serve(
    host: Annotated[str | None, typer.Option("--host")] = None,
    port: Annotated[int | None, typer.Option("--port")] = None,
    workers: Annotated[int, typer.Option("--workers")] = 1,
) -> None:
    """Serve the API and the map (OpenAPI at /docs)."""
    import uvicorn

    settings = get_settings()
    eng = engine()
    migrate(eng)
    eng.dispose()
    h, p = host or settings.host, port or settings.port
    console.print(f"serving Rajapiste on http://{h}:{p} (API docs at /docs)")
    uvicorn.run(
        "api.app:create_app", factory=True, host=h, port=p, workers=workers, log_level="warning"
    )
