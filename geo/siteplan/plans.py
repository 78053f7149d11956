"""Which plans apply to a site, and the flags that follow from plans and zones alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.regime import Regime
from geo.rules import Ruleset
from geo.siteplan import exemptions
from geo.siteplan.model import Building, Context, PlanArea, flag

PLAN_TOUCH_M = 0.5  # a plan this close to the site is listed as a near miss (digitising gaps)


@dataclass
class Situation:
    """The plans that apply to the site (slivers set aside) and what they add up to."""

    applies: list[dict[str, Any]]
    near: list[dict[str, Any]]
    kinds: set[str]
    in_detailed: bool
    binding_master: bool


def _overlaps(
    site: BaseGeometry, plans: list[PlanArea], rules: Ruleset
) -> tuple[list[Any], list[Any]]:
    applies: list[dict[str, Any]] = []
    near: list[dict[str, Any]] = []
    sr = rules.setbacks
    for p in plans:
        area = site.intersection(p.geom).area
        if area <= 0 and not site.touches(p.geom) and site.distance(p.geom) > PLAN_TOUCH_M:
            continue
        share = area / site.area if site.area else 0.0
        row = {
            "kind": p.kind,
            "name": p.name,
            "use_class": p.use_class,
            "overlap_m2": round(area, 2),
            "share": round(share, 4),
            "legally_binding": p.legally_binding,
        }
        (near if area < sr.sliver_area_m2 or share < sr.sliver_share else applies).append(row)
    return applies, near


def situation(site: BaseGeometry, ctx: Context, rules: Ruleset) -> Situation:
    """Classify the plans around a site: applying, near misses, detailed plan, binding master plan."""
    applies, near = _overlaps(site, ctx.plans, rules)
    kinds = {a["kind"] for a in applies}
    binding_master = any(
        p.kind == "master-plan"
        and p.legally_binding
        and p.allows_permits
        and p.geom.intersection(site).area >= rules.setbacks.sliver_area_m2
        for p in ctx.plans
    )
    return Situation(applies, near, kinds, "detailed-plan" in kinds, binding_master)


def planning_need_flags(
    sit: Situation,
    buildings: list[Building],
    ctx: Context,
    rules: Ruleset,
    regime: Regime,
    lifted: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """A site in a planning-need area (outside detailed plans) needs a planning-need review.

    Not when every planned building falls under a statutory exception (recorded in `lifted`).
    """
    if "planning-need" not in sit.kinds or sit.in_detailed:
        return []
    table = rules.exemptions.planning_need
    c = exemptions.covered(table, buildings, ctx.existing_dwelling)
    where = "the site lies in a planning-need area, outside detailed plans"
    if c.all:
        lifted.append(
            exemptions.lifted(
                "planning_need_area",
                c,
                table,
                regime,
                f"{where}, but every planned building "
                "is an exception (an outbuilding of the existing dwelling)",
            )
        )
        return []
    cite = regime.citations
    decision = (
        "suunnittelutarveratkaisu"
        if regime.code == "MRL"
        else "rakentamislupa suunnittelutarvealueen edellytysten mukaan (RakL 46 §) tai sijoittamislupa (RakL 43 §)"
    )
    why = exemptions.why_not_exempt(c, table, buildings, ctx.existing_dwelling)
    whys = exemptions.why_messages(c, table, buildings, ctx.existing_dwelling)
    return [
        flag(
            "planning_need_area",
            "The site is in a planning-need area: building needs a planning-need review before the permit.",
            "Rakennuspaikka on suunnittelutarvealueella: rakentaminen edellyttää suunnittelutarveharkintaa.",
            decision,
            f"{cite['planning_need_area']}; {cite['planning_need_decision']}",
            reason=f"{where}; not an exception: {why}",
            exemption=None,
            i18n={"key": "flag.planning_need_area"},
            i18n_reason={"key": "reason.planning_need_area", "why": whys},
        )
    ]


def shore_distance(site: BaseGeometry, ctx: Context) -> float | None:
    """The distance from the site to the nearest shoreline, or None without shorelines."""
    return min((site.distance(s) for s in ctx.shorelines), default=None)


def _shore_area(site: BaseGeometry, ctx: Context, sit: Situation) -> str | None:
    """The municipality's own shore-area polygon the site lies in (beyond slivers), by name."""
    if "shore-area" not in sit.kinds:
        return None
    names = [a["name"] for a in sit.applies if a["kind"] == "shore-area"]
    return next((n for n in names if n), "ranta-alue")


