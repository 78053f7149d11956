"""FastAPI dependencies: settings and a per-request connection from the app's pool."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Connection

from api.http import reads
from api.settings import Settings


def get_conn(request: Request) -> Iterator[Connection]:
    """Yield a connection for one request, in a transaction rolled back unless committed."""
    with reads.connect(request) as conn:  # a replica's for a read when there are replicas
        yield conn


def get_app_settings(request: Request) -> Settings:
    """Return the settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


ConnDep = Annotated[Connection, Depends(get_conn)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
