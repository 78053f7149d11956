"""Municipal rule sets: every number that varies by municipality or by law, with its source.

A rule set is a nested mapping (read from TOML by the API layer): the national
default, overlaid by the municipality's base values, overlaid by each of its
``[[versions]]`` whose ``effective_from`` is on or before the date asked. The
classes below declare the keys and their types only: no value has a Python
default, so the national default file must set every key, and every key it sets
must name its source in its ``[sources]`` table. Validation is strict: an
unknown or missing key, or a value of the wrong type, is an error naming the
file and the key, so a typo never silently falls back to anything.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import types
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, get_args, get_origin, get_type_hints

from geo.errors import InvalidInput

EPOCH = dt.date(2000, 1, 1)  # the base values of a file apply from here on
DEFAULT_CODE = "default"  # the national default file's code


class RulesetError(InvalidInput):
    """A rule set file that does not validate."""

    code = "invalid_ruleset"


Money = Decimal | None  # euros; `false` in a rule file: not in the tariff (no euros shown)


@dataclass(frozen=True)
class NeighbourRules:
    """How neighbours are found (domain.md section 1)."""

    adjacent_tolerance_m: float
    edge_min_m: float  # a shorter contact (tolerance run-off removed) is a point contact
    opposite_road_max_m: float
    opposite_water_max_m: float
    opposite_park_max_m: float
    opposite_min_angle_deg: float  # a sight line this far off the frontage crosses, not runs along
    include_opposite_public_areas: bool
    affected_radius_m: float  # deviation / planning-need cases: the wider circle heard


@dataclass(frozen=True)
class HearingRules:
    """Hearing period, delivery and the authority's fee (domain.md N7, N8)."""

    period_days: int
    delivery_days: int  # an ordinary letter is deemed received on this day after sending
    fee_per_letter_eur: Decimal
    public_notice_over: int
    road_authority_name: str
    reply_address: str  # where the letters' remarks go by post ("": the letter names the office)
    reply_email: str  # and by e-mail ("": none given)

    def reply_to(self) -> str:
        """The address and the e-mail for remarks, joined ("": neither set)."""
        return ", ".join(v for v in (self.reply_address, self.reply_email) if v)


@dataclass(frozen=True)
class ShoreRules:
    """Shore zone width and shoreline setbacks (domain.md section 2)."""

    zone_width_m: float
    setback_m: dict[str, float]
    sauna_small_max_m2: float
    holiday_home_small_max_m2: float


@dataclass(frozen=True)
class SetbackRules:
    """Site-plan distances and what counts as a sliver (domain.md section 3)."""

    boundary_min_m: float  # outside detailed plans: the regime's minimum (MRA 57 § / RakL 45 §)
    neighbour_building_min_m: float  # outside detailed plans, MRL era: 10 m; 0: not checked
    plan_boundary_min_m: float  # in detailed plans: the ordinance's minimum beside h/2
    boundary_half_height: bool
    assumed_height_m: float  # a drawn building whose height is not given is taken as this tall
    fire_separation_m: float
    separation_search_m: float  # other buildings farther than this are not measured
    building_area_tolerance_m: float
    minor_deviation_max_m: float
    building_right_minor_share: float  # exceeding the building right by at most this is minor
    consent_search_m: float  # the unit whose consent is needed lies this close to the short point
    min_site_area_m2: float
    sliver_area_m2: float
    sliver_share: float
    road_protection_m: dict[str, float]


@dataclass(frozen=True)
class FeeRules:
    """Permit and decision fees (domain.md section 5), euros; `false` / `{}`: not in the tariff.

    Decision fees are tables by who decides (`board`, `inspector`, or `any`).
    """

    building_base_eur: Money
    building_per_m2_eur: Money
    outbuilding_base_eur: Money
    outbuilding_per_m2_eur: Money
    shelter_base_eur: Money
    shelter_per_m2_eur: Money
    single_base_fee: bool  # main building + outbuildings together: only the main base fee
    start_meeting_eur: Money
    foreman_eur: Money
    surveying_eur: dict[str, Decimal]  # dwelling, outbuilding, small_storage, notified_measure
    surveying_small_max_m2: float
    deviation_eur: dict[str, Decimal]
    planning_need_eur: dict[str, Decimal]
    deviation_with_planning_need_eur: dict[str, Decimal]
    minor_deviation_eur: Money
    range_max_eur: dict[str, Decimal]  # fee code -> the top of the tariff's range
    surcharge_max_share: dict[str, Decimal]  # fee code -> at most this much more for heavy cases
    refused_share: dict[str, Decimal]  # fee code -> share of the fee charged for a refusal
    hearing_included: list[str]  # fee codes whose fee includes the authority's hearing
    hearing_letter_cases: list[str]  # case kinds in which the per-letter hearing fee is charged
    hearing_letter_road_authority: bool  # whether the road authority's letter is charged


