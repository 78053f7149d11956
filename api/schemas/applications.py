"""Application documents: the case, its list, the hearing, the frozen analysis, the timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr

from api.schemas.analysis import SiteAnalysis
from api.schemas.excavations import ClaimClock
from api.schemas.geojson import Geometry
from api.schemas.money import Money
from api.schemas.neighbours import NeighbourList, SiteUnit


class Party(BaseModel):
    """A party of the application: the applicant, a co-applicant or the designer."""

    id: int | None
    role: str
    name: str | None
    email: str | None
    status: str


class Attachment(BaseModel):
    """An attachment's metadata (the file itself: GET .../attachments/{id})."""

    id: int
    kind: str
    name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_at: dt.datetime


class ChecklistItem(BaseModel):
    """A required attachment from the rule file, and whether one is attached."""

    code: str
    title: str
    title_fi: str
    reason: str
    scale: int | None = None
    attached: bool


class PlannedBuilding(BaseModel):
    """A planned building of the application."""

    n: int
    use: str
    floor_area_m2: float | None
    height_m: float | None
    footprint: Geometry | None


class Decision(BaseModel):
    """The decision and its clock."""

    outcome: str
    decided_by: str
    decided_on: dt.date
    posted_on: dt.date
    conditions: list[str]
    reasons: str | None = Field(
        default=None,
        description="its reasons (null: a grant given without them, or a decision recorded "
        "before Rajapiste kept them); an annulled permit's: why it was annulled",
    )
    appeal_kind: str
    appeal_days: int
    appeal_ends_on: dt.date
    legally_valid_on: dt.date | None = Field(
        description="null while an appeal is pending (state 'appealed'): the day is not known yet"
    )
    start_by: dt.date | None
    finish_by: dt.date | None
    valid_until: dt.date | None
    appealed_on: dt.date | None = Field(
        default=None, description="the day a rectification claim or an appeal was lodged"
    )
    valid_after_appeal: bool = Field(
        default=False,
        description="legally_valid_on is the day the appeal was settled (the limits run from it)",
    )
    ruling_by: str | None = Field(
        default=None, description="who ruled on the appeal that this decision came out of"
    )
    ruling_on: dt.date | None = Field(default=None, description="the day of that ruling")
    ruling_reference: str | None = Field(
        default=None, description="the ruling's reference (diary number)"
    )


class Deadline(BaseModel):
    """A date the case runs towards (hearing deadline, appeal period, start by, ...)."""

    what: str
    date: dt.date
    days_left: int | None = None


class LiftedFlag(BaseModel):
    """A flag the frozen analysis found lifted by a statutory exception."""

    code: str
    exemption: str
    legal_basis: str  # as the rule file cites it (RakL 46 § 2 mom)
    legal_basis_text: dict[str, str] = Field(
        default_factory=dict, description="the citation in fi, sv and en"
    )


class AnalysisInfo(BaseModel):
    """Which analysis is frozen: when, on which data and which rule files."""

    id: int
    purpose: str
    computed_at: dt.datetime
    data_version: int | None
    data_imported_at: dt.datetime | None
    rules_version: str
    rules_files: list[str]
    flags: list[str] = Field(default_factory=list)
    # flags a statutory exception lifted (an outbuilding of an existing dwelling: by the
    # applicant's word where the application has `existing_dwelling`, else the register's)
    exemptions: list[LiftedFlag] = Field(default_factory=list)
    neighbours: int = 0
    # which properties the frozen list heard the neighbours of (as a neighbour list's `site`):
    # the site's own units, the units taken in, and those a drawing reaches into
    units: list[SiteUnit] = Field(default_factory=list)
    neighbours_of: list[str] = Field(default_factory=list)
    reaches: list[SiteUnit] = Field(default_factory=list)


class WorksInfo(ClaimClock):
    """A dig or area-use permit's own record (its lifecycle lives at /api/v1/excavations)."""

    permit_state: str
    starts_on: dt.date
    ends_on: dt.date
    url: str
    conditions: list[str] | None = Field(
        default=None, description="what it was approved on (null: none recorded)"
    )
    refusal_reason: str | None = Field(default=None, description="why it was refused")
    withdrawn_on: dt.date | None = Field(
        default=None, description="the day the applicant withdrew it, approved or not"
    )


class Application(BaseModel):
    """An application: the case as its reader may see it."""

    id: int
    kind: str
    state: str
    version: int
    municipality: str
    municipality_name: str
    property_ids: list[str]
    property_ids_short: list[str]
    site: Geometry | None
    site_area_m2: float | None
    description: str | None
    applicant: str | None = Field(
        description="who applies, by name (printed on the hearing letters to the neighbours)"
    )
    heard_by: str
    existing_dwelling: bool | None = Field(
        default=None,
        description="the applicant says a dwelling already stands on the site (null: the"
        " building register decides)",
    )
    filed_on: dt.date | None
    regime: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    yours: bool = Field(description="the reader applies (creator or accepted party)")
    may_attach: bool = Field(
        default=False, description="the reader may add attachments now (a party, while open)"
    )
    may_invite: bool = Field(
        default=False,
        description="the reader may invite parties now (the applicant or an accepted "
        "co-applicant, while open; not on dig and area-use permits)",
    )
    parties: list[Party]
    buildings: list[PlannedBuilding]
    attachments: list[Attachment]
    checklist: list[ChecklistItem]
    missing_attachments: list[str]
    analysis: AnalysisInfo | None
    decision: Decision | None
    deadlines: list[Deadline]
    next_states: list[str] = Field(description="the states the reader may move it to")
    earliest_on: dict[str, dt.date] = Field(
        default_factory=dict,
        description=(
            "steps of next_states that cannot be dated today, with the first day each may be:"
            " a granted decision ('decided') after the hearing's periods have run, 'legally_valid'"
            " and 'started' on the decision's legally valid day"
        ),
    )
    contacts_requested: bool
    contacts_published: bool
    letters_sent: bool
    works: WorksInfo | None = None


