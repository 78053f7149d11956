"""Applications: file, list, read, save a draft, submit, take the case's steps, attachments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, File, Form, Query, UploadFile
from fastapi.responses import Response

from api.http.auth import CallerDep, UserDep
from api.http.deps import ConnDep, SettingsDep
from api.http.download import disposition, pdf, pdf_doc
from api.http.lang import LangDep
from api.schemas.applications import (
    Application,
    ApplicationList,
    Attachment,
    FrozenAnalysis,
    Party,
    Reminders,
    Rerun,
    Timeline,
)
from api.schemas.problem import errors
from api.schemas.requests import (
    AcceptIn,
    ApplicationIn,
    ApplicationPatch,
    ApplicationStateIn,
    Day,
    PartyIn,
    RerunIn,
    VersionIn,
)
from api.services import (
    applications,
    case_analysis,
    case_decision,
    case_files,
    case_states,
    case_view,
    texts,
)

router = APIRouter(prefix="/api/v1", tags=["applications"])
APP = "/applications/{application_id}"
MUTATION = errors(401, 403, 404, 409, 422, 428)


@router.post("/applications", status_code=201, responses=errors(401, 403, 404, 422))
def create(
    body: ApplicationIn, conn: ConnDep, settings: SettingsDep, user: UserDep, lang: LangDep
) -> Application:
    """File a new draft application (a property id or a drawn site; dig permits with phases)."""
    return applications.create(conn, settings, user, body, lang)


@router.get("/applications", responses=errors(401, 422))
def list_applications(
    conn: ConnDep,
    user: UserDep,
    state: Annotated[str | None, Query(description="one state or several, comma-separated")] = None,
    kind: str | None = None,
    municipality: str | None = None,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None,
) -> ApplicationList:
    """The applications you may see: your own; an officer's municipality's (no drafts)."""
    return case_view.listing(conn, user, bbox, state, kind, municipality)


@router.get(APP, responses=errors(401, 404))
def get(
    application_id: int, conn: ConnDep, settings: SettingsDep, user: UserDep, lang: LangDep
) -> Application:
    """One application (404 for someone else's); its municipality named in `lang`."""
    return case_view.get(conn, settings, user, application_id, lang)


@router.patch(APP, responses=MUTATION)
def patch(
    application_id: int,
    body: ApplicationPatch,
    conn: ConnDep,
    settings: SettingsDep,
    user: UserDep,
    lang: LangDep,
) -> Application:
    """Save changes to a draft (send the version you read: a stale one answers 409)."""
    return applications.update(conn, settings, user, application_id, body, lang)


@router.post(f"{APP}/submit", responses=MUTATION)
def submit(
    application_id: int,
    conn: ConnDep,
    settings: SettingsDep,
    user: UserDep,
    lang: LangDep,
    body: Annotated[VersionIn | None, Body()] = None,
) -> Application:
    """Hand the draft in: the filing date and regime are fixed and the analysis is frozen."""
    version = body.version if body else None
    return applications.submit(conn, settings, user, application_id, version, lang)


@router.post(f"{APP}/state", responses=MUTATION)
def change_state(
    application_id: int,
    body: ApplicationStateIn,
    conn: ConnDep,
    settings: SettingsDep,
    user: UserDep,
    lang: LangDep,
) -> Application:
    """Take a step of the case; deciding (`decided`/`refused`) carries the decision."""
    return case_states.change_state(conn, settings, user, application_id, body, lang)


@router.get(f"{APP}/decision.pdf", response_class=Response, responses=pdf_doc(401, 404, 409))
def decision_pdf(
    application_id: int, conn: ConnDep, settings: SettingsDep, user: UserDep, lang: LangDep
) -> Response:
    """The decision document (PDF) for everyone who may read the case; 409 until it is decided.

    What was decided, how it was made known, the claim or appeal instructions with their last
    day, the day it stands, and a map of the site.
    """
    data = case_decision.document(conn, settings, user, application_id, lang)
    return pdf(data, texts.file_name(lang, "decision", application_id, "pdf"))


@router.get(f"{APP}/analysis", responses=errors(401, 404, 409))
def frozen_analysis(application_id: int, conn: ConnDep, caller: CallerDep) -> FrozenAnalysis:
    """The analysis and neighbour list frozen at submission, with their data and rule versions."""
    return case_analysis.frozen(conn, caller, application_id)


@router.post(f"{APP}/analysis/rerun", responses=MUTATION)
def rerun(
    application_id: int, body: RerunIn, conn: ConnDep, settings: SettingsDep, user: UserDep
) -> Rerun:
    """Run the analysis on today's data beside the frozen one; the answer is the difference."""
    return case_analysis.rerun(conn, settings, user, application_id, body)


@router.get(f"{APP}/timeline", responses=errors(401, 404))
def timeline(application_id: int, conn: ConnDep, user: UserDep) -> Timeline:
    """What happened to the case, and the dates it runs towards."""
    return case_states.timeline(conn, user, application_id)


@router.get("/reminders", responses=errors(401, 422))
def reminders(
    conn: ConnDep,
    settings: SettingsDep,
    user: UserDep,
    on: Annotated[Day | None, Query(description="the day to count from (default today)")] = None,
    within: Annotated[
        int | None, Query(description="days ahead (default: the rule file's, 7)")
    ] = None,
) -> Reminders:
    """Deadlines of your applications that are close (hearing, appeal, legally valid, start by...)."""
    return case_states.reminders(conn, settings, user, on, within)


@router.post(f"{APP}/attachments", status_code=201, responses=MUTATION)
async def attach(
    application_id: int,
    conn: ConnDep,
    settings: SettingsDep,
    user: UserDep,
    file: Annotated[UploadFile, File(description="PDF, PNG or JPEG")],
    kind: Annotated[str, Form(description="the checklist item it answers, or 'other'")] = "other",
    version: Annotated[int | None, Form()] = None,
) -> Attachment:
    """Attach a file (checked by its type and size) to the application."""
    data = await file.read(settings.attachment_max_bytes + 1)
    upload = case_files.Upload(file.filename or "file", file.content_type, data)
    return case_files.attach(conn, settings, user, application_id, kind, upload, version)


FILE_DOC: dict[int | str, dict[str, object]] = {
    200: {
        "description": "the file as it was attached",
        "content": {
            t: {"schema": {"type": "string", "format": "binary"}}
            for t in ("application/pdf", "image/png", "image/jpeg")
        },
    },
    **errors(401, 404),
}


@router.get(f"{APP}/attachments/{{attachment_id}}", response_class=Response, responses=FILE_DOC)
def attachment(application_id: int, attachment_id: int, conn: ConnDep, user: UserDep) -> Response:
    """An attachment's file."""
    name, mime, data = case_files.attachment_file(conn, user, application_id, attachment_id)
    return Response(
        data, media_type=mime, headers={"Content-Disposition": disposition("attachment", name)}
    )


@router.delete(f"{APP}/attachments/{{attachment_id}}", responses=MUTATION)
def detach(
    application_id: int,
    attachment_id: int,
    conn: ConnDep,
    settings: SettingsDep,
    user: UserDep,
    version: Annotated[int | None, Query()] = None,
) -> Application:
    """Remove an attachment from a draft."""
    return case_files.detach(conn, settings, user, application_id, attachment_id, version)


@router.post(f"{APP}/parties", responses=MUTATION)
def invite(
    application_id: int,
    body: PartyIn,
    conn: ConnDep,
    settings: SettingsDep,
    user: UserDep,
    version: Annotated[int | None, Query()] = None,
) -> Application:
    """Invite a co-applicant or the designer by e-mail."""
    version = body.version if body.version is not None else version
    return case_files.invite(conn, settings, user, application_id, body, version)


@router.post(f"{APP}/parties/{{party_id}}/accept", responses=errors(401, 404, 422))
def accept(
    application_id: int,
    party_id: int,
    conn: ConnDep,
    user: UserDep,
    body: Annotated[AcceptIn | None, Body()] = None,
) -> Party:
    """Accept an invitation sent to your e-mail address (you may then read and edit the case).

    The body may correct the name you were invited with (a co-applicant's is printed on the
    hearing letters). Accepting again changes nothing.
    """
    name = body.name if body else None
    return case_files.answer_invitation(conn, user, application_id, party_id, True, name)


@router.post(f"{APP}/parties/{{party_id}}/decline", responses=errors(401, 404))
def decline(application_id: int, party_id: int, conn: ConnDep, user: UserDep) -> Party:
    """Decline an invitation sent to your e-mail address."""
    return case_files.answer_invitation(conn, user, application_id, party_id, False)