@dataclass(frozen=True)
class ExcavationRules:
    """Street-excavation permits (domain.md section 4)."""

    lead_time_days: int
    guarantee_years: int
    guarantee_inspection_days: (
        int  # the last inspection is this many days before the guarantee ends
    )
    clash_distance_m: float
    max_area_m2: float
    min_line_width_m: float
    flat_fee_eur: Money
    handling_fee_eur: Money
    daily_fee_bands: dict[str, Decimal]  # upper bound m2 ("inf" for the last) -> euros per day
    zone_factor: float
    fee_structure: str  # the tariff's structure in words, shown when its amounts are not set
    fee_structure_sv: str  # the same in Swedish and English ("": the tariff's own words)
    fee_structure_en: str
    access_distance_m: float
    opposite_parking_max_m: float
    state_roads: list[str]


@dataclass(frozen=True)
class DecisionRules:
    """Appeal and validity periods of decisions (domain.md section 6), by regime."""

    rectification_days: int  # rectification claim against an officer's decision
    # a decision sent as an electronic message is deemed received this many days after (13/2003
    # 19 §); one sent by letter on the day a hearing letter is (hearing.delivery_days)
    electronic_received_days: int
    appeal_days: int  # appeal to the administrative court
    permit_start_years: int  # a building permit lapses unless work starts within this
    permit_finish_years: int  # ... and is finished within this
    deviation_valid_years: int  # the building permit must be applied for within this
    planning_need_valid_years: int


@dataclass(frozen=True)
class ApplicationRules:
    """What an application must carry and when its deadlines are reminded of (issue 11)."""

    required_attachments: dict[str, list[str]]  # case kind -> attachments every such case needs
    site_plan_scale_outside_plan: int  # the site plan's scale 1:N outside detailed plans
    site_plan_scale_in_plan: int  # ... and inside a detailed plan
    power_of_attorney_for_co_owners: (
        bool  # a co-owned or estate-owned site needs powers of attorney
    )
    neighbour_hearing_proof: bool  # the applicant hears: proof of the hearing is attached
    reminder_days: int  # a deadline this many days away (or less) is on the reminder list


@dataclass(frozen=True)
class Exemption:
    """A statutory exception to a flag (MRL/AKL 72 § 3 mom, MRL 137 § / RakL 46 §)."""

    uses: list[str]  # planned building uses it covers
    existing_dwelling: bool  # only on a site with an existing dwelling
    max_floor_area_m2: float  # 0: no size limit in the rule file
    legal_basis_mrl: str
    legal_basis_rakl: str
    source: str


@dataclass(frozen=True)
class ExemptionRules:
    """Exceptions to the shore flag and the planning-need flag, each with its source."""

    shore: dict[str, Exemption]
    planning_need: dict[str, Exemption]


SECTIONS: dict[str, type[Any]] = {
    "neighbours": NeighbourRules,
    "hearing": HearingRules,
    "shore": ShoreRules,
    "setbacks": SetbackRules,
    "fees": FeeRules,
    "excavation": ExcavationRules,
    "decisions": DecisionRules,
    "exemptions": ExemptionRules,
    "applications": ApplicationRules,
}
_TOP_KEYS = {"code", "name", "name_sv", "sources", "versions", *SECTIONS}


@dataclass(frozen=True)
class Ruleset:
    """The rules of one municipality in force on a date (the same from one version's day to the next)."""

    code: str
    name: str
    name_sv: str
    effective_from: dt.date
    neighbours: NeighbourRules
    hearing: HearingRules
    shore: ShoreRules
    setbacks: SetbackRules
    fees: FeeRules
    excavation: ExcavationRules
    decisions: DecisionRules
    exemptions: ExemptionRules
    applications: ApplicationRules
    sources: dict[str, str]  # "section.key" (or "section") -> source
    since: dict[str, dt.date]  # "section.key" -> the date its value took effect
    origin: dict[str, str] = dataclasses.field(default_factory=dict)  # "section.key" -> file code
    files: tuple[str, ...] = ()

    def source(self, key: str) -> str:
        """The source of a rule ("fees.deviation_eur"), falling back to its section's source."""
        return self.sources.get(key) or self.sources.get(key.split(".")[0], "")

    def effective(self, key: str) -> dt.date:
        """The date the value of a rule ("fees.deviation_eur") took effect."""
        return self.since.get(key, self.effective_from)

    def national(self, key: str) -> bool:
        """Whether a rule's value is the national default's (no municipal file set it)."""
        return self.origin.get(key, DEFAULT_CODE) == DEFAULT_CODE


