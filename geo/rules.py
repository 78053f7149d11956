"""Municipal rule sets: every number that varies by municipality, with effective dates.

A rule set is a nested mapping (read from TOML by the API layer): the national
default, overlaid by the municipality's base values, overlaid by each of its
``[[versions]]`` whose ``effective_from`` is on or before the date asked.
Validation is strict: an unknown key or a value of the wrong type is an error
naming the file and the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, get_type_hints

from geo.errors import InvalidInput


class RulesetError(InvalidInput):
    """A rule set file that does not validate."""

    code = "invalid_ruleset"


@dataclass(frozen=True)
class NeighbourRules:
    """How neighbours are found (domain.md section 1)."""

    adjacent_tolerance_m: float = 0.5
    # A contact shorter than this (after removing the tolerance run-off) is a point contact.
    edge_min_m: float = 1.0
    opposite_road_max_m: float = 100.0
    opposite_water_max_m: float = 200.0
    opposite_park_max_m: float = 30.0
    # Share of the shortest connecting line that must lie inside the crossed area.
    opposite_min_inside_share: float = 0.9
    # Opposite means facing: a unit is listed when its crossing is at most this
    # many times the narrowest crossing of the same road, water or park.
    opposite_slack: float = 1.5
    include_opposite_public_areas: bool = True


@dataclass(frozen=True)
class HearingRules:
    """Hearing period, delivery and the authority's fee (domain.md N7, N8)."""

    period_days: int = 7
    # An ordinary letter is deemed received on the seventh day after sending (Hallintolaki 59 §).
    delivery_days: int = 7
    fee_per_letter_eur: float = 0.0
    public_notice_over: int = 10
    road_authority_name: str = "ELY-keskus (Pirkanmaan ELY-keskus, liikenne ja infrastruktuuri)"


@dataclass(frozen=True)
class ShoreRules:
    """Shore zone width and shoreline setbacks (domain.md section 2)."""

    zone_width_m: float = 100.0
    setback_m: dict[str, float] = field(
        default_factory=lambda: {
            "sauna_small": 15.0,
            "sauna": 20.0,
            "holiday_home_small": 25.0,
            "holiday_home": 35.0,
            "dwelling": 50.0,
            "boathouse": 5.0,
            "default": 20.0,
        }
    )
    sauna_small_max_m2: float = 20.0
    holiday_home_small_max_m2: float = 50.0


@dataclass(frozen=True)
class SetbackRules:
    """Site-plan distances (domain.md section 3)."""

    boundary_min_m: float = 4.0
    boundary_half_height: bool = True
    fire_separation_m: float = 8.0
    building_area_tolerance_m: float = 1.2
    minor_deviation_max_m: float = 1.0
    min_site_area_m2: float = 1000.0
    sliver_area_m2: float = 5.0
    sliver_share: float = 0.01
    road_protection_m: dict[str, float] = field(
        default_factory=lambda: {"regional": 20.0, "main": 30.0, "motorway": 50.0}
    )


@dataclass(frozen=True)
class FeeRules:
    """Permit and decision fees (domain.md section 5), euros."""

    building_base_eur: float = 300.0
    building_per_m2_eur: float = 4.30
    outbuilding_base_eur: float = 210.0
    outbuilding_per_m2_eur: float = 2.60
    shelter_base_eur: float = 150.0
    shelter_per_m2_eur: float = 2.15
    deviation_eur: float = 580.0
    planning_need_eur: float = 580.0
    minor_deviation_eur: float = 100.0


@dataclass(frozen=True)
class ExcavationRules:
    """Street-excavation permits (domain.md section 4)."""

    lead_time_days: int = 5
    guarantee_years: int = 2
    clash_distance_m: float = 20.0
    max_area_m2: float = 20000.0
    flat_fee_eur: float = 110.0
    handling_fee_eur: float = 0.0
    # Daily fee by area band (upper bound m2 -> euros per day); empty means flat fee only.
    daily_fee_bands: dict[str, float] = field(default_factory=dict)
    zone_factor: float = 1.0
    access_distance_m: float = 3.0
    state_roads: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Ruleset:
    """The rules of one municipality in force on one date."""

    code: str
    name: str
    effective_from: dt.date
    neighbours: NeighbourRules = field(default_factory=NeighbourRules)
    hearing: HearingRules = field(default_factory=HearingRules)
    shore: ShoreRules = field(default_factory=ShoreRules)
    setbacks: SetbackRules = field(default_factory=SetbackRules)
    fees: FeeRules = field(default_factory=FeeRules)
    excavation: ExcavationRules = field(default_factory=ExcavationRules)
    sources: list[str] = field(default_factory=list)


