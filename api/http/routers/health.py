"""Liveness and readiness for orchestrators and load balancers (no table is counted)."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.deps import ConnDep
from api.schemas.health import Live, Ready
from api.schemas.problem import errors
from api.services import health

router = APIRouter(prefix="/api/v1/health", tags=["meta"])


@router.get("/live")
def live() -> Live:
    """The process answers: restart it only when this fails (the database is not checked)."""
    return Live()


@router.get("/ready", responses=errors(503))
def ready(conn: ConnDep) -> Ready:
    """The database answers and its migrations are current: send traffic only when this is 200."""
    return health.ready(conn)
