"""What a site analysis works on: planned buildings, plan areas and the site's surroundings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidGeometry, InvalidInput
from geo.regime import Regime

# Use -> fee category.
USES: dict[str, str] = {
    "dwelling": "building",
    "holiday_home": "building",
    "commercial": "building",
    "sauna": "outbuilding",
    "outbuilding": "outbuilding",
    "garage": "outbuilding",
    "boathouse": "outbuilding",
    "shelter": "shelter",
}
PLAN_KINDS = (
    "detailed-plan",
    "building-area",
    "master-plan",
    "shore-plan",
    "planning-need",
    "shore-area",
)


@dataclass(frozen=True)
class Building:
    """A planned building: footprint in EPSG:3067."""

    footprint: Polygon
    use: str
    floor_area_m2: float
    height_m: float


@dataclass(frozen=True)
class PlanArea:
    """A plan polygon near the site."""

    kind: str
    geom: BaseGeometry
    name: str | None = None
    use_class: str | None = None
    building_right_m2: float | None = None
    efficiency: float | None = None
    legally_binding: bool = True
    allows_permits: bool = False


@dataclass
class Context:
    """What lies around the site, fetched by the caller."""

    plans: list[PlanArea] = field(default_factory=list)
    shorelines: list[BaseGeometry] = field(default_factory=list)
    other_buildings: list[tuple[BaseGeometry, str | None]] = field(default_factory=list)
    state_roads: list[tuple[BaseGeometry, str | None, str]] = field(default_factory=list)
    units: list[tuple[str, BaseGeometry]] = field(default_factory=list)  # neighbouring units
    existing_dwelling: bool = False  # the site already has a dwelling (statutory exceptions)
    plans_known: bool = True  # plan data lies at the site (issue 13 coverage); else rules
    # that differ inside and outside detailed plans take the stricter, and flag only the certain


def flag(
    code: str, en: str, fi: str, decision: str, basis: str, severity: str = "decision", **extra: Any
) -> dict[str, Any]:
    """One flag: what the site needs, in Finnish and English, with the decision and its legal basis."""
    return {
        "code": code,
        "message_en": en,
        "message_fi": fi,
        "decision": decision,
        "legal_basis": basis,
        "severity": severity,
        **extra,
    }


def deviation(minor: bool, regime: Regime) -> tuple[str, str]:
    """(decision, legal basis) of a deviation: a minor one granted with the permit, or a deviation decision."""
    cite = regime.citations
    if minor:
        return "vähäinen poikkeaminen", cite["minor_deviation"]
    return "poikkeamispäätös", cite["deviation"]


def check_buildings(site: BaseGeometry, buildings: list[Building]) -> None:
    """Refuse buildings with an unknown use or a footprint outside the site."""
    for i, b in enumerate(buildings):
        if b.use not in USES:
            raise InvalidInput(
                f"building {i}: unknown use {b.use!r}; uses: {', '.join(USES)}", building=i
            )
        outside = b.footprint.difference(site.buffer(0.05))
        if outside.area > 0.01:
            loc = outside.representative_point()
            raise InvalidGeometry(
                f"building {i + 1} lies outside the site: {outside.area:.2f} m² beyond its boundary",
                building=i,
                location=[loc.x, loc.y],
                i18n={"key": "error.building_outside", "n": i + 1, "area_m2": outside.area},
            )
