"""The officer's hearing list (with manual changes) and its printable package."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.http.deps import ConnDep, SettingsDep
from api.schemas.neighbours import NeighbourList
from api.schemas.problem import errors
from api.schemas.requests import HearingPackageIn
from api.services import hearing_package, mapdata, sites

router = APIRouter(prefix="/api/v1/hearing", tags=["neighbours"])


@router.post("/list", responses=errors(404, 422))
def hearing_list(body: HearingPackageIn, conn: ConnDep, settings: SettingsDep) -> NeighbourList:
    """The neighbour list with the officer's additions and removals, letters recounted."""
    return sites.hearing_list(conn, settings, body)


@router.post("/package", response_class=HTMLResponse, responses=errors(404, 422))
def package(
    body: HearingPackageIn, request: Request, conn: ConnDep, settings: SettingsDep
) -> HTMLResponse:
    """A printable hearing package: the neighbour list with the officer's changes, and a map."""
    doc = sites.hearing_list(conn, settings, body)
    html = hearing_package.render(doc, body.lang, mapdata.attribution(conn), str(request.base_url))
    return HTMLResponse(html)
