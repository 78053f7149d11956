"""Street-excavation permits: check, store, list, lifecycle."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import ConnDep, SettingsDep
from api.schemas import ExcavationIn, StateChange
from api.services import excavations

router = APIRouter(prefix="/api/v1/excavations", tags=["excavations"])


@router.post("/check")
def check(body: ExcavationIn, conn: ConnDep, settings: SettingsDep) -> dict[str, Any]:
    """Check a draft (not stored): findings, fee, inspections."""
    return excavations.check(conn, settings, body)


@router.post("", status_code=201)
def create(body: ExcavationIn, conn: ConnDep, settings: SettingsDep) -> dict[str, Any]:
    """Check and store an application; returns its id."""
    return excavations.create(conn, settings, body)


@router.get("")
def list_works(
    conn: ConnDep,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None,
    from_: Annotated[dt.date | None, Query(alias="from")] = None,
    to: dt.date | None = None,
) -> dict[str, Any]:
    """Works in a bbox and period as GeoJSON, for the map."""
    return excavations.list_geojson(conn, bbox, from_, to)


@router.get("/{permit_id}")
def get_permit(permit_id: int, conn: ConnDep) -> dict[str, Any]:
    """A stored permit."""
    return excavations.get(conn, permit_id)


@router.post("/{permit_id}/state")
def change_state(
    permit_id: int, body: StateChange, conn: ConnDep, settings: SettingsDep
) -> dict[str, Any]:
    """Step the lifecycle: submitted → approved → started → finished → accepted → guarantee_ended."""
    return excavations.change_state(conn, settings, permit_id, body.state, body.date)
