"""Vector tiles of the map layers, cached by data version."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from api.http.deps import ConnDep, with_conn
from api.schemas.meta import TileIndex
from api.schemas.problem import errors
from api.services import tiles

router = APIRouter(prefix="/api/v1", tags=["map"])
TILE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Mapbox Vector Tile (empty below the layer's lowest zoom)",
        "content": {tiles.MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    },
    304: {"description": "Not modified (If-None-Match)"},
    **errors(422),
}
IMMUTABLE = "public, max-age=31536000, immutable"  # the URL names the data version
REVALIDATE = "no-cache"  # without the current version: ask again, answered 304 when unchanged


TMS_DOC = (
    "tile matrix set: WebMercatorQuad (EPSG:3857, the default) or ETRS-TM35FIN (EPSG:3067, "
    "the JHS 180 / NLS WMTS grid: origin -548576, 8388608; 8192 m/px at level 0)"
)
TmsQuery = Annotated[tiles.TileMatrixSet, Query(description=TMS_DOC)]


@router.get("/tiles", responses=errors(422))
def tile_index(conn: ConnDep, tms: TmsQuery = tiles.WEB_MERCATOR) -> TileIndex:
    """The vector tile layers: URL template with the data version, lowest zoom."""
    return tiles.index(conn, tms)


@router.get("/tiles/{layer}/{z}/{x}/{y}.mvt", responses=TILE_DOC, response_class=Response)
async def tile(
    request: Request,
    layer: str,
    z: Annotated[int, Path(ge=0, le=tiles.MAX_ZOOM)],
    x: Annotated[int, Path(ge=0)],
    y: Annotated[int, Path(ge=0)],
    v: Annotated[int | None, Query(description="data version (from /api/v1/tiles)")] = None,
    if_none_match: Annotated[str | None, Header()] = None,
    tms: TmsQuery = tiles.WEB_MERCATOR,
) -> Response:
    """One map tile of a layer, Mapbox Vector Tile (EPSG:3857 grid; `tms=ETRS-TM35FIN`: EPSG:3067)."""
    tiles.layer(layer)
    tiles.check_tile(z, x, y)
    return await with_conn(request, lambda conn: _tile(conn, layer, z, x, y, tms, v, if_none_match))


def _tile(
    conn: Connection,
    layer: str,
    z: int,
    x: int,
    y: int,
    tms: tiles.TileMatrixSet,
    v: int | None,
    if_none_match: str | None,
) -> Response:
    """The tile, or 304 when the client holds it: its ETag names the layer's data version.

    The version and the tile are read in one statement (`tiles.render`), so the tile is of the
    version its ETag names; the tile is not drawn when the client's If-None-Match is its ETag.
    """
    day = tiles.day_of(layer)  # read once: the tile and its ETag are of the same day
    tag = tiles.tile_tag(layer, z, x, y, tms, day)
    version, body = tiles.render(conn, layer, z, x, y, tms, day, tag.held(if_none_match))
    cache = IMMUTABLE if v == version and day is None else REVALIDATE
    headers = {"ETag": tag.etag(version), "Cache-Control": cache}
    if body is None:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=tiles.MEDIA_TYPE, headers=headers)