def keys(section: str) -> list[str]:
    """The keys of a section, as declared."""
    return [f.name for f in dataclasses.fields(SECTIONS[section])]


def _check_number(where: str, key: str, value: Any, hint: Any) -> Any:
    number = int | float | Decimal
    if hint in (float, Decimal):
        if isinstance(value, bool) or not isinstance(value, number) or value < 0:
            raise RulesetError(f"{where}: {key} must be a number ≥ 0, got {value!r}")
        # Money is exact: a rule file's 4.30 is Decimal("4.30"), never a binary fraction.
        return float(value) if hint is float else Decimal(str(value))
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RulesetError(f"{where}: {key} must be a whole number ≥ 0, got {value!r}")
    return value


def _check_record(where: str, key: str, value: Any, cls: type[Any]) -> Any:
    """A table that is one record (e.g. an exemption): every field, nothing else."""
    if not isinstance(value, dict):
        raise RulesetError(f"{where}: {key} must be a table, got {value!r}")
    hints = get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(value) - set(names))
    missing = sorted(set(names) - set(value))
    if unknown or missing:
        raise RulesetError(
            f"{where}: {key}: unknown {', '.join(unknown) or '-'}; missing {', '.join(missing) or '-'}"
        )
    return cls(**{n: _check_value(where, f"{key}.{n}", value[n], hints[n]) for n in names})


def _check_value(where: str, key: str, value: Any, hint: Any) -> Any:
    origin = get_origin(hint)
    if hint in (float, int, Decimal):
        return _check_number(where, key, value, hint)
    if origin is types.UnionType and set(get_args(hint)) == {Decimal, type(None)}:
        return None if value is False else _check_number(where, key, value, Decimal)
    if hint in (bool, str):
        if not isinstance(value, hint):
            kind = "true or false" if hint is bool else "text"
            raise RulesetError(f"{where}: {key} must be {kind}, got {value!r}")
        return value
    if origin is dict:
        if not isinstance(value, dict):
            raise RulesetError(f"{where}: {key} must be a table, got {value!r}")
        inner = get_args(hint)[1]
        return {str(k): _check_value(where, f"{key}.{k}", v, inner) for k, v in value.items()}
    if origin is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RulesetError(f"{where}: {key} must be a list of text, got {value!r}")
        return list(value)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _check_record(where, key, value, hint)
    raise RulesetError(f"{where}: {key} has an unsupported type")  # pragma: no cover


