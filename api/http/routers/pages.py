"""The map application's page and the service's health."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.http.assets import web_dir
from api.http.deps import ConnDep
from api.schemas.meta import Health
from api.services import mapdata

router = APIRouter()


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    """The map application."""
    return FileResponse(web_dir() / "static" / "index.html", media_type="text/html")


@router.get("/api/v1/health", tags=["meta"])
def health(conn: ConnDep) -> Health:
    """Report whether the database answers and how much data it holds."""
    return mapdata.health(conn)
