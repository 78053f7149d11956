"""What the map needs: start-up configuration, layers by bbox, search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.http.deps import ConnDep, SettingsDep
from api.schemas.meta import MapConfig, ParcelAt, SearchHit
from api.schemas.problem import errors
from api.services import mapdata

router = APIRouter(prefix="/api/v1", tags=["map"])
LAYER_DOC: dict[int | str, dict[str, Any]] = {
    200: {"description": "GeoJSON FeatureCollection", "content": {"application/geo+json": {}}},
    **errors(422),
}


@router.get("/config")
def config(conn: ConnDep, settings: SettingsDep) -> MapConfig:
    """What the map needs to start: data extent, background map, attribution, languages."""
    return mapdata.map_config(conn, settings)


@router.get("/layers/{name}", responses=LAYER_DOC, response_class=Response)
def layer(
    name: str,
    conn: ConnDep,
    settings: SettingsDep,
    bbox: str,
    zoom: Annotated[int, Query(ge=0, le=22)],
) -> Response:
    """A map layer in a bbox (lon/lat), simplified for the zoom, as GeoJSON.

    A bbox wider than RAJAPISTE_MAX_BBOX_PIXELS screen pixels at the zoom is refused (422).
    More features than the layer's limit: the first of them, with `"truncated": true` and the
    `limit` (the vector tiles hold them all).
    """
    doc = mapdata.layer(conn, name, bbox, zoom, settings.max_bbox_pixels)
    return Response(doc, media_type="application/geo+json")


@router.get("/search")
def search(
    conn: ConnDep,
    q: Annotated[str, Query(max_length=200, description="a property id, street or address")],
) -> list[SearchHit]:
    """Find a property by id in any form or a street by name."""
    return mapdata.search(conn, q)


@router.get("/parcels/at", responses=errors(404, 422))
def parcel_at(
    conn: ConnDep,
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
    inside: Annotated[
        bool, Query(description="also the centre and radius of the largest circle inside it")
    ] = False,
    need_m: Annotated[
        float,
        Query(
            ge=0,
            le=10_000,
            description="with `inside`: the radius the buildings to be moved need; a free room "
            "smaller than that gives the whole unit's circle",
        ),
    ] = 0,
) -> ParcelAt:
    """The property unit under a point of the map (lon/lat): what a click on the map picks."""
    return mapdata.parcel_at(conn, lon, lat, inside, need_m)
