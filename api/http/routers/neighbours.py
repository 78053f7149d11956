"""Neighbour lists of a property or a drawn site."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from api.http.auth import CallerDep
from api.http.deps import ConnDep, SettingsDep
from api.schemas.neighbours import NeighbourList
from api.schemas.problem import errors
from api.schemas.requests import SiteRequest
from api.services import privacy, sites

router = APIRouter(prefix="/api/v1", tags=["neighbours"])


@router.get("/parcels/{property_id}/neighbours", responses=errors(401, 404, 422))
def property_neighbours(
    property_id: str,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
    date: dt.date | None = None,
    crs: Annotated[str | None, Query(description="CRS of returned geometries")] = None,
) -> NeighbourList:
    """Neighbours of a property unit (all its parcels), with evidence; owners as the caller may see them."""
    doc = sites.neighbours_of_property(conn, settings, property_id, date, crs)
    return privacy.disclose_list(conn, caller, doc)


@router.post("/neighbours", responses=errors(401, 422))
def site_neighbours(
    body: SiteRequest, conn: ConnDep, settings: SettingsDep, caller: CallerDep
) -> NeighbourList:
    """Neighbours of a drawn site (GeoJSON, EPSG:4326 unless `crs` says otherwise)."""
    doc = sites.neighbours_of_drawing(
        conn, settings, body.site, body.crs, body.municipality, body.date, body.out_crs
    )
    return privacy.disclose_list(conn, caller, doc)
