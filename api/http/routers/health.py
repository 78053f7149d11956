"""Liveness and readiness for orchestrators and load balancers (no table is counted)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection

from api.http.deps import get_conn
from api.schemas.health import Live, Ready
from api.schemas.problem import errors
from api.services import health

router = APIRouter(prefix="/api/v1/health", tags=["meta"])


@router.get("/live")
def live() -> Live:
    """The process answers: restart it only when this fails (the database is not checked)."""
    return Live()


def _primary(request: Request) -> Iterator[Connection]:
    """The primary's connection even when replicas serve reads: it is the one writes need."""
    request.scope.setdefault("state", {})["primary_only"] = True
    yield from get_conn(request)


@router.get("/ready", responses=errors(503))
def ready(conn: Annotated[Connection, Depends(_primary)]) -> Ready:
    """The primary database answers and its migrations are current: send traffic only when 200.

    Asked of the primary whatever replicas there are: with the primary down, reads might still
    be served, but no sign-in, application or import could be.
    """
    return health.ready(conn)