_SECTIONS = {
    "neighbours": NeighbourRules,
    "hearing": HearingRules,
    "shore": ShoreRules,
    "setbacks": SetbackRules,
    "fees": FeeRules,
    "excavation": ExcavationRules,
}
_TOP_KEYS = {"code", "name", "name_sv", "sources", "versions", *(_SECTIONS)}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key in _SECTIONS:
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _check_value(where: str, key: str, value: Any, hint: Any) -> Any:
    origin = getattr(hint, "__origin__", None)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RulesetError(f"{where}: {key} must be a number, got {value!r}")
        if value < 0:
            raise RulesetError(f"{where}: {key} must not be negative, got {value!r}")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RulesetError(f"{where}: {key} must be a whole number ≥ 0, got {value!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise RulesetError(f"{where}: {key} must be true or false, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise RulesetError(f"{where}: {key} must be text, got {value!r}")
        return value
    if origin is dict:
        if not isinstance(value, dict):
            raise RulesetError(f"{where}: {key} must be a table, got {value!r}")
        return {str(k): _check_value(where, f"{key}.{k}", v, float) for k, v in value.items()}
    if origin is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RulesetError(f"{where}: {key} must be a list of text, got {value!r}")
        return list(value)
    raise RulesetError(f"{where}: {key} has an unsupported type")  # pragma: no cover


def _section(where: str, name: str, cls: type[Any], data: Any) -> Any:
    if not isinstance(data, dict):
        raise RulesetError(f"{where}: [{name}] must be a table")
    hints = get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise RulesetError(
            f"{where}: unknown key(s) in [{name}]: {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return cls(**{k: _check_value(where, f"{name}.{k}", v, hints[k]) for k, v in data.items()})


def validate_document(where: str, doc: dict[str, Any]) -> None:
    """Check a rule set document's structure and every version's dates and values."""
    unknown = sorted(set(doc) - _TOP_KEYS)
    if unknown:
        raise RulesetError(f"{where}: unknown top-level key(s): {', '.join(unknown)}")
    versions = doc.get("versions", [])
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
        extra = sorted(set(version) - set(_SECTIONS) - {"effective_from", "note"})
        if extra:
            raise RulesetError(f"{where}: versions[{i}] has unknown key(s): {', '.join(extra)}")
    # Resolve at every effective date, so every version is validated once on load.
    for day in [dt.date(2000, 1, 1), *[v["effective_from"] for v in versions]]:
        resolve(where, {}, doc, day)


def overlay(
    default: dict[str, Any], doc: dict[str, Any], on: dt.date
) -> tuple[dict[str, Any], dt.date]:
    """Merge a document and its versions in force on `on` over `default`; return (merged, since)."""
    merged = _merge(default, {k: v for k, v in doc.items() if k != "versions"})
    effective = dt.date(2000, 1, 1)
    for version in doc.get("versions", []):
        if version["effective_from"] <= on:
            effective = version["effective_from"]
            merged = _merge(merged, {k: v for k, v in version.items() if k in _SECTIONS})
    return merged, effective


def build(where: str, merged: dict[str, Any], effective: dt.date) -> Ruleset:
    """Validate merged values into a Ruleset."""
    kwargs: dict[str, Any] = {
        name: _section(where, name, cls, merged.get(name, {})) for name, cls in _SECTIONS.items()
    }
    code = str(merged.get("code", "000"))
    return Ruleset(
        code=code,
        name=str(merged.get("name", code)),
        effective_from=effective,
        sources=list(merged.get("sources", [])),
        **kwargs,
    )


def resolve(where: str, default: dict[str, Any], doc: dict[str, Any], on: dt.date) -> Ruleset:
    """Return the rules in force on `on`: default, overlaid by the document and its versions."""
    merged, effective = overlay(default, doc, on)
    return build(where, merged, effective)
