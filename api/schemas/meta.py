"""Documents of the map's start-up, search and health."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel


class MapConfig(BaseModel):
    """What the map needs to start: data extent, background map, attribution, languages."""

    extent: dict[str, Any] | None
    attribution: str
    basemap_url: str | None
    basemap_attribution: str
    languages: list[str]
    default_municipality: str
    snap_m: float  # the ground distance within which the map snaps a corner, when asked to


class SearchHit(BaseModel):
    """A property or a street found by search, with the extent to show."""

    type: Literal["property", "street"]
    label: str
    bbox: dict[str, Any]
    property_id: str | None = None
    name: str | None = None
    geometry: dict[str, Any] | None = (
        None  # a street's centrelines (EPSG:4326), highlighted when found
    )


class Health(BaseModel):
    """Whether the database answers and how much data it holds."""

    status: str
    parcels: int


class TileLayer(BaseModel):
    """A vector tile layer: its URL template (with the data version), lowest zoom, version."""

    name: str
    url: str
    min_zoom: int
    version: int


class TileIndex(BaseModel):
    """The map's vector tile layers."""

    layers: list[TileLayer]


class ParcelAt(BaseModel):
    """The property unit under a point of the map."""

    property_id: str
    property_id_short: str
