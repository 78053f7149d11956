"""Street-excavation permits: check, store, list, lifecycle."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from api.http.deps import ConnDep, SettingsDep
from api.schemas.excavations import ExcavationCheck, ExcavationCreated, Permit, StateChanged, Works
from api.schemas.problem import errors
from api.schemas.requests import ExcavationIn, StateChange
from api.services import excavations

router = APIRouter(prefix="/api/v1/excavations", tags=["excavations"])


@router.post("/check", responses=errors(422))
def check(body: ExcavationIn, conn: ConnDep, settings: SettingsDep) -> ExcavationCheck:
    """Check a draft (not stored): findings, fee, inspections."""
    return excavations.check(conn, settings, body)


@router.post("", status_code=201, responses=errors(422))
def create(body: ExcavationIn, conn: ConnDep, settings: SettingsDep) -> ExcavationCreated:
    """Check and store an application; returns its id."""
    return excavations.create(conn, settings, body)


@router.get("", responses=errors(422))
def list_works(
    conn: ConnDep,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None,
    from_: Annotated[dt.date | None, Query(alias="from")] = None,
    to: dt.date | None = None,
) -> Works:
    """Works in a bbox and period as GeoJSON, for the map."""
    return excavations.list_geojson(conn, bbox, from_, to)


@router.get("/{permit_id}", responses=errors(404))
def get_permit(permit_id: int, conn: ConnDep) -> Permit:
    """A stored permit."""
    return excavations.get(conn, permit_id)


@router.post("/{permit_id}/state", responses=errors(404, 409, 422))
def change_state(
    permit_id: int, body: StateChange, conn: ConnDep, settings: SettingsDep
) -> StateChanged:
    """Step the lifecycle: submitted → approved → started → finished → accepted → guarantee_ended."""
    return excavations.change_state(conn, settings, permit_id, body.state, body.date)