class ApplicationSummary(BaseModel):
    """A row of a list of applications."""

    id: int
    kind: str
    state: str
    version: int
    municipality: str
    property_ids_short: list[str]
    description: str | None
    filed_on: dt.date | None
    updated_at: dt.datetime
    next_deadline: Deadline | None
    yours: bool
    invited: bool = False
    invitation: int | None = Field(
        default=None,
        description="the reader's unanswered invitation to the case (a party id: accept or "
        "decline it at /parties/{id}/accept or /decline)",
    )
    invitation_name: str | None = Field(
        default=None,
        description="the name the invitation gives the reader (a co-applicant's is printed on "
        "the hearing letters once accepted; the reader may correct it when accepting)",
    )
    invitation_role: str | None = None
    invitation_from: str | None = Field(
        default=None,
        description="who sent the invitation: their account's e-mail address (none on "
        "invitations sent before it was recorded)",
    )
    invitation_applicant: str | None = Field(
        default=None, description="the invited case's applicant, as named on it"
    )


class ApplicationList(BaseModel):
    """Applications the reader may see, nearest deadline first."""

    applications: list[ApplicationSummary]
    count: int
    truncated: bool = Field(
        default=False,
        description="more applications match than are listed (the open cases changed last come"
        " first): narrow the list with state, kind, municipality or bbox",
    )


class HearingAddressee(BaseModel):
    """One addressee of the hearing: who (unless withheld), about which units, where it stands."""

    id: int
    n: int
    property_id: str | None = Field(description="the first unit (None for the road authority)")
    property_ids: list[str]
    property_ids_short: list[str]
    relation: str
    reached: bool = Field(
        False,
        description="the drawn site lies on one of its units (relation stays adjacent): shown"
        " as such",
    )
    kind: str
    name: str | None
    withheld: bool
    contact_name: str | None = None
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    address_known: bool
    language: str | None = Field(
        description="the letter's language (fi, sv); null where the owner is withheld"
    )
    reason: str
    reason_fi: str
    reason_sv: str
    status: str
    status_on: dt.date | None
    letter_sent_on: dt.date | None
    reminded_on: dt.date | None
    deadline: dt.date | None
    remarks: str | None = None
    done: bool
    non_responder: bool
    public_notice_allowed: bool


class Hearing(BaseModel):
    """The hearing of an application: who hears, each addressee's status, whether it is complete."""

    application_id: int
    version: int
    heard_by: str
    complete: bool
    letters_sent: bool
    letters_sent_on: dt.date | None
    neighbours: int
    letters: int
    letters_charged: int
    fee_per_letter_eur: Money
    hearing_cost_eur: Money
    hearing_cost_note: str | None
    deadline: dt.date | None
    earliest_decision_date: dt.date | None
    public_notice_allowed: bool
    public_notice_reason: str
    non_responders: int
    contacts_requested: bool
    contacts_published: bool
    legal_basis: str | None  # as cited in Finnish (RakL 63 §): stable
    legal_basis_text: str | None = None  # the same in the response's language (bygglagen 63 §)
    addressees: list[HearingAddressee]
    # the notes as messages, written in the response's language by api.services.texts.notes
    _messages: dict[str, Any] = PrivateAttr(default_factory=dict)


class FrozenAnalysis(BaseModel):
    """The frozen analysis and neighbour list, with the data and rule versions they came from."""

    info: AnalysisInfo
    analysis: SiteAnalysis | None
    neighbour_list: NeighbourList | None


class AnalysisDiff(BaseModel):
    """What a new run on today's data would change, against the frozen analysis."""

    same: bool
    neighbours_added: list[dict[str, Any]]
    neighbours_removed: list[dict[str, Any]]
    relations_changed: list[dict[str, Any]]
    owners_changed: list[str]
    flags_added: list[dict[str, Any]]
    flags_removed: list[dict[str, Any]]


class Rerun(BaseModel):
    """A new run beside the frozen one: both versions and the difference; adopted or not."""

    application_id: int
    version: int
    frozen: AnalysisInfo
    rerun: AnalysisInfo
    data_changed: bool
    rules_changed: bool
    diff: AnalysisDiff
    adopted: bool


class Event(BaseModel):
    """Something that happened to the case."""

    at: dt.datetime
    on: dt.date | None
    event: str
    from_state: str | None
    to_state: str | None
    role: str | None
    detail: dict[str, Any]


class Timeline(BaseModel):
    """What happened, and the dates the case runs towards."""

    application_id: int
    state: str
    events: list[Event]
    deadlines: list[Deadline]


class Reminder(BaseModel):
    """A deadline close at hand."""

    application_id: int
    kind: str
    state: str
    municipality: str
    property_ids_short: list[str]
    what: str
    date: dt.date
    days_left: int


class Reminders(BaseModel):
    """Deadlines within the window (the rule file's days, 7 by default), nearest first."""

    on: dt.date
    within_days: int | None
    reminders: list[Reminder]
