"""Neighbour lists of a property or a drawn site."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import ConnDep, SettingsDep
from api.schemas import SiteRequest
from api.services import sites

router = APIRouter(prefix="/api/v1", tags=["neighbours"])


@router.get("/parcels/{property_id}/neighbours")
def property_neighbours(
    property_id: str,
    conn: ConnDep,
    settings: SettingsDep,
    date: dt.date | None = None,
    crs: Annotated[str | None, Query(description="CRS of returned geometries")] = None,
) -> dict[str, Any]:
    """Neighbours of a property unit (all its parcels), with owners and evidence."""
    return sites.neighbours_of_property(conn, settings, property_id, date, crs)


@router.post("/neighbours")
def site_neighbours(body: SiteRequest, conn: ConnDep, settings: SettingsDep) -> dict[str, Any]:
    """Neighbours of a drawn site (GeoJSON, EPSG:4326 unless `crs` says otherwise)."""
    return sites.neighbours_of_drawing(
        conn, settings, body.site, body.crs, body.municipality, body.date, body.out_crs
    )
