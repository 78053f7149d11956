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
from dataclasses import dataclass
from typing import Any, get_type_hints

from geo.errors import InvalidInput

EPOCH = dt.date(2000, 1, 1)  # the base values of a file apply from here on


class RulesetError(InvalidInput):
    """A rule set file that does not validate."""

    code = "invalid_ruleset"


@dataclass(frozen=True)
class NeighbourRules:
    """How neighbours are found (domain.md section 1)."""

    adjacent_tolerance_m: float
    edge_min_m: float  # a shorter contact (tolerance run-off removed) is a point contact
    opposite_road_max_m: float
    opposite_water_max_m: float
    opposite_park_max_m: float
    opposite_min_inside_share: float  # share of the connecting line inside the crossed area
    opposite_slack: float  # at most this many times the narrowest crossing of the same area
    include_opposite_public_areas: bool


@dataclass(frozen=True)
class HearingRules:
    """Hearing period, delivery and the authority's fee (domain.md N7, N8)."""

    period_days: int
    delivery_days: int  # an ordinary letter is deemed received on this day after sending
    fee_per_letter_eur: float
    public_notice_over: int
    road_authority_name: str


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

    boundary_min_m: float
    boundary_half_height: bool
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
    """Permit and decision fees (domain.md section 5), euros."""

    building_base_eur: float
    building_per_m2_eur: float
    outbuilding_base_eur: float
    outbuilding_per_m2_eur: float
    shelter_base_eur: float
    shelter_per_m2_eur: float
    deviation_eur: float
    planning_need_eur: float
    minor_deviation_eur: float


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
    flat_fee_eur: float
    handling_fee_eur: float
    daily_fee_bands: dict[str, float]  # upper bound m2 ("inf" for the last) -> euros per day
    zone_factor: float
    access_distance_m: float
    opposite_parking_max_m: float
    state_roads: list[str]


SECTIONS: dict[str, type[Any]] = {
    "neighbours": NeighbourRules,
    "hearing": HearingRules,
    "shore": ShoreRules,
    "setbacks": SetbackRules,
    "fees": FeeRules,
    "excavation": ExcavationRules,
}
_TOP_KEYS = {"code", "name", "name_sv", "sources", "versions", *SECTIONS}


@dataclass(frozen=True)
class Ruleset:
    """The rules of one municipality in force on one date."""

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
    sources: dict[str, str]  # "section.key" (or "section") -> source
    since: dict[str, dt.date]  # "section.key" -> the date its value took effect
    files: tuple[str, ...] = ()

    def source(self, key: str) -> str:
        """The source of a rule ("fees.deviation_eur"), falling back to its section's source."""
        return self.sources.get(key) or self.sources.get(key.split(".")[0], "")

    def effective(self, key: str) -> dt.date:
        """The date the value of a rule ("fees.deviation_eur") took effect."""
        return self.since.get(key, self.effective_from)


def keys(section: str) -> list[str]:
    """The keys of a section, as declared."""
    return [f.name for f in dataclasses.fields(SECTIONS[section])]


def _check_number(where: str, key: str, value: Any, hint: Any) -> Any:
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise RulesetError(f"{where}: {key} must be a number ≥ 0, got {value!r}")
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RulesetError(f"{where}: {key} must be a whole number ≥ 0, got {value!r}")
    return value


def _check_value(where: str, key: str, value: Any, hint: Any) -> Any:
    origin = getattr(hint, "__origin__", None)
    if hint in (float, int):
        return _check_number(where, key, value, hint)
    if hint in (bool, str):
        if not isinstance(value, hint):
            kind = "true or false" if hint is bool else "text"
            raise RulesetError(f"{where}: {key} must be {kind}, got {value!r}")
        return value
    if origin is dict:
        if not isinstance(value, dict):
            raise RulesetError(f"{where}: {key} must be a table, got {value!r}")
        return {str(k): _check_number(where, f"{key}.{k}", v, float) for k, v in value.items()}
    if origin is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RulesetError(f"{where}: {key} must be a list of text, got {value!r}")
        return list(value)
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
        if not isinstance(eff, dt.date):
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


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if (
            isinstance(value, dict)
            and isinstance(out.get(key), dict)
            and key in (*SECTIONS, "sources")
        ):
            out[key] = _merge(out[key], value)
        elif key not in ("versions", "effective_from", "note"):
            out[key] = copy.deepcopy(value)
    return out


def _stamp(since: dict[str, dt.date], part: dict[str, Any], day: dt.date) -> None:
    for s in SECTIONS:
        for k in part.get(s, {}) if isinstance(part.get(s), dict) else ():
            since[f"{s}.{k}"] = day


def overlay(
    default: dict[str, Any], doc: dict[str, Any], on: dt.date
) -> tuple[dict[str, Any], dt.date]:
    """Merge a document and its versions in force on `on` over `default`; return (merged, since).

    The merged mapping carries `_since`: the date each "section.key" took effect.
    """
    since: dict[str, dt.date] = dict(default.get("_since", {}))
    merged = _merge(default, doc)
    _stamp(since, doc, EPOCH)
    effective = EPOCH
    for version in doc.get("versions", []):
        if version["effective_from"] <= on:
            effective = version["effective_from"]
            merged = _merge(merged, version)
            _stamp(since, version, effective)
    merged["_since"] = since
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
        files=files,
        **sections,
    )


def resolve(where: str, default: dict[str, Any], doc: dict[str, Any], on: dt.date) -> Ruleset:
    """Return the rules in force on `on`: default, overlaid by the document and its versions."""
    merged, effective = overlay(default, doc, on)
    return build(where, merged, effective)
