"""Dig-permit documents: the check of a draft, a stored permit, its lifecycle, the works map."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.analysis import FeeLine
from api.schemas.coverage import Checked
from api.schemas.geojson import FeatureCollection, Geometry
from api.schemas.money import Money


class AffectedProperty(BaseModel):
    """A property a dig lies on, or whose access it affects."""

    property_id: str
    property_id_short: str
    area_m2: float | None = None
    distance_m: float | None = None
    side: str | None = None


class Finding(BaseModel):
    """Something the check found: a code, the phase, how serious, and a message."""

    model_config = ConfigDict(extra="allow")

    code: str
    phase: int
    severity: str
    message: str
    properties: list[AffectedProperty] | None = None
    evidence: Geometry | None = None


class PhaseOut(BaseModel):
    """A checked work phase."""

    n: int
    area_m2: float
    start: str
    end: str
    on_carriageway: bool
    geometry: Geometry | None


class ExcavationFee(BaseModel):
    """The permit fee from the municipality's tariff; no euros where its amounts are not set."""

    total_eur: Money | None
    lines: list[FeeLine]
    configured: bool
    tariff: str | None = None
    structure: str | None = None
    note: str | None = None


class Inspection(BaseModel):
    """An inspection date."""

    kind: str
    date: str


class ExcavationCheck(Checked):
    """What a dig-permit draft needs: findings, fee, inspections; nothing is stored."""

    municipality: str
    municipality_name: str
    kind: str
    emergency: bool
    starts_on: str
    ends_on: str
    area_m2: float
    phases: list[PhaseOut]
    findings: list[Finding]
    fee: ExcavationFee
    inspections: list[Inspection]
    guarantee_years: int
    grantable: bool
    suggested_conditions: list[str] = Field(
        default_factory=list,
        description="the usual conditions for these phases and findings, in the request's "
        "language: what the officer starts from when approving (domain.md K4, K6, K7)",
    )
    outside_data: bool = False  # a phase has no parcel data at all (see the blocker finding)


class ExcavationCreated(ExcavationCheck):
    """A stored application: the check, with its id and state."""

    id: int
    state: str
    version: int = Field(description="send it back with an edit or a step (optimistic locking)")


class StoredPhase(BaseModel):
    """A stored phase as an edit takes it back: its dig areas and lines as drawn."""

    areas: list[Geometry] = Field(
        description="each as drawn: an area, or a line with the phase's width_m (a dig stored"
        " before lines were kept: the area it covers)"
    )
    width_m: float | None = Field(
        default=None, description="the width of the lines drawn in it (null: no lines)"
    )
    start: dt.date
    end: dt.date
    on_carriageway: bool
    traffic_plan: str | None


class StoredApplication(BaseModel):
    """A stored permit's application, as `PUT /api/v1/excavations/{id}` takes it back."""

    municipality: str
    kind: str
    emergency: bool
    crs: str = Field(description="the areas' CRS: EPSG:4326 (RFC 7946)")
    applicant: str | None
    description: str | None
    phases: list[StoredPhase]
    version: int = Field(description="send it back with the edit (optimistic locking)")


class ClaimClock(BaseModel):
    """When a dig permit's decision was made and sent, and when it stands (null: undecided).

    The rectification claim's period runs by the rule file's days.
    """

    decided_on: dt.date | None = Field(
        description="the day it was approved or refused (null: not decided yet)"
    )
    notice_method: Literal["letter", "electronic"] | None = Field(
        description="how the decision was sent to its applicant"
    )
    notice_sent_on: dt.date | None = Field(description="the day it was sent")
    notice_received_on: dt.date | None = Field(
        description="the day it is deemed received: hearing.delivery_days after a"
        " letter was sent (Hallintolaki 59 §), decisions.electronic_received_days after an"
        " electronic message (13/2003 19 §)",
    )
    claim_ends_on: dt.date | None = Field(
        description="the last day of a rectification claim against the decision: the rule file's"
        " decisions.rectification_days from notice_received_on, moved off a weekend or holiday",
    )
    legally_valid_on: dt.date | None = Field(
        description="the day the decision is legally valid unless a claim is made",
    )


class Permit(ClaimClock):
    """A stored permit's record."""

    id: int
    municipality: str
    kind: str
    emergency: bool
    state: str
    applicant: str | None
    description: str | None
    starts_on: dt.date
    ends_on: dt.date
    accepted_on: dt.date | None
    guarantee_ends: dt.date | None
    fee_eur: float | None
    created_at: dt.datetime
    version: int = Field(description="send it back with an edit or a step (optimistic locking)")
    conditions: list[str] | None = Field(
        description="the conditions it was approved on ([]: none in particular; null: none "
        "recorded, as for a permit approved before Rajapiste kept them)"
    )
    refusal_reason: str | None = Field(description="why it was refused (state 'refused')")
    withdrawn_on: dt.date | None = Field(
        default=None, description="the day the applicant withdrew it (state 'withdrawn')"
    )


class StateChanged(ClaimClock):
    """A permit after a lifecycle step."""

    id: int
    state: str
    accepted_on: str | None
    guarantee_ends: str | None
    inspections: list[Inspection]
    version: int
    conditions: list[str] | None
    refusal_reason: str | None


Works = FeatureCollection
