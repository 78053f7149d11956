"""Street-excavation permits: check, store, edit, list, lifecycle (each permit is its creator's)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import Connection

from api.http.auth import UserDep
from api.http.deps import ConnDep, SettingsDep, with_conn
from api.http.lang import LangDep
from api.schemas.excavations import (
    ExcavationCheck,
    ExcavationCreated,
    Permit,
    StateChanged,
    StoredApplication,
    Works,
)
from api.schemas.problem import errors
from api.schemas.requests import ExcavationIn, StateChange
from api.services import excavations, policy
from api.services.policy import User

router = APIRouter(prefix="/api/v1/excavations", tags=["excavations"])


def _readable(conn: Connection, user: User | None, permit_id: int) -> excavations.PermitAccess:
    """A permit the user may read (its creator, the municipality's officers, admins): else 401/404."""
    a = excavations.access_of(conn, permit_id)
    policy.check_view_permit(user, permit_id, a.municipality, a.created_by, a.filed)
    return a


@router.post("/check", responses=errors(422))
async def check(
    request: Request, body: ExcavationIn, settings: SettingsDep, lang: LangDep
) -> ExcavationCheck:
    """Check a draft (not stored): findings, fee, inspections, data coverage. Open to anyone."""
    return await with_conn(request, lambda conn: excavations.check(conn, settings, body, lang=lang))


@router.post("", status_code=201, responses=errors(401, 422))
def create(
    body: ExcavationIn,
    conn: ConnDep,
    settings: SettingsDep,
    user: UserDep,
    lang: LangDep,
    draft: Annotated[bool, Query(description="store as a draft instead of submitting")] = False,
) -> ExcavationCreated:
    """Check and store an application of the signed-in user; returns its id.

    The check's texts (findings, fee note, suggested conditions) are in `lang`.
    """
    who = policy.require_user(user)
    state = "draft" if draft else "submitted"
    return excavations.create(conn, settings, body, by=who, state=state, lang=lang)


@router.get("", responses=errors(422))
def list_works(
    conn: ConnDep,
    user: UserDep,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None,
    from_: Annotated[dt.date | None, Query(alias="from")] = None,
    to: dt.date | None = None,
) -> Works:
    """Works in a bbox and period as GeoJSON, for the map (applicants only to those who may read them)."""
    return excavations.list_geojson(conn, bbox, from_, to, viewer=user)


@router.get("/{permit_id}", responses=errors(401, 404))
def get_permit(permit_id: int, conn: ConnDep, settings: SettingsDep, user: UserDep) -> Permit:
    """A stored permit: to its creator, the municipality's officers and admins."""
    _readable(conn, user, permit_id)
    return excavations.get(conn, settings, permit_id)


@router.get("/{permit_id}/check", responses=errors(401, 404))
def check_permit(
    permit_id: int, conn: ConnDep, settings: SettingsDep, user: UserDep, lang: LangDep
) -> ExcavationCheck:
    """A stored permit checked again on today's data, by the rules of its filing day.

    What its officer reads before approving it: an approval is refused (409) while it is not
    `grantable`. To its creator, the municipality's officers and admins.
    """
    _readable(conn, user, permit_id)
    return excavations.stored_check(conn, settings, permit_id, lang)


@router.post("/{permit_id}/check", responses=errors(401, 404, 409, 422))
def check_edit(
    permit_id: int,
    body: ExcavationIn,
    conn: ConnDep,
    settings: SettingsDep,
    user: UserDep,
    lang: LangDep,
) -> ExcavationCheck:
    """Check an edit of a stored permit before saving it (`PUT`); nothing is stored.

    As the save checks it: its own stored works are no clash with it, and a filed one keeps
    the rules of its filing day. To its creator, the municipality's officers and admins.
    """
    a = _readable(conn, user, permit_id)
    return excavations.check_edit(conn, settings, a, permit_id, body, lang)


@router.get("/{permit_id}/application", responses=errors(401, 404))
def stored_application(permit_id: int, conn: ConnDep, user: UserDep) -> StoredApplication:
    """The application as stored, in EPSG:4326, with the permit's `version`: what an edit starts from.

    Its phases and dig areas as `PUT` takes them back (a dig line as drawn, with its phase's
    `width_m`; one stored before lines were kept as the area it covers). To its creator, the
    municipality's officers and admins.
    """
    _readable(conn, user, permit_id)
    return excavations.stored_application(conn, permit_id)


@router.put("/{permit_id}", responses=errors(401, 403, 404, 409, 422, 428))
def edit_permit(
    permit_id: int,
    body: ExcavationIn,
    conn: ConnDep,
    settings: SettingsDep,
    user: UserDep,
    lang: LangDep,
) -> ExcavationCreated:
    """Replace the contents of one's own draft or submitted application (checked again)."""
    a = excavations.access_of(conn, permit_id)
    policy.check_edit_permit(user, permit_id, a.municipality, a.created_by, a.filed)
    return excavations.update(conn, settings, permit_id, body, lang)


@router.post("/{permit_id}/state", responses=errors(401, 403, 404, 409, 422, 428))
def change_state(
    permit_id: int, body: StateChange, conn: ConnDep, settings: SettingsDep, user: UserDep
) -> StateChanged:
    """Step the lifecycle: submitted → approved or refused; approved → started → … → guarantee_ended.

    An approval gives the conditions it is granted on (`conditions`); a refusal ('refused')
    gives its reason (`reason`) and ends the application. Both may say how and when the
    decision was sent (`notice`: by letter on the decision's day unless told), which starts the
    rectification claim's period.

    The applicant may only submit, return to draft or withdraw their own; the municipality's
    officers take the other steps.
    """
    a = excavations.access_of(conn, permit_id)
    policy.check_step(user, permit_id, a.municipality, a.created_by, body.state, a.filed)
    return excavations.change_state(
        conn,
        settings,
        permit_id,
        body.state,
        body.date,
        body.version,
        by=user,
        conditions=body.conditions,
        reason=body.reason,
        notice=body.notice,
    )
