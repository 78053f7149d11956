"""Typed request bodies, validated at the edge."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from api import finland
from api.schemas.geojson import OUT_CRS_HELP, GeoJSONIn
from api.schemas.neighbours import CaseKind, HeardBy
from geo import property_id, regime

KIND_HELP = (
    "the case: building_permit (MRL 133 § / RakL 63 §), deviation or planning_need (MRL 173 § "
    "+ MRA 86 § / RakL 64 §: also the wider circle whose living or work may be affected), "
    "minor_deviation (heard with the permit)"
)
DATE_HELP = "the filing date: it picks the legal regime and the rules in force (default today)"
SENT_HELP = "the day the hearing letters are sent (default today): the deadline runs from it"
HEARD_HELP = "who hears the neighbours: the authority (a per-letter fee may apply) or the applicant"


def _in_range(day: dt.date) -> dt.date:
    """A day a request may name: from 2000 (no regime before) to five years ahead.

    Deadlines, guarantee periods and reminders are counted on from the days given: a day near
    year 1 or 9999 would overflow the calendar where no one expects it. The error's type names
    its text in the catalogues (`invalid.<type>`), said in the request's language.
    """
    if day < regime.EARLIEST_DATE:
        raise PydanticCustomError(
            "date_too_early",
            "date {day} is before {first}: no regime covers it",
            {"day": day, "first": regime.EARLIEST_DATE},
        )
    if day > regime.latest_date(finland.today()):
        raise PydanticCustomError(
            "date_too_late",
            "date {day} is more than {years} years ahead",
            {"day": day, "years": regime.MAX_YEARS_AHEAD},
        )
    return day


def _in_century(day: dt.date) -> dt.date:
    """The last day of a permit's period: from 2000 to 2099 (an area use may last for years)."""
    if not regime.EARLIEST_DATE <= day <= LAST_END_DAY:
        raise PydanticCustomError(
            "date_after_last",
            "date {day} is outside {first} to {last}",
            {"day": day, "first": regime.EARLIEST_DATE, "last": LAST_END_DAY},
        )
    return day


LAST_END_DAY = dt.date(2099, 12, 31)
Day = Annotated[dt.date, AfterValidator(_in_range)]
EndDay = Annotated[dt.date, AfterValidator(_in_century)]
MunicipalityCode = Annotated[
    str,
    Field(
        pattern=rf"^{property_id.MUNICIPALITY_CODE}$",
        description="municipality code, e.g. 091 (Helsinki)",
    ),
]


class Body(BaseModel):
    """A request body: NaN and ±Infinity are refused (JSON has no such numbers; Python reads them)."""

    model_config = ConfigDict(allow_inf_nan=False)


class CaseFields(Body):
    """What kind of case, filed when, heard by whom and from which day."""

    kind: CaseKind = Field(default="building_permit", description=KIND_HELP)
    date: Day | None = Field(default=None, description=DATE_HELP)
    letters_sent: Day | None = Field(default=None, description=SENT_HELP)
    heard_by: HeardBy = Field(default="authority", description=HEARD_HELP)


class SiteRequest(CaseFields):
    """A drawn site for a neighbour list."""

    site: GeoJSONIn
    crs: str | None = Field(default="EPSG:4326", description="CRS of the drawing")
    municipality: MunicipalityCode | None = None
    out_crs: str | None = Field(default="EPSG:4326", description=OUT_CRS_HELP)


class PhaseIn(Body):
    """One phase of a dig: areas (polygons or lines with a width) and a period."""

    areas: list[GeoJSONIn] = Field(min_length=1)
    width_m: float | None = Field(
        default=None, gt=0, le=1000, description="width of line areas, metres (at most 1 km)"
    )
    start: Day
    end: EndDay
    on_carriageway: bool = False
    traffic_plan: str | None = Field(
        default=None,
        max_length=20_000,
        description="the temporary traffic arrangement plan's reference; one with no letter or "
        "digit (spaces, '-', '.') is none",
    )

    @field_validator("traffic_plan")
    @classmethod
    def _a_reference_or_none(cls, v: str | None) -> str | None:
        # stop 54's walkthrough: "   " or "-" lifted the carriageway's blocker as a plan would
        v = (v or "").strip()
        return v if any(c.isalnum() for c in v) else None


class ExcavationIn(Body):
    """An excavation, placement or area-use permit application."""

    municipality: MunicipalityCode | None = None
    kind: str = "excavation"
    emergency: bool = False
    crs: str | None = "EPSG:4326"
    applicant: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=20_000)
    today: Day | None = Field(default=None, description="the day of the check (default: today)")
    phases: list[PhaseIn] = Field(min_length=1)
    version: int | None = Field(
        default=None,
        description="on an edit: the permit's version as read; a stale one is refused (409)",
    )


