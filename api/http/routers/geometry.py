"""GeoJSON files a user loads, in any accepted Finnish CRS, read on the server."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from api.http.deps import SettingsDep
from api.schemas.geojson import GeoJSONIn, UploadedFeatures
from api.schemas.problem import errors
from api.services import geometry_files
from geo import upload

router = APIRouter(prefix="/api/v1/geometry", tags=["maps"])
CRS_HELP = (
    "CRS of the file: EPSG:3067, EPSG:3873-3885 (GK zones), EPSG:4326 ...; default: the file's "
    "own `crs` member, else the Finnish extent its coordinates fit"
)


@router.post("/geojson", responses=errors(413, 422))
def read_geojson(
    body: GeoJSONIn, crs: Annotated[str | None, Query(description=CRS_HELP)] = None
) -> UploadedFeatures:
    """Read a GeoJSON file (e.g. a QGIS export in EPSG:3067) into RFC 7946 features."""
    return UploadedFeatures.model_validate(upload.parse(body, crs))


@router.post("/geopackage", responses=errors(413, 422))
async def read_geopackage(
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="a GeoPackage (.gpkg); its first layer is read")],
    crs: Annotated[str | None, Query(description=CRS_HELP)] = None,
) -> UploadedFeatures:
    """Read a GeoPackage's first layer (in its own CRS unless `crs` says) into RFC 7946 features."""
    data = await file.read(settings.attachment_max_bytes + 1)
    doc = geometry_files.read_geopackage(data, crs, settings.attachment_max_bytes)
    return UploadedFeatures.model_validate(doc)
