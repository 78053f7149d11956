"""The hearing of an application: addressees, letters, answers, contacts, and its PDFs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from api.http.auth import CallerDep, UserDep
from api.http.deps import ConnDep, SettingsDep
from api.http.download import pdf, pdf_doc
from api.http.lang import LangDep
from api.schemas.applications import Hearing
from api.schemas.geojson import FeatureCollection
from api.schemas.problem import errors
from api.schemas.requests import AddresseePatch, HearingNeighboursIn, LettersIn, VersionIn
from api.services import case_analysis, case_hearing, case_letters, texts

router = APIRouter(prefix="/api/v1/applications/{application_id}", tags=["hearing"])
MUTATION = errors(401, 403, 404, 409, 422, 428)


@router.get("/hearing", responses=errors(401, 404))
def hearing(
    application_id: int, conn: ConnDep, settings: SettingsDep, caller: CallerDep, lang: LangDep
) -> Hearing:
    """Who hears, each addressee's status and deadline, and whether the hearing is complete."""
    return texts.notes(case_hearing.document(conn, settings, caller, application_id), lang)


@router.get("/hearing/map", responses=errors(401, 404))
def hearing_map(application_id: int, conn: ConnDep, user: UserDep) -> FeatureCollection:
    """The site and the addressees' units as GeoJSON with each one's status (no names)."""
    return case_hearing.hearing_map(conn, user, application_id)


@router.post("/hearing/letters", responses=MUTATION)
def send_letters(
    application_id: int,
    body: LettersIn,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
    lang: LangDep,
) -> Hearing:
    """Send the letters: freezes the addressees and marks each reachable one `letter_sent`."""
    return texts.notes(
        case_hearing.send_letters(conn, settings, caller, application_id, body), lang
    )


@router.post("/hearing/neighbours", responses=MUTATION)
def change_neighbours(
    application_id: int,
    body: HearingNeighboursIn,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
    lang: LangDep,
) -> Hearing:
    """The officer's additions and removals (each with a reason), before the letters."""
    doc = case_analysis.change_neighbours(conn, settings, caller, application_id, body)
    return texts.notes(doc, lang)


@router.post("/hearing/request-contacts", responses=MUTATION)
def request_contacts(
    application_id: int,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
    lang: LangDep,
    body: Annotated[VersionIn | None, Body()] = None,
) -> Hearing:
    """The applicant asks for the owners' contacts, to hear the neighbours themselves."""
    doc = case_hearing.request_contacts(conn, settings, caller, application_id, body or VersionIn())
    return texts.notes(doc, lang)


@router.post("/hearing/publish-contacts", responses=MUTATION)
def publish_contacts(
    application_id: int,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
    lang: LangDep,
    body: Annotated[VersionIn | None, Body()] = None,
) -> Hearing:
    """The officer publishes the contacts to the applicant (refused when the authority hears)."""
    doc = case_hearing.publish_contacts(conn, settings, caller, application_id, body or VersionIn())
    return texts.notes(doc, lang)


@router.patch("/hearing/{addressee_id}", responses=MUTATION)
def change_addressee(
    application_id: int,
    addressee_id: int,
    body: AddresseePatch,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
    lang: LangDep,
) -> Hearing:
    """Record an addressee's status (answer, reminder, public notice) with its day and remarks."""
    doc = case_hearing.change_addressee(conn, settings, caller, application_id, addressee_id, body)
    return texts.notes(doc, lang)


@router.get("/letters.pdf", response_class=Response, responses=pdf_doc(401, 403, 404, 409))
def letters_pdf(
    application_id: int,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
    lang: LangDep,
    addressee: Annotated[int | None, Query(description="one addressee's letter only")] = None,
) -> Response:
    """The hearing letters, one per addressee in their language, each with the site map.

    The file is named in the request's language (`lang`); each letter is in its addressee's.
    """
    data = case_letters.letters(conn, settings, caller, application_id, addressee)
    return pdf(data, texts.file_name(lang, "letters", application_id, "pdf"))


@router.get("/hearing.pdf", response_class=Response, responses=pdf_doc(401, 403, 404, 409))
def hearing_pdf(
    application_id: int,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
    lang: Annotated[str, Query(pattern="^(fi|sv|en)$")] = "fi",
) -> Response:
    """The hearing package: the case, the map coloured by status and every addressee's status."""
    data = case_letters.package(conn, settings, caller, application_id, lang)
    return pdf(data, texts.file_name(lang, "package", application_id, "pdf"))
