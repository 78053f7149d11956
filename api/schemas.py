"""Typed request bodies, validated at the edge."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class SiteRequest(BaseModel):
    """A drawn site for a neighbour list."""

    site: dict[str, Any] = Field(description="GeoJSON Polygon/MultiPolygon (or Feature)")
    crs: str | None = Field(default="EPSG:4326", description="CRS of the drawing")
    municipality: str | None = None
    date: dt.date | None = None
    out_crs: str | None = Field(default="EPSG:4326", description="CRS of the geometries returned")