def _section(where: str, name: str, data: Any, *, complete: bool) -> Any:
    cls = SECTIONS[name]
    if not isinstance(data, dict):
        raise RulesetError(f"{where}: [{name}] must be a table")
    hints = get_type_hints(cls)
    known = set(keys(name))
    unknown = sorted(set(data) - known)
    if unknown:
        raise RulesetError(
            f"{where}: unknown key(s) in [{name}]: {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    missing = sorted(known - set(data))
    if complete and missing:
        raise RulesetError(
            f"{where}: [{name}] lacks {', '.join(missing)} (the national default sets every key)"
        )
    checked = {k: _check_value(where, f"{name}.{k}", v, hints[k]) for k, v in data.items()}
    return cls(**checked) if complete else checked


def _check_versions(where: str, versions: Any) -> None:
    if not isinstance(versions, list):
        raise RulesetError(f"{where}: versions must be an array of tables ([[versions]])")
    previous: dt.date | None = None
    for i, version in enumerate(versions):
        eff = version.get("effective_from") if isinstance(version, dict) else None
        if not isinstance(eff, dt.date) or isinstance(eff, dt.datetime):  # a day, not a moment
            raise RulesetError(f"{where}: versions[{i}] needs effective_from = YYYY-MM-DD")
        if previous and eff <= previous:
            raise RulesetError(f"{where}: versions must be in date order ({eff} after {previous})")
        previous = eff
        extra = sorted(set(version) - set(SECTIONS) - {"effective_from", "note", "sources"})
        if extra:
            raise RulesetError(f"{where}: versions[{i}] has unknown key(s): {', '.join(extra)}")


def _set_keys(doc: dict[str, Any]) -> set[str]:
    """Every "section.key" a document sets, in its base values or any version."""
    parts = [doc, *doc.get("versions", [])]
    return {f"{s}.{k}" for p in parts for s in SECTIONS if isinstance(p.get(s), dict) for k in p[s]}


def _check_sources(where: str, doc: dict[str, Any]) -> None:
    sources = dict(doc.get("sources", {}))
    for version in doc.get("versions", []):
        sources.update(version.get("sources", {}))
    if not all(isinstance(v, str) and v.strip() for v in sources.values()):
        raise RulesetError(f"{where}: every [sources] entry must be a non-empty text")
    unsourced = sorted(
        k for k in _set_keys(doc) if k not in sources and k.split(".")[0] not in sources
    )
    if unsourced:
        raise RulesetError(f"{where}: no source for {', '.join(unsourced)}: add it to [sources]")


def validate_document(where: str, doc: dict[str, Any], *, complete: bool = False) -> None:
    """Check a rule set document's structure, sources, and every version's dates and values.

    `complete` is for the national default: it must set every key of every section.
    """
    unknown = sorted(set(doc) - _TOP_KEYS)
    if unknown:
        raise RulesetError(f"{where}: unknown top-level key(s): {', '.join(unknown)}")
    if "sources" in doc and not isinstance(doc["sources"], dict):
        raise RulesetError(f'{where}: sources must be a table of "section.key" = "source"')
    _check_versions(where, doc.get("versions", []))
    for part in [doc, *doc.get("versions", [])]:
        for name in SECTIONS:
            if name in part:
                _section(where, name, part[name], complete=False)
    _check_sources(where, doc)
    if complete:
        for day in [EPOCH, *[v["effective_from"] for v in doc.get("versions", [])]]:
            resolve(where, {}, doc, day)


def _merge(base: dict[str, Any], over: dict[str, Any], top: bool = True) -> dict[str, Any]:
    """Overlay `over` on `base`: sections and sources key by key, every value whole.

    A table value inside a section (e.g. `shore.setback_m`) is replaced whole, so a
    municipality's table never mixes with the default's.
    """
    out = copy.deepcopy(base)
    for key, value in over.items():
        if (
            top
            and isinstance(value, dict)
            and isinstance(out.get(key), dict)
            and key
            in (
                *SECTIONS,
                "sources",
            )
        ):
            out[key] = _merge(out[key], value, top=False)
        elif key not in ("versions", "effective_from", "note") or not top:
            out[key] = copy.deepcopy(value)
    return out


def _stamp(
    since: dict[str, dt.date], origin: dict[str, str], part: dict[str, Any], day: dt.date, code: str
) -> None:
    for s in SECTIONS:
        for k in part.get(s, {}) if isinstance(part.get(s), dict) else ():
            since[f"{s}.{k}"] = day
            origin[f"{s}.{k}"] = code


def overlay(
    default: dict[str, Any], doc: dict[str, Any], on: dt.date
) -> tuple[dict[str, Any], dt.date]:
    """Merge a document and its versions in force on `on` over `default`; return (merged, since).

    The merged mapping carries `_since` (the date each "section.key" took effect) and
    `_origin` (the code of the file that set it: "default" or a municipality's).
    """
    since: dict[str, dt.date] = dict(default.get("_since", {}))
    origin: dict[str, str] = dict(default.get("_origin", {}))
    code = str(doc.get("code", DEFAULT_CODE))
    merged = _merge(default, doc)
    _stamp(since, origin, doc, EPOCH, code)
    effective = EPOCH
    for version in doc.get("versions", []):
        if version["effective_from"] <= on:
            effective = version["effective_from"]
            merged = _merge(merged, version)
            _stamp(since, origin, version, effective, code)
    merged["_since"] = since
    merged["_origin"] = origin
    return merged, effective


def build(
    where: str, merged: dict[str, Any], effective: dt.date, files: tuple[str, ...] = ()
) -> Ruleset:
    """Validate merged values (every key present) into a Ruleset."""
    sections = {
        name: _section(where, name, merged.get(name, {}), complete=True) for name in SECTIONS
    }
    code = str(merged.get("code", "000"))
    return Ruleset(
        code=code,
        name=str(merged.get("name", code)),
        name_sv=str(merged.get("name_sv") or merged.get("name", code)),
        effective_from=effective,
        sources={str(k): str(v) for k, v in merged.get("sources", {}).items()},
        since=dict(merged.get("_since", {})),
        origin=dict(merged.get("_origin", {})),
        files=files,
        **sections,
    )


def resolve(where: str, default: dict[str, Any], doc: dict[str, Any], on: dt.date) -> Ruleset:
    """Return the rules in force on `on`: default, overlaid by the document and its versions."""
    merged, effective = overlay(default, doc, on)
    return build(where, merged, effective)
