"""The map UI (web/), its data endpoints, and the printable hearing package."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.deps import ConnDep, SettingsDep
from api.schemas import HearingPackageIn
from api.services import mapdata, sites
from api.settings import WEB_DIR
from geo.errors import InvalidInput

router = APIRouter()
LANGS = ("fi", "sv", "en")
NLS_ATTRIBUTION = "© Maanmittauslaitos, CC BY 4.0"


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, str]:
    """The message catalogue of a language."""
    data: dict[str, str] = json.loads(
        (WEB_DIR / "static" / "i18n" / f"{lang}.json").read_text(encoding="utf-8")
    )
    return data


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    """The map application."""
    return FileResponse(WEB_DIR / "static" / "index.html", media_type="text/html")


@router.get("/api/v1/config", tags=["map"])
def config(conn: ConnDep, settings: SettingsDep) -> dict[str, Any]:
    """What the map needs to start: data extent, background map, attribution, languages."""
    ext = mapdata.extent(conn)
    attribution = NLS_ATTRIBUTION if ext["nls"] else "Rajapiste demo data (generated)"
    if ext["nls"] and ext["generated"]:
        attribution = NLS_ATTRIBUTION + "; generated demo data"
    return {
        "extent": ext["bbox"],
        "attribution": attribution,
        "basemap_url": settings.basemap_url,
        "basemap_attribution": settings.basemap_attribution,
        "languages": list(LANGS),
        "default_municipality": settings.default_municipality,
    }


@router.get("/api/v1/layers/{name}", tags=["map"])
def layer(
    name: str, conn: ConnDep, bbox: str, zoom: Annotated[int, Query(ge=0, le=22)]
) -> Response:
    """A map layer in a bbox (lon/lat), simplified for the zoom, as GeoJSON."""
    return Response(mapdata.layer(conn, name, bbox, zoom), media_type="application/geo+json")


@router.get("/api/v1/search", tags=["map"])
def search(conn: ConnDep, q: str) -> list[dict[str, Any]]:
    """Find a property by id in any form or a street by name."""
    return mapdata.search(conn, q)


@router.post("/api/v1/hearing/package", tags=["neighbours"], response_class=HTMLResponse)
def hearing_package(
    body: HearingPackageIn, request: Request, conn: ConnDep, settings: SettingsDep
) -> HTMLResponse:
    """A printable hearing package: the neighbour list with the officer's changes, and a static map."""
    from web import maps

    if body.lang not in LANGS:
        raise InvalidInput(f"lang must be one of {', '.join(LANGS)}")
    if body.property_id:
        doc = sites.neighbours_of_property(conn, settings, body.property_id, body.date, None)
    elif body.site is not None:
        doc = sites.neighbours_of_drawing(
            conn, settings, body.site, body.crs, body.municipality, body.date, None
        )
    else:
        raise InvalidInput("give property_id or site")
    doc = sites.apply_manual_changes(conn, settings, doc, body.added, body.removed, body.date)
    ext = mapdata.extent(conn)
    attribution = NLS_ATTRIBUTION if ext["nls"] else "Rajapiste demo data (generated)"
    html = maps.hearing_package(
        doc, body.lang, catalogue(body.lang), attribution, str(request.base_url)
    )
    return HTMLResponse(html)