Condition = Annotated[str, Field(max_length=5000)]  # one condition of a decision


class NoticeIn(Body):
    """How a dig or area-use permit's decision was sent to its applicant, and when."""

    method: Literal["letter", "electronic"] = Field(
        default="letter",
        description="by letter (deemed received on the rule file's hearing.delivery_days"
        " after it was sent) or as an electronic message (decisions.electronic_received_days)",
    )
    sent_on: Day | None = Field(default=None, description="default: the decision's day")


NOTICE_FIELD = (
    "with 'approved' or 'refused' on a dig or area-use permit: how and when the decision was"
    " sent to its applicant (default: by letter on the decision's day); the rectification"
    " claim's days run from the day it is deemed received"
)


class StateChange(Body):
    """A lifecycle step of a stored permit; an approval with its conditions, a refusal with why."""

    state: str = Field(max_length=40)
    date: Day | None = None
    version: int | None = Field(
        default=None, description="the permit's version as read; a stale one is refused (409)"
    )
    conditions: list[Condition] | None = Field(
        default=None,
        max_length=100,
        description="with 'approved': the conditions the permit is granted on, one per item "
        "(see the check's suggested_conditions); blank items are dropped",
    )
    reason: str | None = Field(
        default=None, max_length=4000, description="with 'refused' (required): why it is refused"
    )
    notice: NoticeIn | None = Field(default=None, description=NOTICE_FIELD)


class BuildingIn(Body):
    """A planned building on the site."""

    footprint: GeoJSONIn
    use: str = Field(
        default="dwelling", max_length=60, description="the use, as the tariff names it"
    )
    floor_area_m2: float | None = Field(
        default=None, ge=0, le=1_000_000, description="gross floor area, m² (a sanity bound: 1 km²)"
    )
    height_m: float | None = Field(default=None, ge=0, le=200)


class SiteIn(CaseFields):
    """A site: a property id or a drawing (in `crs`), the municipality (else from the location), a date."""

    property_id: str | None = None
    site: GeoJSONIn | None = None
    crs: str | None = "EPSG:4326"
    municipality: MunicipalityCode | None = None


DWELLING_HELP = (
    "the site already has a dwelling (statutory exceptions for outbuildings); "
    "default: a dwelling in the building register stands on the site"
)


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
    existing_dwelling: bool | None = Field(default=None, description=DWELLING_HELP)


class ManualNeighbour(Body):
    """A neighbour the officer added or removed by hand, with the reason."""

    property_id: str = Field(max_length=40)
    reason: str = Field(min_length=1, max_length=2000)


class HearingPackageIn(SiteIn):
    """The neighbour list to print, with the officer's changes."""

    lang: Literal["fi", "sv", "en"] = Field(default="fi", description="the letter's language")
    added: list[ManualNeighbour] = Field(default_factory=list)
    removed: list[ManualNeighbour] = Field(default_factory=list)


AppKind = Literal[
    "building_permit", "deviation", "planning_need", "minor_deviation", "excavation", "area_use"
]


class PartyIn(BaseModel):
    """A party invited to an application by e-mail."""

    role: Literal["co_applicant", "designer"]
    email: str = Field(min_length=3, max_length=254)
    name: str | None = Field(default=None, max_length=200)
    version: int | None = Field(
        default=None, ge=1, description="the application's version as read (or the query's)"
    )


class AcceptIn(BaseModel):
    """Accepting an invitation: the name to be known by in the case, if not as invited."""

    name: str | None = Field(
        default=None,
        max_length=200,
        description="your name as the case names you (omitted: the name you were invited with)",
    )


APPLICANT_HELP = (
    "who applies, by name (a person or a company): printed on the hearing letters to the "
    "neighbours; dig permits: the applicant on the permit"
)


class ApplicationIn(BaseModel):
    """A new application: the kind, the site (a property or a drawing) and what is planned."""

    kind: AppKind
    property_id: str | None = Field(default=None, description="the site as a property id")
    site: GeoJSONIn | None = Field(
        default=None,
        description="the site as a drawing (in `crs`); given with property_id, the drawing is the site",
    )
    crs: str | None = Field(default="EPSG:4326", description="CRS of the drawing and buildings")
    description: str | None = Field(default=None, max_length=20_000)
    buildings: list[BuildingIn] = Field(default_factory=list, max_length=50)
    heard_by: HeardBy = Field(default="authority", description=HEARD_HELP)
    parties: list[PartyIn] = Field(default_factory=list, max_length=20)
    phases: list[PhaseIn] | None = Field(
        default=None, description="dig and area-use permits: the work phases (as for excavations)"
    )
    municipality: MunicipalityCode | None = None
    emergency: bool = Field(
        default=False,
        description="dig permits: emergency work, reported after it began (as for excavations)",
    )
    applicant: str | None = Field(default=None, max_length=200, description=APPLICANT_HELP)
    existing_dwelling: bool | None = Field(default=None, description=DWELLING_HELP)


