"""The site analysis document: plans, flags, setbacks, neighbours and fees of a site."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from api.schemas.geojson import Geometry
from api.schemas.neighbours import Authority, HearingTotals, Neighbour, SiteInfo


class PlanOverlap(BaseModel):
    """A plan the site overlaps (or, as a near miss, only grazes)."""

    kind: str
    name: str | None = None
    use_class: str | None = None
    overlap_m2: float
    share: float
    legally_binding: bool | None = None
    note: str | None = None


class Flag(BaseModel):
    """A decision or consent the site needs, with its legal basis in the regime in force."""

    model_config = ConfigDict(extra="allow")

    code: str
    message_en: str
    message_fi: str
    decision: str
    legal_basis: str
    severity: str
    building: int | None = None


class Setback(BaseModel):
    """One distance a building must keep: measured, required, kept or not, with the evidence line."""

    building: int
    rule: str
    measured_m: float
    required_m: float
    ok: bool
    source: str
    evidence: Geometry | None = None
    consent_from: str | None = None
    to: str | None = None
    use_key: str | None = None
    road: str | None = None
    road_class: str | None = None


class BuildingOut(BaseModel):
    """A planned building as analysed."""

    building: int
    use: str
    floor_area_m2: float
    height_m: float
    footprint_m2: float
    geometry: Geometry | None


class FeeLine(BaseModel):
    """One fee line."""

    item: str
    eur: float


class Fees(BaseModel):
    """A fee estimate from the municipality's tariff."""

    total_eur: float
    lines: list[FeeLine]
    tariff: str | None = None


class SiteAnalysis(BaseModel):
    """Which plans apply, which decision the site needs, setbacks, neighbours and fees."""

    site: SiteInfo
    property_id: str | None
    municipality: str
    rules: str
    date: str
    regime: str
    regime_name: str
    crs: str
    plans: list[PlanOverlap]
    near_misses: list[PlanOverlap]
    flags: list[Flag]
    setbacks: list[Setback]
    shore_distance_m: float | None
    buildings: list[BuildingOut]
    neighbours: list[Neighbour]
    authorities: list[Authority]
    hearing: HearingTotals
    fees: Fees
    attribution: str
