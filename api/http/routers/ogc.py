"""OGC API - Features at /ogc: the public layers for QGIS, GDAL and other OGC clients.

pygeoapi answers (api.http.ogc adapts the requests); the routes are declared here so that
they share the app's middleware and errors and appear in its OpenAPI document with their
parameters. pygeoapi's own description of /ogc is at /ogc/openapi.
"""

from __future__ import annotations

import importlib
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.http.ogc import ApiFn, OgcDep, drop_unserved_classes, drop_unserved_links, respond
from api.ogc.config import MAX_ZOOM
from api.schemas.problem import errors
from geo.errors import NotFound

router = APIRouter(prefix="/ogc", tags=["OGC API - Features"])

JSON_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON document",
        "content": {"application/json": {"schema": {"type": "object"}}},
    },
    **errors(400, 404, 406),
}
OPENAPI_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "pygeoapi's OpenAPI document of /ogc",
        "content": {"application/vnd.oai.openapi+json;version=3.0": {"schema": {"type": "object"}}},
    },
    **errors(400, 404, 406),
}
GEOJSON_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "GeoJSON (RFC 7946 in CRS84; `Content-Crs` names the CRS)",
        "content": {"application/geo+json": {"schema": {"type": "object"}}},
    },
    **errors(400, 404, 406, 422),
}
CRS_DOC = (
    "Output CRS (OGC API - Features Part 2): http://www.opengis.net/def/crs/OGC/1.3/CRS84 "
    "(the default: lon/lat, RFC 7946), http://www.opengis.net/def/crs/EPSG/0/3067 (ETRS-TM35FIN, "
    "the storage CRS), http://www.opengis.net/def/crs/EPSG/0/4326 (lat/lon axis order) and "
    "those RAJAPISTE_OGC_CRS adds (EPSG:3879 by default). Rings are counter-clockwise on the "
    "ground in every CRS."
)


def pygeoapi(module: str, name: str) -> ApiFn:
    """A pygeoapi API function, imported on first use (the CLI need not load pygeoapi)."""
    fn: ApiFn = getattr(importlib.import_module(f"pygeoapi.api{module}"), name)
    return fn


Fmt = Annotated[str | None, Query(alias="f", description="json (the default) or jsonld")]


@router.get("", include_in_schema=False)
@router.get("/", responses=JSON_DOC, response_class=Response)
def landing_page(request: Request, ogc: OgcDep, f: Fmt = None) -> Response:
    """The landing page: links to the collections, conformance and the API description."""
    return respond(request, ogc, pygeoapi("", "landing_page"), post=drop_unserved_links)


@router.get("/openapi", responses=OPENAPI_DOC, response_class=Response)
def openapi(request: Request, ogc: OgcDep) -> Response:
    """The OpenAPI 3.0 description of /ogc, as pygeoapi makes it."""
    ogc.openapi_document()
    return respond(request, ogc, pygeoapi("", "openapi_"))


@router.get("/conformance", responses=JSON_DOC, response_class=Response)
def conformance(request: Request, ogc: OgcDep, f: Fmt = None) -> Response:
    """The conformance classes: Features Core, GeoJSON, CRS by reference (Part 2), ..."""
    return respond(
        request, ogc, pygeoapi("", "conformance"), cache="conformance", post=drop_unserved_classes
    )


@router.get("/collections", responses=JSON_DOC, response_class=Response)
def collections(request: Request, ogc: OgcDep, f: Fmt = None) -> Response:
    """The public collections: parcels, property units, buildings, roads, water, plans, works."""
    return respond(request, ogc, pygeoapi("", "describe_collections"))


@router.get("/collections/{collection_id}", responses=JSON_DOC, response_class=Response)
def collection(request: Request, ogc: OgcDep, collection_id: str, f: Fmt = None) -> Response:
    """One collection: its extent, CRSs (`crs`, `storageCrs`) and links."""
    return respond(request, ogc, pygeoapi("", "describe_collections"), collection_id)


@router.get("/collections/{collection_id}/queryables", responses=JSON_DOC, response_class=Response)
def queryables(request: Request, ogc: OgcDep, collection_id: str) -> Response:
    """The properties a collection can be filtered by."""
    return respond(request, ogc, pygeoapi(".itemtypes", "get_collection_queryables"), collection_id)


@router.get("/collections/{collection_id}/schema", responses=JSON_DOC, response_class=Response)
def schema(request: Request, ogc: OgcDep, collection_id: str) -> Response:
    """The JSON schema of a collection's features."""
    return respond(request, ogc, pygeoapi("", "get_collection_schema"), collection_id)


