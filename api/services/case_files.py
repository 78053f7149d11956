"""Attachments and parties of an application.

Attachments are checked by what their bytes are (PDF, PNG or JPEG, matching the name's
extension and the declared type) and by size, then stored in the database in the same
transaction as the case's new version: a file is stored whole or not at all. Parties are
invited by e-mail; an invited account accepts and may then read the case and edit its draft.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select, update

from api import i18n
from api.schemas.applications import Application, Attachment, Party
from api.schemas.requests import PartyIn
from api.services import case_view, cases, policy
from api.services.accounts import normalise_email
from api.services.policy import User
from api.settings import Settings
from api.storage import models as m
from geo.applications import checklist, states
from geo.errors import Conflict, InvalidInput, NotFound

# What a file's first bytes say it is -> (its MIME type, the extensions it may have).
SIGNATURES: tuple[tuple[bytes, str, tuple[str, ...]], ...] = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as it arrived: its name, declared type and bytes."""

    name: str
    content_type: str | None
    data: bytes


def check_file(upload: Upload, max_bytes: int) -> str:
    """The file's true type; 422 for an empty, too large or unknown file, or a disguised one."""
    size = len(upload.data)
    if size == 0:
        raise InvalidInput(f"{upload.name}: the file is empty")
    if size > max_bytes:
        raise InvalidInput(
            f"{upload.name}: {size:,} bytes, more than the {max_bytes:,} allowed", size_bytes=size
        )
    for magic, mime, exts in SIGNATURES:
        if upload.data.startswith(magic):
            if not upload.name.lower().endswith(exts):
                raise InvalidInput(f"{upload.name}: the file is {mime} but its name ends otherwise")
            declared = (upload.content_type or mime).split(";")[0].strip().lower()
            if declared not in (mime, "application/octet-stream"):
                raise InvalidInput(f"{upload.name}: sent as {declared} but the file is {mime}")
            return mime
    kinds = ", ".join(m for _, m, _ in SIGNATURES)
    raise InvalidInput(f"{upload.name}: not an accepted file type ({kinds})")


def attach(
    conn: Connection,
    settings: Settings,
    user: User | None,
    app_id: int,
    kind: str,
    upload: Upload,
    version: int | None,
) -> Attachment:
    """Store an attachment of one of the checklist's kinds (or 'other')."""
    _, a = cases.visible(conn, user, app_id)
    who = policy.check_case_actor(user, a, "editor", "attach files")
    if kind not in checklist.TITLES:
        raise InvalidInput(
            f"unknown attachment kind {kind!r}; kinds: {', '.join(checklist.TITLES)}"
        )
    mime = check_file(upload, settings.attachment_max_bytes)
    r = cases.lock(conn, app_id, version)
    if r["state"] not in states.ATTACHABLE_STATES:
        raise Conflict(f"application {app_id} is {r['state']!r}: no more attachments")
    t = m.application_attachment
    new = (
        conn.execute(
            insert(t)
            .values(
                application_id=app_id,
                kind=kind,
                name=upload.name[:200],
                content_type=mime,
                size_bytes=len(upload.data),
                sha256=hashlib.sha256(upload.data).hexdigest(),
                content=upload.data,
                uploaded_by=who.id,
            )
            .returning(*case_view.attachment_columns())
        )
        .mappings()
        .one()
    )
    cases.bump(conn, app_id)
    cases.event(conn, app_id, who, "attached", kind=kind, size_bytes=len(upload.data))
    conn.commit()
    return Attachment.model_validate(dict(new))


def attachment_file(
    conn: Connection, user: User | None, app_id: int, attachment_id: int
) -> tuple[str, str, bytes]:
    """(name, type, bytes) of an attachment, to those who may read the case."""
    cases.visible(conn, user, app_id)
    t = m.application_attachment
    r = conn.execute(
        select(t.c.name, t.c.content_type, t.c.content).where(
            t.c.id == attachment_id, t.c.application_id == app_id
        )
    ).first()
    if r is None:
        raise NotFound(f"application {app_id} has no attachment {attachment_id}")
    return r[0], r[1], bytes(r[2])


