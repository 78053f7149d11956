"""The neighbour list document: who must be heard about a site, why, and what the hearing costs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr

from api.schemas.geojson import Geometry
from api.schemas.money import Money

CaseKind = Literal["building_permit", "deviation", "planning_need", "minor_deviation"]
HeardBy = Literal["authority", "applicant"]


class Owner(BaseModel):
    """An owner of a unit (personal data: name and address from the land register)."""

    kind: str
    name: str | None
    share: str | None = None
    contact_name: str | None = None
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    # true when the caller may not see this private owner: then only `kind` is given
    withheld: bool = False


class Neighbour(BaseModel):
    """One unit to be heard, with the relation, the reason and the evidence line."""

    property_id: str
    property_id_short: str
    property_id_long: str
    relation: Literal["adjacent", "opposite", "affected", "manual"]
    unit_kind: str | None = None
    public_type: str | None = None
    municipality: str | None = None
    contact: Literal["edge", "point"] | None = None
    shared_boundary_m: float | None = None
    gap_m: float | None = None
    across: Literal["road", "water", "park"] | None = None
    across_property_id: str | None = None
    across_name: str | None = None
    across_name_sv: str | None = None  # the street's Swedish name (else as across_name)
    crossing_distance_m: float | None = None
    distance_m: float | None = None  # the wider circle: distance from the site
    reason: str  # in the response's language (?lang= / Accept-Language; English by default)
    reason_fi: str
    reason_sv: str | None = None
    reason_en: str | None = None
    reason_code: str | None = None  # edge, point, opposite, affected, manual, reaches (stable)
    # the unit a drawing reaches into (not its own) that this one borders, where it borders
    # nothing else of the site (adjacent), or that its shortest crossing starts from (opposite:
    # the metres are measured from it); the reason names it. via_property_ids: every one the
    # reason names with its contact, the longest first (of equal ones, the nearest); also where
    # it borders the rest of the site and runs on along them (then via_property_id is null and
    # the reason says the contact with the site first; the parts add up to shared_boundary_m,
    # the contact with the whole site heard)
    via_property_id: str | None = None
    via_property_ids: list[str] = []
    evidence: Geometry | None = None
    geometry: Geometry | None = None
    owners: list[Owner]


class Authority(BaseModel):
    """An authority to be heard: the ELY centre when the site borders a state road."""

    name: str
    kind: str
    reason: str
    road_name: str | None = None
    road_number: int | None = None
    road_class: str | None = None
    letter: bool = True


class Recipient(BaseModel):
    """One letter: to whom, about which properties."""

    recipient: str | None
    withheld: bool = False
    kind: str
    property_ids: list[str]


class HearingTotals(BaseModel):
    """Letters, cost and dates of the hearing."""

    kind: CaseKind = "building_permit"
    heard_by: HeardBy = "authority"
    neighbours: int
    adjacent: int
    opposite: int
    affected: int = 0
    letters: int
    letters_charged: int
    fee_per_letter_eur: Money
    hearing_cost_eur: Money
    hearing_cost_note: str | None = None
    hearing_period_days: int
    delivery_days: int
    letters_sent: str
    hearing_deadline: str
    deadline_moved_from: str | None = None
    deadline_rule: str
    earliest_decision_date: str
    owners_unknown: int
    public_notice_allowed: bool
    public_notice_reason: str
    recipients: list[Recipient]
    # the notes above as catalogue messages (not sent): api.services.texts localizes them
    _messages: dict[str, Any] = PrivateAttr(default_factory=dict)


class SiteUnit(BaseModel):
    """A unit the site is (part of)."""

    property_id: str
    property_id_short: str
    overlap_m2: float | None = None
    unit_share: float | None = None
    site_share: float | None = None


class SiteInfo(BaseModel):
    """The site: its area, geometry and units."""

    area_m2: float
    geometry: Geometry | None
    units: list[SiteUnit]
    # The private units whose parcels under a drawn site are taken in: its own units, and
    # those it reaches into (`reaches`). The neighbours are those of the drawing together with
    # these parcels (empty: the drawing alone, or a property asked for by its id, which is
    # its own site).
    neighbours_of: list[str] = []
    # Of `neighbours_of`, the private units a drawing reaches into deeper than the adjacency
    # tolerance without being their own (a site split over two plots, or drawn across a
    # boundary), with the m² and share of the drawing on each: their neighbours are heard, and
    # so are they, as neighbours of the site (reason_code "reaches").
    reaches: list[SiteUnit] = []


class NeighbourRules(BaseModel):
    """The rule values the list was computed with."""

    municipality: str
    adjacent_tolerance_m: float
    opposite_road_max_m: float
    opposite_water_max_m: float
    opposite_park_max_m: float
    hearing_period_days: int
    fee_per_letter_eur: Money
    affected_radius_m: float | None = None  # the wider circle, in deviation / planning-need cases
    road_authority: str | None = None


class Removed(BaseModel):
    """A neighbour the officer removed, with the reason."""

    property_id: str
    reason: str


class NeighbourList(BaseModel):
    """Who must be heard about a site (a property unit's, or a drawn one)."""

    property_id: str | None
    property_id_short: str | None
    municipality: str
    site: SiteInfo
    crs: str
    date: str | None = None  # the filing date: it picks the regime and the rules
    kind: CaseKind = "building_permit"
    regime: str
    legal_basis: str  # as cited in Finnish (RakL 63 §): stable
    legal_basis_text: str | None = None  # the same in the response's language (bygglagen 63 §)
    rules: NeighbourRules
    neighbours: list[Neighbour]
    authorities: list[Authority]
    totals: HearingTotals
    attribution: str
    removed: list[Removed] = Field(default_factory=list)
