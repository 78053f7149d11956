"""Reports of an inaccurate flag or finding ("report an inaccuracy"), stored for officers."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.schemas.geojson import Geometry

Source = Literal["analysis", "excavation"]
State = Literal["open", "accepted", "rejected"]


class FlagReportIn(BaseModel):
    """What the user says is wrong: which flag (its code), where, and why."""

    source: Source
    code: str = Field(min_length=1, max_length=64, pattern=r"^[a-z_]+$")
    municipality: str = Field(pattern=r"^\d{3}$")
    property_id: str | None = Field(default=None, max_length=40)
    message: str | None = Field(default=None, max_length=2000, description="the text shown")
    comment: str = Field(min_length=1, max_length=2000, description="why the flag is wrong")
    location: dict[str, Any] | None = Field(
        default=None, description="a GeoJSON Point (EPSG:4326 unless `crs` says otherwise)"
    )
    crs: str | None = None


class FlagReport(BaseModel):
    """A stored report."""

    id: int
    reported_at: dt.datetime
    source: Source
    code: str
    municipality: str
    property_id: str | None = None
    message: str | None = None
    comment: str
    state: State
    reported_by: str | None = None
    location: Geometry | None = None


class FlagReportCreated(BaseModel):
    """The stored report's id and state."""

    id: int
    reported_at: dt.datetime
    state: State


class FlagReports(BaseModel):
    """Reports for an officer's municipality (an admin's: all), newest first."""

    reports: list[FlagReport]


class FlagReportState(BaseModel):
    """An officer's decision on a report."""

    state: State