class ApplicationPatch(BaseModel):
    """Changes to a draft (only the fields given change); `version` is the one you read."""

    version: int = Field(ge=1)
    kind: AppKind | None = None
    property_id: str | None = None
    site: GeoJSONIn | None = None
    crs: str | None = "EPSG:4326"
    description: str | None = Field(default=None, max_length=20_000)
    buildings: list[BuildingIn] | None = Field(default=None, max_length=50)
    heard_by: HeardBy | None = None
    applicant: str | None = Field(
        default=None,
        max_length=200,
        description="who applies, by name (a person or a company): printed on the hearing letters"
        ' to the neighbours ("": none)',
    )
    existing_dwelling: bool | None = Field(
        default=None, description=DWELLING_HELP + " (null given: the register's word again)"
    )


class VersionIn(BaseModel):
    """The version of the application the change was made on (stale: 409)."""

    version: int | None = Field(default=None, ge=1)


class DecisionIn(BaseModel):
    """A decision: outcome, who decided, when, its posting, conditions and reasons."""

    outcome: Literal["granted", "refused"] = "granted"
    decided_by: Literal["board", "inspector"]
    decided_on: Day
    posted_on: Day | None = Field(default=None, description="default: the decision day")
    conditions: list[Condition] = Field(default_factory=list, max_length=100)
    reasons: str | None = Field(
        default=None,
        max_length=4000,
        description="the decision's reasons (perustelut, Hallintolaki 45 §): a refusal must "
        "give them, and so must a grant over remarks made in the hearing (422 "
        "error.grant_reasons); printed in the decision document as written",
    )


class RulingIn(BaseModel):
    """What settled a claim or an appeal: who ruled, when, and the ruling's reference."""

    by: str = Field(
        min_length=1,
        max_length=200,
        description="who ruled: the administrative court (e.g. 'Helsingin hallinto-oikeus'), "
        "or the board on a rectification claim",
    )
    ruled_on: Day = Field(description="the day of the ruling")
    reference: str | None = Field(
        default=None, max_length=100, description="the ruling's reference (diary number)"
    )


class ApplicationStateIn(BaseModel):
    """A step of the case: the new state, the version read, the day and (to decide) the decision."""

    state: str = Field(max_length=40)
    version: int = Field(ge=1)
    date: Day | None = Field(default=None, description="the day of the step (default today)")
    reason: str | None = Field(
        default=None,
        max_length=4000,
        description="why (kept in the timeline); a dig permit's refusal must give one; a "
        "building case's refusal gives its reasons in `decision.reasons` (this is read there "
        "when that is empty; a grant's reasons go only there), and an appeal that annuls a "
        "permit says why here",
    )
    conditions: list[Condition] | None = Field(
        default=None,
        max_length=100,
        description="a dig or area-use permit's approval ('decided'): the conditions it is "
        "granted on; other cases give theirs in `decision`",
    )
    notice: NoticeIn | None = Field(
        default=None, description=NOTICE_FIELD + " (other cases post theirs: `decision.posted_on`)"
    )
    decision: DecisionIn | None = None
    ruling: RulingIn | None = Field(
        default=None,
        description="what settled the appeal: only with a step out of 'appealed' (legally "
        "valid, a new decision, or refused)",
    )


class LettersIn(VersionIn):
    """Send the hearing letters: the day and who hears (freezes the addressees)."""

    sent: Day
    heard_by: HeardBy = "authority"


class AddresseePatch(VersionIn):
    """A hearing status of one addressee, the day it happened and the answer's text."""

    status: str
    date: Day
    remarks: str | None = Field(default=None, max_length=20_000)


class HearingNeighboursIn(VersionIn):
    """The officer's additions to and removals from the frozen neighbour list, each with a reason."""

    added: list[ManualNeighbour] = Field(default_factory=list)
    removed: list[ManualNeighbour] = Field(default_factory=list)


class RerunIn(VersionIn):
    """Run the analysis again on today's data; `adopt` makes it the frozen one (before letters)."""

    adopt: bool = False
