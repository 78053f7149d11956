"""Documents of the map's start-up, search and health."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field


class TileMatrix(BaseModel):
    """The map's tile matrix set when it is not WebMercatorQuad: a CRS and its tile grid.

    Map zoom `zoom_offset + n` shows level n of the background and of the vector tiles.
    """

    id: Literal["ETRS-TM35FIN"]
    crs: Literal["EPSG:3067"]
    proj4: str  # the CRS's definition for proj4js
    origin: tuple[float, float]  # top-left corner of the grid (x, y) in metres
    resolutions: list[float]  # metres a pixel at map zoom 0, 1, ...
    bounds: tuple[float, float, float, float]  # the grid's extent (x0, y0, x1, y1)
    tile_size: int
    zoom_offset: int  # the map zoom of level 0
    max_level: int  # the background's deepest level (tiles beyond are scaled up)


class MapConfig(BaseModel):
    """What the map needs to start: data extent, background map, attribution, languages."""

    extent: dict[str, Any] | None
    attribution: str
    basemap_url: str | None
    basemap_attribution: str
    # WebMercatorQuad: basemap_url is an XYZ template; ETRS-TM35FIN: a WMTS REST template
    # ({z} = TileMatrix, {y} = TileRow, {x} = TileCol) and the map runs in EPSG:3067.
    basemap_tms: Literal["WebMercatorQuad", "ETRS-TM35FIN"] = "WebMercatorQuad"
    tile_matrix: TileMatrix | None = None
    languages: list[str]
    default_municipality: str
    snap_m: float  # the ground distance within which the map snaps a corner, when asked to
    days_off: list[dt.date] = Field(
        default_factory=list,
        description="Finland's days off besides Saturdays and Sundays, this year and next "
        "(public holidays, Christmas Eve, Midsummer Eve: Act 150/1930 5 §): the page starts a "
        "dig's first phase on a working day",
    )


class SearchHit(BaseModel):
    """A property, a street or a street address found by search, with the extent to show."""

    type: Literal["property", "street", "address"]
    label: str
    bbox: dict[str, Any]
    property_id: str | None = None
    name: str | None = None
    geometry: dict[str, Any] | None = (
        None  # a street's centrelines (EPSG:4326), highlighted when found
    )
    at: tuple[float, float] | None = Field(
        default=None,
        description="lon, lat of a point inside the property found (for a property or an "
        "address's plot): where the page asks which plot is there, as a click would",
    )


class Health(BaseModel):
    """Whether the database answers and about how much data it holds."""

    status: str
    parcels: int = Field(description="an estimate from the planner's statistics (not counted)")


class TileLayer(BaseModel):
    """A vector tile layer: its URL template (with the data version), lowest zoom, version."""

    name: str
    url: str
    min_zoom: int
    version: int


class TileIndex(BaseModel):
    """The map's vector tile layers (in the tile matrix set `tms`)."""

    tms: Literal["WebMercatorQuad", "ETRS-TM35FIN"] = "WebMercatorQuad"
    layers: list[TileLayer]


class ParcelAt(BaseModel):
    """The property unit under a point of the map."""

    property_id: str
    property_id_short: str
    inside: tuple[float, float] | None = Field(
        default=None,
        description="asked for (`inside=true`): lon, lat of the centre of the largest circle "
        "inside the unit clear of the buildings on it, where the page moves buildings drawn on "
        "another site when this one is picked",
    )
    inside_radius_m: float | None = Field(default=None, description="that circle's radius, m")
