"""Typed request bodies, validated at the edge."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.schemas.geojson import GeoJSONIn


class SiteRequest(BaseModel):
    """A drawn site for a neighbour list."""

    site: GeoJSONIn
    crs: str | None = Field(default="EPSG:4326", description="CRS of the drawing")
    municipality: str | None = None
    date: dt.date | None = None
    out_crs: str | None = Field(default="EPSG:4326", description="CRS of the geometries returned")


class PhaseIn(BaseModel):
    """One phase of a dig: areas (polygons or lines with a width) and a period."""

    areas: list[GeoJSONIn] = Field(min_length=1)
    width_m: float | None = Field(default=None, description="width of line areas, metres")
    start: dt.date
    end: dt.date
    on_carriageway: bool = False
    traffic_plan: str | None = None


class ExcavationIn(BaseModel):
    """An excavation, placement or area-use permit application."""

    municipality: str | None = None
    kind: str = "excavation"
    emergency: bool = False
    crs: str | None = "EPSG:4326"
    applicant: str | None = None
    description: str | None = None
    today: dt.date | None = Field(default=None, description="the day of the check (default: today)")
    phases: list[PhaseIn] = Field(min_length=1)


class StateChange(BaseModel):
    """A lifecycle step of a stored permit."""

    state: str
    date: dt.date | None = None


class BuildingIn(BaseModel):
    """A planned building on the site."""

    footprint: GeoJSONIn
    use: str = "dwelling"
    floor_area_m2: float | None = Field(default=None, ge=0)
    height_m: float | None = Field(default=None, ge=0, le=200)


class SiteIn(BaseModel):
    """A site: a property id or a drawing (in `crs`), the municipality (else from the location), a date."""

    property_id: str | None = None
    site: GeoJSONIn | None = None
    crs: str | None = "EPSG:4326"
    municipality: str | None = None
    date: dt.date | None = None


class SiteAnalysisIn(SiteIn):
    """A site analysis request: a drawn site or a property, and planned buildings."""

    buildings: list[BuildingIn] = Field(default_factory=list)
    out_crs: str | None = "EPSG:4326"


class ManualNeighbour(BaseModel):
    """A neighbour the officer added or removed by hand, with the reason."""

    property_id: str
    reason: str = Field(min_length=1)


class HearingPackageIn(SiteIn):
    """The neighbour list to print, with the officer's changes."""

    lang: str = "fi"
    added: list[ManualNeighbour] = Field(default_factory=list)
    removed: list[ManualNeighbour] = Field(default_factory=list)
