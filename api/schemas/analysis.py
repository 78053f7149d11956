"""The site analysis document: plans, flags, setbacks, neighbours and fees of a site."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.coverage import Checked
from api.schemas.geojson import Geometry
from api.schemas.money import Money
from api.schemas.neighbours import Authority, CaseKind, HearingTotals, Neighbour, SiteInfo
from geo.siteplan.fees import FeeCode


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
    legal_basis: str  # as cited in Finnish (MRL 137 §): stable
    legal_basis_text: str | None = None  # the same in the response's language (MBL 137 §)
    severity: str
    message: str | None = None  # in the response's language (?lang= / Accept-Language)
    decision_text: str | None = None  # the decision in the response's language
    building: int | None = None
    reason: str | None = None  # why it was raised (shore, planning need, site area), localized
    exemption: str | None = None  # an exception that covers part of the case, if any


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
    numbers_from: str | None = None
    # only a rule we lack the data for is not kept (no plan data here): neither flag nor all-clear
    uncertain: bool | None = None


class BuildingOut(BaseModel):
    """A planned building as analysed."""

    building: int
    use: str
    floor_area_m2: float
    height_m: float
    footprint_m2: float
    geometry: Geometry | None


class FeeLine(BaseModel):
    """One fee line: a stable code, the amount, its source and the date it took effect."""

    code: FeeCode
    item: str
    eur: Money
    eur_max: Money | None = None  # the top of the tariff's range (heavy cases, ranges)
    source: str | None = None
    effective_from: str | None = None
    note: str | None = None
    quantity: int | None = None
    unit_eur: Money | None = None
    building: int | None = None
    decided_by: str | None = None
    includes: list[str] | None = None


class NotConfigured(BaseModel):
    """An item the case needs that the municipality's tariff does not price."""

    code: FeeCode
    item: str
    note: str


class Fees(BaseModel):
    """A fee estimate from the municipality's own tariff; no euros where it has none."""

    total_eur: Money | None
    total_max_eur: Money | None = None
    lines: list[FeeLine]
    not_configured: list[NotConfigured] = Field(default_factory=list)
    configured: bool
    complete: bool
    tariff: str | None = None
    source: str | None = None
    note: str | None = None
    decided_by: str
    outcome: str
    heard_by: str


class Exemption(BaseModel):
    """A flag a statutory exception lifted: which exception, on what basis, and why."""

    code: str
    raised: bool
    exemption: str
    legal_basis: str  # as the rule file cites it in Finnish (RakL 46 § 2 mom): stable
    legal_basis_text: str | None = None  # the same in the response's language (bygglagen …)
    source: str
    buildings: list[int]
    reason: str


class SiteAnalysis(Checked):
    """Which plans apply, which decision the site needs, setbacks, neighbours and fees."""

    site: SiteInfo
    property_id: str | None
    municipality: str
    rules: str
    date: str
    regime: str
    regime_name: str
    crs: str
    kind: CaseKind
    hearing_kind: CaseKind
    decisions_needed: list[str]
    plans: list[PlanOverlap]
    near_misses: list[PlanOverlap]
    flags: list[Flag]
    exemptions: list[Exemption]
    setbacks: list[Setback]
    shore_distance_m: float | None
    buildings: list[BuildingOut]
    neighbours: list[Neighbour]
    authorities: list[Authority]
    hearing: HearingTotals
    fees: Fees
    attribution: str
