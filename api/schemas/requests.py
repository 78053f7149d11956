"""Typed request bodies, validated at the edge."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.geojson import OUT_CRS_HELP, GeoJSONIn
from api.schemas.neighbours import CaseKind, HeardBy

KIND_HELP = (
    "the case: building_permit (MRL 133 § / RakL 63 §), deviation or planning_need (MRL 173 § "
    "+ MRA 86 § / RakL 64 §: also the wider circle whose living or work may be affected), "
    "minor_deviation (heard with the permit)"
)
DATE_HELP = "the filing date: it picks the legal regime and the rules in force (default today)"
SENT_HELP = "the day the hearing letters are sent (default today): the deadline runs from it"
HEARD_HELP = "who hears the neighbours: the authority (a per-letter fee may apply) or the applicant"


class CaseFields(BaseModel):
    """What kind of case, filed when, heard by whom and from which day."""

    kind: CaseKind = Field(default="building_permit", description=KIND_HELP)
    date: dt.date | None = Field(default=None, description=DATE_HELP)
    letters_sent: dt.date | None = Field(default=None, description=SENT_HELP)
    heard_by: HeardBy = Field(default="authority", description=HEARD_HELP)


class SiteRequest(CaseFields):
    """A drawn site for a neighbour list."""

    site: GeoJSONIn
    crs: str | None = Field(default="EPSG:4326", description="CRS of the drawing")
    municipality: str | None = None
    out_crs: str | None = Field(default="EPSG:4326", description=OUT_CRS_HELP)


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


class SiteIn(CaseFields):
    """A site: a property id or a drawing (in `crs`), the municipality (else from the location), a date."""

    property_id: str | None = None
    site: GeoJSONIn | None = None
    crs: str | None = "EPSG:4326"
    municipality: str | None = None


class SiteAnalysisIn(SiteIn):
    """A site analysis request: a drawn site or a property, and planned buildings."""

    buildings: list[BuildingIn] = Field(default_factory=list)
    out_crs: str | None = Field(default="EPSG:4326", description=OUT_CRS_HELP)
    decided_by: Literal["board", "inspector"] = Field(
        default="board",
        description="who decides a deviation or planning need (fees differ, e.g. Kotka): the "
        "board by default, the higher fee, so the estimate does not fall short",
    )
    outcome: Literal["granted", "refused"] = Field(
        default="granted",
        description="the decision's outcome for the fee (a refusal may cost less)",
    )
    foremen: int | None = Field(
        default=None, ge=0, le=20, description="foremen to approve (default: 1 with buildings)"
    )
    start_meeting: bool | None = Field(
        default=None, description="a start meeting is held (default: when a main building is built)"
    )
    existing_dwelling: bool | None = Field(
        default=None,
        description="the site already has a dwelling (statutory exceptions for outbuildings); "
        "default: a dwelling in the building register stands on the site",
    )


class ManualNeighbour(BaseModel):
    """A neighbour the officer added or removed by hand, with the reason."""

    property_id: str
    reason: str = Field(min_length=1)


class HearingPackageIn(SiteIn):
    """The neighbour list to print, with the officer's changes."""

    lang: str = "fi"
    added: list[ManualNeighbour] = Field(default_factory=list)
    removed: list[ManualNeighbour] = Field(default_factory=list)
