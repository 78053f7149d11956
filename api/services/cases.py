"""What every application service shares: access, optimistic locking, events, the stored row.

Every change to an application locks its row (SELECT ... FOR UPDATE), compares the version
the writer read (a stale one answers 409 and nothing is written), makes its changes and bumps
the version, all in one transaction: two officers acting at once are serialised on the row
lock, the second finds the version moved on and is refused, and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from api import finland, rulesets
from api.services import policy
from api.services.policy import CaseAccess, User
from api.settings import Settings
from api.storage import models as m
from api.storage.engine import fetch_all
from geo.errors import NotFound, check_version
from geo.rules import Ruleset


def rules_of(settings: Settings, r: dict[str, Any]) -> Ruleset:
    """The rules of the application's municipality on its filing date (today for a draft)."""
    on = r["filed_on"] or finland.today()
    return rulesets.rules_for(settings.rulesets_dir, r["municipality"], on)


def one_line(name: str | None) -> str | None:
    """A name as one line of single spaces (None for a blank one): the applicant's, a party's."""
    if name is None:
        return None
    return " ".join(name.split()) or None


def not_found(app_id: int) -> NotFound:
    """The answer for an application that does not exist or is someone else's."""
    return NotFound(f"application {app_id} does not exist", application_id=app_id)


def access(conn: Connection, app_id: int) -> CaseAccess:
    """Who an application belongs to (for the policy); 404 when there is none."""
    rows = fetch_all(conn, "application_access", i=app_id)
    if not rows:
        raise not_found(app_id)
    r = rows[0]
    return CaseAccess(
        application_id=r["application_id"],
        municipality=r["municipality"],
        created_by=r["created_by"],
        state=r["state"],
        filed=bool(r["filed"]),
        editors=frozenset(r["editors"] or ()),
        signers=frozenset(r["signers"] or ()),
    )


def visible(conn: Connection, user: User | None, app_id: int) -> tuple[User, CaseAccess]:
    """The reader and the application's access record: 401 anonymous, 404 someone else's."""
    a = access(conn, app_id)
    return policy.check_view_case(user, a), a


def row(conn: Connection, app_id: int) -> dict[str, Any]:
    """The stored application row."""
    r = conn.execute(select(m.application).where(m.application.c.id == app_id)).mappings().first()
    if r is None:
        raise not_found(app_id)
    return dict(r)


def serialise(conn: Connection, app_id: int) -> dict[str, Any]:
    """Lock the application's row for this transaction, without checking a version.

    Only for a change no other writer can make (an invitee answering their own invitation).
    """
    stmt = select(m.application).where(m.application.c.id == app_id).with_for_update()
    r = conn.execute(stmt).mappings().first()
    if r is None:
        raise not_found(app_id)
    return dict(r)


def lock(
    conn: Connection, app_id: int, version: int | None, *, required: bool = True
) -> dict[str, Any]:
    """Lock the application's row for this transaction and check the version the writer read.

    Without a version nothing is changed and the answer is 428 (a change made on an old copy
    would undo another's); with a stale one nothing is changed and the answer is 409.
    `required` False: the steps issue 11's contract for scripts writes without a version
    (submit, send the letters, an addressee's status, publish the contacts) apply to the case
    as it is when none is sent; they are checked against its state, under this lock.
    """
    r = serialise(conn, app_id)
    if version is not None or required:
        check_version(version, r["version"], f"application {app_id}", application_id=app_id)
    return dict(r)


def bump(conn: Connection, app_id: int, **values: Any) -> int:
    """Write `values` to the locked application, with the next version; return that version."""
    stmt = (
        update(m.application)
        .where(m.application.c.id == app_id)
        .values(version=m.application.c.version + 1, updated_at=func.now(), **values)
        .returning(m.application.c.version)
    )
    return int(conn.execute(stmt).scalar_one())


def event(
    conn: Connection,
    app_id: int,
    user: User | None,
    name: str,
    *,
    on: dt.date | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    **detail: Any,
) -> None:
    """Record something that happened to the case (the timeline); no personal data in `detail`."""
    conn.execute(
        insert(m.application_event).values(
            application_id=app_id,
            on_date=on,
            event=name,
            from_state=from_state,
            to_state=to_state,
            user_id=user.id if user else None,
            role=user.role if user else None,
            detail=detail,
        )
    )
