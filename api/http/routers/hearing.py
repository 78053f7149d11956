"""The officer's hearing list (with manual changes) and its printable package."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy import Connection

from api import i18n
from api.http import csp
from api.http.auth import CallerDep, endpoint_of, resolve
from api.http.deps import ConnDep, SettingsDep
from api.http.lang import LangDep
from api.http.routers.neighbours import CSV_DOC, SEP_HELP, csv_response
from api.schemas.neighbours import NeighbourList
from api.schemas.problem import errors
from api.schemas.requests import HearingPackageIn
from api.services import hearing_package, mapdata, office, privacy, sites, texts
from api.settings import Settings
from geo.errors import InvalidInput

router = APIRouter(prefix="/api/v1/hearing", tags=["neighbours"])
HTML_DOC: dict[int | str, dict[str, object]] = {
    200: {"description": "the printable package (its own CSP names its inline scripts)"},
    **errors(401, 404, 422),
}


@router.post("/list", responses=errors(401, 404, 422))
def hearing_list(
    body: HearingPackageIn, conn: ConnDep, settings: SettingsDep, caller: CallerDep, lang: LangDep
) -> NeighbourList:
    """The neighbour list with the officer's additions and removals, letters recounted."""
    doc = texts.neighbour_list(sites.hearing_list(conn, settings, body), lang)
    return privacy.disclose_list(conn, caller, doc)


@router.post("/list.csv", response_class=Response, responses=CSV_DOC)
def hearing_list_csv(
    body: HearingPackageIn,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
    lang: LangDep,
    sep: Annotated[Literal[";", ","], Query(description=SEP_HELP)] = ";",
) -> Response:
    """The officer's hearing list (with the changes) as CSV for the office (`;`, UTF-8 BOM)."""
    doc = sites.hearing_list(conn, settings, body)
    doc = privacy.disclose_list(conn, caller, texts.neighbour_list(doc, lang))
    name = texts.file_name(lang, "neighbours", doc.property_id_short, "csv")
    return csv_response(office.neighbours_csv(doc, lang, sep), name)


def _package(
    conn: Connection, settings: Settings, body: HearingPackageIn, caller: privacy.Caller, base: str
) -> HTMLResponse:
    """Render the package for this caller, with a policy allowing exactly its map's scripts."""
    listed = texts.neighbour_list(sites.hearing_list(conn, settings, body), body.lang)
    doc = privacy.disclose_list(conn, caller, listed)
    attribution = mapdata.attribution(conn)
    paper = hearing_package.print_map(conn, doc, attribution, body.lang)
    html = hearing_package.render(doc, body.lang, attribution, base, paper)
    return csp.html_page(html)


@router.post("/package", response_class=HTMLResponse, responses=HTML_DOC)
def package(
    body: HearingPackageIn,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> HTMLResponse:
    """A printable hearing package: the neighbour list with the officer's changes, and a map."""
    return _package(conn, settings, body, caller, settings.public_url or "")


@router.post("/package/form", response_class=HTMLResponse, responses=HTML_DOC)
def package_form(
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    package_request: Annotated[
        str, Form(alias="request", description="the package request as JSON")
    ],
    access_token: Annotated[str | None, Form(description="the bearer token (RFC 6750 2.2)")] = None,
) -> HTMLResponse:
    """The package from a form post opened in a new window (the map opens it this way).

    A form post cannot carry an Authorization header, so the token travels in the body;
    a page on another site cannot know it, so this is no CSRF opening.
    """
    try:
        body = HearingPackageIn.model_validate_json(package_request)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in ("request", *first["loc"]))
        lang = i18n.request_lang(request.query_params.get("lang"), request.headers)
        raise InvalidInput(f"{where}: {i18n.validation_message(lang, first)}") from None
    caller = privacy.Caller(resolve(conn, access_token), endpoint_of(request))
    return _package(conn, settings, body, caller, settings.public_url or "")
