"""Neighbour lists of a property or a drawn site."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Connection

from api.http.auth import CallerDep, CallerTokenDep
from api.http.deps import ConnDep, SettingsDep, with_conn
from api.http.download import disposition
from api.http.lang import LangDep
from api.schemas.geojson import OUT_CRS_HELP
from api.schemas.neighbours import CaseKind, HeardBy, NeighbourList
from api.schemas.problem import errors
from api.schemas.requests import DATE_HELP, HEARD_HELP, KIND_HELP, SENT_HELP, SiteRequest
from api.services import office, privacy, sites, texts

router = APIRouter(prefix="/api/v1", tags=["neighbours"])


@router.get("/parcels/{property_id}/neighbours", responses=errors(401, 404, 422))
async def property_neighbours(
    request: Request,
    property_id: str,
    settings: SettingsDep,
    who: CallerTokenDep,
    lang: LangDep,
    date: Annotated[dt.date | None, Query(description=DATE_HELP)] = None,
    crs: Annotated[str | None, Query(description=OUT_CRS_HELP)] = None,
    kind: Annotated[CaseKind, Query(description=KIND_HELP)] = "building_permit",
    letters_sent: Annotated[dt.date | None, Query(description=SENT_HELP)] = None,
    heard_by: Annotated[HeardBy, Query(description=HEARD_HELP)] = "authority",
) -> NeighbourList:
    """Neighbours of a property unit (all its parcels), with evidence; owners as the caller may see them."""
    case = sites.hearing_case(kind, heard_by, letters_sent)

    def work(conn: Connection) -> NeighbourList:
        caller = who.resolve(conn)
        doc = sites.neighbours_of_property(conn, settings, property_id, date, crs, case)
        return privacy.disclose_list(conn, caller, texts.neighbour_list(doc, lang))

    return await with_conn(request, work)  # one hop, no BEGIN (deps.with_conn)


@router.post("/neighbours", responses=errors(401, 422))
async def site_neighbours(
    request: Request, body: SiteRequest, settings: SettingsDep, who: CallerTokenDep, lang: LangDep
) -> NeighbourList:
    """Neighbours of a drawn site (GeoJSON, EPSG:4326 unless `crs` says otherwise)."""
    case = sites.hearing_case(body.kind, body.heard_by, body.letters_sent)

    def work(conn: Connection) -> NeighbourList:
        caller = who.resolve(conn)
        doc = sites.neighbours_of_drawing(
            conn, settings, body.site, body.crs, body.municipality, body.date, body.out_crs, case
        )
        return privacy.disclose_list(conn, caller, texts.neighbour_list(doc, lang))

    return await with_conn(request, work)


SEP_HELP = "field separator: ';' (default, what a Finnish Excel expects) or ','"
CSV_DOC: dict[int | str, dict[str, object]] = {
    200: {
        "description": "the neighbour list as CSV (UTF-8 with BOM), one row per owner",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    },
    **errors(401, 404, 422),
}


def csv_response(text: str, name: str) -> Response:
    """A CSV download (Finnish office format unless asked otherwise)."""
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition("attachment", name)},
    )


@router.get("/parcels/{property_id}/neighbours.csv", response_class=Response, responses=CSV_DOC)
def property_neighbours_csv(
    property_id: str,
    conn: ConnDep,
    settings: SettingsDep,
    caller: CallerDep,
    lang: LangDep,
    date: Annotated[dt.date | None, Query(description=DATE_HELP)] = None,
    kind: Annotated[CaseKind, Query(description=KIND_HELP)] = "building_permit",
    sep: Annotated[Literal[";", ","], Query(description=SEP_HELP)] = ";",
) -> Response:
    """The neighbour list as CSV for the office (`;`, BOM), reasons in the chosen language.

    Owners' addresses appear for those who may see owners (officers of the municipality).
    """
    case = sites.hearing_case(kind, "authority", None)
    doc = sites.neighbours_of_property(conn, settings, property_id, date, None, case)
    doc = privacy.disclose_list(conn, caller, texts.neighbour_list(doc, lang))
    name = texts.file_name(lang, "neighbours", doc.property_id_short or property_id, "csv")
    return csv_response(office.neighbours_csv(doc, lang, sep), name)
