"""Neighbour lists of a property or a drawn site."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from api.http.auth import CallerDep
from api.http.deps import ConnDep, SettingsDep
from api.schemas.geojson import OUT_CRS_HELP
from api.schemas.neighbours import CaseKind, HeardBy, NeighbourList
from api.schemas.problem import errors
from api.schemas.requests import DATE_HELP, HEARD_HELP, KIND_HELP, SENT_HELP, SiteRequest
from api.services import privacy, sites

router = APIRouter(prefix="/api/v1", tags=["neighbours"])


@router.get("/parcels/{property_id}/neighbours", responses=errors(401, 404, 422))
def property_neighbours(
    property_id: str,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
    date: Annotated[dt.date | None, Query(description=DATE_HELP)] = None,
    crs: Annotated[str | None, Query(description=OUT_CRS_HELP)] = None,
    kind: Annotated[CaseKind, Query(description=KIND_HELP)] = "building_permit",
    letters_sent: Annotated[dt.date | None, Query(description=SENT_HELP)] = None,
    heard_by: Annotated[HeardBy, Query(description=HEARD_HELP)] = "authority",
) -> NeighbourList:
    """Neighbours of a property unit (all its parcels), with evidence; owners as the caller may see them."""
    case = sites.hearing_case(kind, heard_by, letters_sent)
    doc = sites.neighbours_of_property(conn, settings, property_id, date, crs, case)
    return privacy.disclose_list(conn, caller, doc)


@router.post("/neighbours", responses=errors(401, 422))
def site_neighbours(
    body: SiteRequest, conn: ConnDep, settings: SettingsDep, caller: CallerDep
) -> NeighbourList:
    """Neighbours of a drawn site (GeoJSON, EPSG:4326 unless `crs` says otherwise)."""
    case = sites.hearing_case(body.kind, body.heard_by, body.letters_sent)
    doc = sites.neighbours_of_drawing(
        conn, settings, body.site, body.crs, body.municipality, body.date, body.out_crs, case
    )
    return privacy.disclose_list(conn, caller, doc)
