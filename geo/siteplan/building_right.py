"""The plan's building right (rakennusoikeus) against the planned floor area (T2, T5)."""

from __future__ import annotations

from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.regime import Regime
from geo.rules import Ruleset
from geo.siteplan.model import Building, Context, PlanArea, deviation, flag


def building_right_m2(site: BaseGeometry, areas: list[PlanArea], ctx: Context) -> float:
    """The building right of the site: the building areas mostly on it, else efficiency × site area."""
    right = sum(
        p.building_right_m2 or 0.0
        for p in areas
        if p.building_right_m2 and p.geom.intersection(site).area >= 0.5 * p.geom.area
    )
    if right:
        return right
    eff = max(
        (
            p.efficiency or 0.0
            for p in ctx.plans
            if p.kind == "detailed-plan" and p.geom.intersects(site)
        ),
        default=0.0,
    )
    return float(eff * site.area)


def exceeded(
    site: BaseGeometry,
    buildings: list[Building],
    areas: list[PlanArea],
    ctx: Context,
    rules: Ruleset,
    regime: Regime,
    minor: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Flag floor area beyond the building right: minor up to the rule file's share, else a deviation."""
    right = building_right_m2(site, areas, ctx)
    total = sum(b.floor_area_m2 for b in buildings)
    if not right or total <= right + 1e-6:
        return []
    is_minor = total <= right * (1 + rules.setbacks.building_right_minor_share)
    if is_minor:
        pct = rules.setbacks.building_right_minor_share * 100
        over = total - right
        minor.append(
            {
                "en": f"building right exceeded by {over:.0f} m² (≤ {pct:g} %)",
                "i18n": {"key": "minor.building_right", "over_m2": over, "pct": pct},
            }
        )
    return [
        flag(
            "building_right_exceeded",
            f"Planned floor area {total:.0f} m² exceeds the plan's building right {right:.0f} m².",
            f"Suunniteltu kerrosala {total:.0f} m² ylittää rakennusoikeuden {right:.0f} m².",
            *deviation(is_minor, regime),
            floor_area_m2=total,
            building_right_m2=round(right, 1),
            i18n={"key": "flag.building_right_exceeded", "total_m2": total, "right_m2": right},
        )
    ]
