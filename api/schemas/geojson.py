"""GeoJSON documents (RFC 7946), typed for validation at the edge and for the OpenAPI document.

Coordinates are not validated position by position here: drawn geometries are
checked by `geo.geometry` (validity with reason and location, CRS, extent),
which gives better messages than a schema can.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

# The `crs` / `out_crs` output parameter, the same wherever geometries are returned.
OUT_CRS_HELP = (
    "CRS of the geometries returned: EPSG:4326 (the default: RFC 7946 GeoJSON, lon/lat order), "
    "EPSG:3067 (ETRS-TM35FIN, metres, the storage CRS), EPSG:3873-3885 (GK zones, E/N order), "
    "EPSG:3857, or an OGC URN of one of these. Exterior rings are counter-clockwise and holes "
    "clockwise in every CRS (RFC 7946 3.1.6)."
)

GeometryType = Literal[
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
]


class Geometry(BaseModel):
    """A GeoJSON geometry: EPSG:4326 lon/lat unless the document's `crs` says otherwise."""

    model_config = ConfigDict(extra="allow")

    type: GeometryType
    coordinates: Any = None


class Feature(BaseModel):
    """A GeoJSON Feature."""

    type: Literal["Feature"] = "Feature"
    geometry: Geometry | None
    properties: dict[str, Any] | None = None


class FeatureCollection(BaseModel):
    """A GeoJSON FeatureCollection."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[Feature]
    bbox: list[float] | None = None


# A drawing as sent by a client: a geometry, a Feature or a FeatureCollection. Kept as
# plain data so that geo.geometry can refuse it with the reason and the location.
GeoJSONIn = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {
            "type": "object",
            "description": "GeoJSON Polygon or MultiPolygon (or a Feature / FeatureCollection of them)",
            "required": ["type"],
            "properties": {"type": {"type": "string"}, "coordinates": {"type": "array"}},
        }
    ),
    Field(description="GeoJSON geometry, Feature or FeatureCollection"),
]


class UploadedFeatures(FeatureCollection):
    """An uploaded GeoJSON file as RFC 7946 features, with the CRS it was read in and why."""

    source_crs: str
    crs_from: Literal["parameter", "member", "coordinates"]