def _in_zone(site: BaseGeometry, ctx: Context, sit: Situation, rules: Ruleset) -> float:
    """The site's area inside the shore zone; a sliver along its edge is a near miss."""
    zone_w = rules.shore.zone_width_m
    sr = rules.setbacks
    zone = shapely.union_all(
        [s.buffer(zone_w) for s in ctx.shorelines if site.distance(s) <= zone_w]
    )
    in_zone = site.intersection(zone).area
    if in_zone >= sr.sliver_area_m2 and in_zone / site.area >= sr.sliver_share:
        return float(in_zone)
    if in_zone > 0:
        share = round(in_zone / site.area, 4)
        note = "sliver along the zone edge: no flag"
        sit.near.append(
            {
                "kind": "shore-zone",
                "overlap_m2": round(in_zone, 2),
                "share": share,
                "note": note,
                "i18n_note": {"key": "note.zone_sliver"},
            }
        )
    return 0.0


def shore_flags(
    site: BaseGeometry,
    buildings: list[Building],
    ctx: Context,
    sit: Situation,
    rules: Ruleset,
    regime: Regime,
    lifted: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """A site in the shore zone or shore area, without a shore plan, needs a deviation decision.

    Not when every planned building is a statutory exception (MRL/AKL 72 § 3 mom, recorded in
    `lifted`). Slivers of the zone are near misses.
    """
    zone_w = rules.shore.zone_width_m
    dist = shore_distance(site, ctx)
    area_name = _shore_area(site, ctx, sit)
    near_shore = dist is not None and dist <= zone_w
    if not near_shore and area_name is None:
        return []
    if sit.in_detailed or "shore-plan" in sit.kinds or sit.binding_master:
        return []
    in_zone = _in_zone(site, ctx, sit, rules) if near_shore else 0.0
    if not in_zone and area_name is None:
        return []
    where = (
        f"the site is {dist:.0f} m from the shoreline, inside the {zone_w:.0f} m shore zone"
        if in_zone and dist is not None
        else f"the site lies in the municipality's shore area ({area_name})"
    )
    where += ", with no shore plan or binding master plan"
    table = rules.exemptions.shore
    c = exemptions.covered(table, buildings, ctx.existing_dwelling)
    if c.all:
        reason = f"{where}, but every planned building is an exception"
        lifted.append(exemptions.lifted("shore_zone_without_shore_plan", c, table, regime, reason))
        return []
    why = exemptions.why_not_exempt(c, table, buildings, ctx.existing_dwelling)
    whys = exemptions.why_messages(c, table, buildings, ctx.existing_dwelling)
    message = (
        {"key": "flag.shore_zone", "distance_m": dist, "zone_m": zone_w}
        if in_zone and dist is not None
        else {"key": "flag.shore_area", "area": area_name}
    )
    return [
        flag(
            "shore_zone_without_shore_plan",
            f"{where[0].upper()}{where[1:]}: building needs a deviation decision.",
            "Rakennuspaikka on rantavyöhykkeellä tai ranta-alueella ilman ranta-asemakaavaa: "
            "rakentaminen edellyttää poikkeamispäätöstä.",
            "poikkeamispäätös",
            regime.citations["shore_deviation"],
            shore_distance_m=None if dist is None else round(dist, 1),
            zone_width_m=zone_w,
            shore_area=area_name,
            reason=f"{where}; not an exception: {why}",
            exemption=None,
            i18n=message,
            i18n_reason={"key": "reason.not_exempt", "where": message, "why": whys},
        )
    ]


def site_area_flags(
    site: BaseGeometry, sit: Situation, rules: Ruleset, regime: Regime
) -> list[dict[str, Any]]:
    """Outside detailed plans a building site must reach the minimum area."""
    minimum = rules.setbacks.min_site_area_m2
    if sit.in_detailed or site.area >= minimum:
        return []
    return [
        flag(
            "site_area_below_minimum",
            f"Outside detailed plans a building site must be at least {minimum:.0f} m²; "
            f"this one is {site.area:.0f} m².",
            f"Asemakaava-alueen ulkopuolella rakennuspaikan on oltava vähintään {minimum:.0f} m².",
            "poikkeamispäätös",
            regime.citations["site_area_minimum"],
            site_area_m2=round(site.area, 1),
            minimum_m2=minimum,
            reason=f"{site.area:.0f} m² < {minimum:.0f} m² ({regime.code}, outside detailed plans)",
            i18n={"key": "flag.site_area_below_minimum", "area_m2": site.area, "min_m2": minimum},
            i18n_reason={
                "key": "reason.site_area_below_minimum",
                "area_m2": site.area,
                "min_m2": minimum,
                "regime": regime.code,
            },
        )
    ]