def detach(
    conn: Connection,
    settings: Settings,
    user: User | None,
    app_id: int,
    attachment_id: int,
    version: int | None,
) -> Application:
    """Remove an attachment from a draft."""
    _, a = cases.visible(conn, user, app_id)
    who = policy.check_case_actor(user, a, "editor", "remove attachments")
    r = cases.lock(conn, app_id, version)
    if r["state"] != "draft":
        raise Conflict(f"application {app_id} is {r['state']!r}: attachments stay with the case")
    t = m.application_attachment
    gone = conn.execute(
        delete(t).where(t.c.id == attachment_id, t.c.application_id == app_id)
    ).rowcount
    if not gone:
        raise NotFound(f"application {app_id} has no attachment {attachment_id}")
    cases.bump(conn, app_id)
    cases.event(conn, app_id, who, "detached", attachment_id=attachment_id)
    conn.commit()
    return case_view.document(conn, settings, who, app_id)


def invite(
    conn: Connection,
    settings: Settings,
    user: User | None,
    app_id: int,
    body: PartyIn,
    version: int | None,
) -> Application:
    """The applicant invites a co-applicant or the designer by e-mail."""
    _, a = cases.visible(conn, user, app_id)
    who = policy.check_case_actor(user, a, "applicant", "invite parties")
    r = cases.lock(conn, app_id, version)
    if r["state"] not in states.ATTACHABLE_STATES:
        raise i18n.error(
            Conflict,
            "error.no_new_parties",
            {"state": r["state"]},
            id=str(app_id),
            state=states.said_state(r["state"]),
        )
    if r["kind"] in states.WORKS_KINDS:  # a dig permit's applicant is the contractor alone
        raise i18n.error(Conflict, "error.no_parties_on_works", id=str(app_id))
    email = normalise_email(body.email)
    if email == case_view.filed_by(conn, r):  # review 10: the applicant is a party already
        raise i18n.error(InvalidInput, "error.invite_own_address", email=email)
    t = m.application_party
    had = conn.execute(
        select(t.c.id, t.c.status).where(t.c.application_id == app_id, t.c.email == email)
    ).first()
    if had is not None and had.status != "declined":
        raise i18n.error(Conflict, "error.already_invited", email=email, id=str(app_id))
    row = {"role": body.role, "name": cases.one_line(body.name), "invited_by": who.id}
    if had is None:
        conn.execute(insert(t).values(application_id=app_id, email=email, **row))
    else:  # declined (perhaps by a slip): invited again, to answer anew
        conn.execute(
            update(t)
            .where(t.c.id == had.id)
            .values(status="invited", user_id=None, answered_at=None, invited_at=func.now(), **row)
        )
    cases.bump(conn, app_id)
    cases.event(conn, app_id, who, "party_invited", role=body.role)
    conn.commit()
    return case_view.document(conn, settings, who, app_id)


def answer_invitation(
    conn: Connection,
    user: User | None,
    app_id: int,
    party_id: int,
    accept: bool,
    name: str | None = None,
) -> Party:
    """The invited account accepts (and may then read and edit the case) or declines.

    Accepting, `name` corrects the name the invitation gave (blank: kept as invited); an
    invitation accepted already is left as it is (the day a co-applicant joined dates the
    letters they are named on).
    """
    who = policy.require_user(user)
    named = {"name": n} if accept and (n := cases.one_line(name)) else {}
    t = m.application_party
    found = conn.execute(
        select(t.c.id, t.c.role, t.c.name, t.c.email, t.c.status).where(
            t.c.id == party_id, t.c.application_id == app_id, t.c.email == who.email
        )
    ).first()
    if found is None:
        raise cases.not_found(app_id)
    if accept and found.status == "accepted":  # sent twice: nothing changes (name, answered_at)
        return Party.model_validate(dict(found._mapping))
    cases.serialise(conn, app_id)
    p = (
        conn.execute(
            update(t)
            .where(t.c.id == party_id)
            .values(
                status="accepted" if accept else "declined",
                user_id=who.id if accept else None,
                answered_at=func.now(),
                **named,
            )
            .returning(t.c.id, t.c.role, t.c.name, t.c.email, t.c.status)
        )
        .mappings()
        .one()
    )
    cases.bump(conn, app_id)
    cases.event(conn, app_id, who, "party_accepted" if accept else "party_declined")
    conn.commit()
    return Party.model_validate(dict(p))
