"""Which data each check needs (issue 13): no flag and no all-clear where that data is missing.

Pure: the caller finds which kinds of data lie at the site (`checked`); here flags whose data
is missing are set aside, and the checks that could not be made are named.
"""

from __future__ import annotations

from typing import Any

KINDS = ("parcels", "plans", "shore", "roads", "buildings")

# The checks of a site analysis, by the kind of data each needs.
SITE_CHECKS: dict[str, tuple[str, ...]] = {
    "parcels": ("neighbours", "boundary_distance"),
    "plans": (
        "detailed_plan",
        "planning_need_area",
        "site_area_below_minimum",
        "outside_building_area",
        "building_right_exceeded",
        "shore_zone_without_shore_plan",
        "neighbour_building_distance",
    ),
    "shore": ("shore_zone_without_shore_plan", "shoreline_distance"),
    "roads": ("state_road_protection_zone",),
    "buildings": ("fire_separation", "neighbour_building_distance"),
}
# The checks of a dig permit, by the kind of data each needs.
DIG_CHECKS: dict[str, tuple[str, ...]] = {
    "parcels": ("on_private_land", "outside_municipality", "access_affected"),
    "roads": ("state_road",),
}
FLAG_NEEDS: dict[str, tuple[str, ...]] = {
    "planning_need_area": ("plans",),
    "shore_zone_without_shore_plan": ("plans", "shore"),
    "site_area_below_minimum": ("plans",),
    "outside_building_area": ("plans",),
    "building_right_exceeded": ("plans",),
    "state_road_protection_zone": ("roads",),
    "fire_separation": ("buildings",),
    "state_road": ("roads",),
    # These report what the parcel data shows, and where it is missing (outside_municipality
    # names the area with no parcel data): given whatever the coverage.
    "outside_municipality": (),
    "on_private_land": (),
    # These rest on the stored works and the dates alone, never on a map layer.
    "clash": (),
    "lead_time": (),
    "traffic_plan_missing": (),
}


def needs(flag: dict[str, Any]) -> tuple[str, ...]:
    """The kinds of data a flag (or finding) rests on."""
    if flag.get("code") == "neighbour_consent_needed" and flag.get("rule") == "neighbour_building":
        return ("buildings", "plans")
    return FLAG_NEEDS.get(str(flag.get("code")), ("parcels",))


def kept(flags: list[dict[str, Any]], checked: set[str]) -> list[dict[str, Any]]:
    """The flags whose data was all there; the others are not given (their check was not made)."""
    return [f for f in flags if set(needs(f)) <= checked]


def not_checked(checks: dict[str, tuple[str, ...]], checked: set[str]) -> list[dict[str, Any]]:
    """One entry per kind of missing data that a check needs: which checks were not made."""
    return [
        {"data": kind, "checks": list(names)}
        for kind, names in checks.items()
        if kind not in checked
    ]