@router.get("/collections/{collection_id}/items", responses=GEOJSON_DOC, response_class=Response)
def items(
    request: Request,
    ogc: OgcDep,
    collection_id: str,
    bbox: Annotated[
        str | None,
        Query(description="minx,miny,maxx,maxy in bbox-crs (default CRS84 lon/lat)"),
    ] = None,
    bbox_crs: Annotated[
        str | None, Query(alias="bbox-crs", description="CRS of bbox: any of the output CRSs")
    ] = None,
    crs: Annotated[str | None, Query(description=CRS_DOC)] = None,
    limit: Annotated[
        int | None,
        Query(ge=1, description="features per page (the maximum is RAJAPISTE_OGC_MAX_ITEMS)"),
    ] = None,
    offset: Annotated[
        int | None, Query(ge=0, description="features to skip; follow the `next` link")
    ] = None,
    f: Fmt = None,
) -> Response:
    """A page of features, in CRS84 unless `crs` asks otherwise, with `next` and `prev` links."""
    return respond(request, ogc, pygeoapi(".itemtypes", "get_collection_items"), collection_id)


@router.get(
    "/collections/{collection_id}/items/{item_id}", responses=GEOJSON_DOC, response_class=Response
)
def item(
    request: Request,
    ogc: OgcDep,
    collection_id: str,
    item_id: str,
    crs: Annotated[str | None, Query(description=CRS_DOC)] = None,
    f: Fmt = None,
) -> Response:
    """One feature by its id."""
    return respond(
        request, ogc, pygeoapi(".itemtypes", "get_collection_item"), collection_id, item_id
    )


TILE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Mapbox vector tile",
        "content": {
            "application/vnd.mapbox-vector-tile": {"schema": {"type": "string", "format": "binary"}}
        },
    },
    204: {"description": "No features in this tile"},
    **errors(400, 404),
}


MATRIX_COLUMNS = {"WebMercatorQuad": 1, "WorldCRS84Quad": 2}  # columns at zoom 0 (rows: 1)


def _tile_matrix(tms: str, z: int, y: int, x: int) -> None:
    """Refuse a tiling scheme that is not offered, or a tile outside its matrix at zoom z (404)."""
    if tms not in MATRIX_COLUMNS:
        raise NotFound(f"no tiling scheme {tms!r}: {', '.join(MATRIX_COLUMNS)}", tms=tms)
    rows = 2**z
    if y >= rows or x >= MATRIX_COLUMNS[tms] * rows:
        raise NotFound(f"no tile {z}/{y}/{x} in {tms}", tms=tms)


@router.get(
    "/TileMatrixSets", responses=JSON_DOC, response_class=Response, tags=["OGC API - Tiles"]
)
def tile_matrix_sets(request: Request, ogc: OgcDep) -> Response:
    """The tiling schemes of the vector tiles (WebMercatorQuad, WorldCRS84Quad)."""
    return respond(request, ogc, pygeoapi(".tiles", "tilematrixsets"))


@router.get(
    "/TileMatrixSets/{tms}", responses=JSON_DOC, response_class=Response, tags=["OGC API - Tiles"]
)
def tile_matrix_set(request: Request, ogc: OgcDep, tms: str) -> Response:
    """One tiling scheme."""
    return respond(request, ogc, pygeoapi(".tiles", "tilematrixset"), tms)


@router.get(
    "/collections/{collection_id}/tiles",
    responses=JSON_DOC,
    response_class=Response,
    tags=["OGC API - Tiles"],
)
def tilesets(request: Request, ogc: OgcDep, collection_id: str) -> Response:
    """The vector tile sets of a collection."""
    return respond(request, ogc, pygeoapi(".tiles", "get_collection_tiles"), collection_id)


@router.get(
    "/collections/{collection_id}/tiles/{tms}",
    responses=JSON_DOC,
    response_class=Response,
    tags=["OGC API - Tiles"],
)
@router.get("/collections/{collection_id}/tiles/{tms}/metadata", include_in_schema=False)
def tileset(request: Request, ogc: OgcDep, collection_id: str, tms: str) -> Response:
    """One tile set: its tiling scheme and the tile URL template."""
    _tile_matrix(tms, 0, 0, 0)
    return respond(
        request, ogc, pygeoapi(".tiles", "get_collection_tiles_metadata"), collection_id, tms
    )


@router.get(
    "/collections/{collection_id}/tiles/{tms}/{z}/{y}/{x}",
    responses=TILE_DOC,
    response_class=Response,
    tags=["OGC API - Tiles"],
)
def tile(
    request: Request,
    ogc: OgcDep,
    collection_id: str,
    tms: str,
    z: Annotated[int, Path(ge=0, le=MAX_ZOOM)],
    y: Annotated[int, Path(ge=0)],
    x: Annotated[int, Path(ge=0)],
) -> Response:
    """One vector tile of a collection (features with their public properties)."""
    _tile_matrix(tms, z, y, x)
    return respond(
        request,
        ogc,
        pygeoapi(".tiles", "get_collection_tiles_data"),
        collection_id,
        tms,
        z,
        y,
        x,
        tile=True,
    )
