"""Site analysis (domain.md sections 0, 2, 3): plans, exception flags and setbacks of a site.

Pure: the caller fetches the plans, shorelines, buildings, state roads and
neighbouring units near the site; everything here is shapely arithmetic on
EPSG:3067 geometries and the rules in force.
"""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.regime import Regime
from geo.rules import Ruleset
from geo.siteplan import building_right, plans, setbacks
from geo.siteplan.model import Building, Context, flag


def _building_rows(
    site: BaseGeometry,
    buildings: list[Building],
    ctx: Context,
    sit: plans.Situation,
    rules: Ruleset,
    regime: Regime,
) -> tuple[setbacks.Rows, list[Any]]:
    """Every setback row of every building; also the building areas on the site."""
    areas = [p for p in ctx.plans if p.kind == "building-area" and p.geom.intersects(site)]
    area_union = shapely.union_all([p.geom for p in areas]) if areas else None
    rows = setbacks.Rows()
    for i, b in enumerate(buildings):
        in_plan = sit.in_detailed if ctx.plans_known else None
        setbacks.boundary(i, b, site, ctx, in_plan, rules, regime, rows)
        setbacks.separation(i, b, buildings, ctx, rules, regime, rows)
        setbacks.neighbour_building(i, b, ctx, sit.in_detailed, rules, regime, rows)
        setbacks.shoreline(i, b, ctx, rules, rows)
        setbacks.road_zone(i, b, ctx, rules, regime, rows)
        if sit.in_detailed and area_union is not None:
            setbacks.building_area(i, b, area_union, rules, regime, rows)
    return rows, areas


def _i18n(key: str, row: dict[str, Any], **more: Any) -> dict[str, Any]:
    """A message key with the numbers of a setback row (buildings numbered from 1 in texts)."""
    return {
        "key": key,
        "n": row["building"] + 1,
        "measured_m": row["measured_m"],
        "required_m": row["required_m"],
        "consent_from": row.get("consent_from") or "",
        **more,
    }


def _derived_flags(rows: setbacks.Rows, rules: Ruleset, regime: Regime) -> list[dict[str, Any]]:
    """Flags that follow from setback rows: minor deviation, fire separation, neighbour consent."""
    cite = regime.citations
    out: list[dict[str, Any]] = []
    if rows.minor:
        text = "; ".join(m["en"] for m in rows.minor)
        out.append(
            flag(
                "minor_deviation_possible",
                "Small deviations can be granted with the permit: " + text + ".",
                "Vähäinen poikkeaminen voidaan myöntää rakennusluvassa: " + text + ".",
                "vähäinen poikkeaminen rakennusluvassa",
                cite["minor_deviation"],
                severity="minor",
                i18n={
                    "key": "flag.minor_deviation_possible",
                    "items": [m["i18n"] for m in rows.minor],
                },
            )
        )
    for row in rows.setbacks:
        if row["rule"] == "building_separation" and not row["ok"] and "existing" in row["to"]:
            out.append(
                flag(
                    "fire_separation",
                    f"Building {row['building'] + 1} is {row['measured_m']:.2f} m from a building on another property "
                    f"(under {rules.setbacks.fire_separation_m:g} m): fire separation needs structural measures.",
                    f"Rakennus {row['building'] + 1} on {row['measured_m']:.2f} m toisen kiinteistön rakennuksesta: "
                    "paloturvallisuus edellyttää rakenteellisia toimenpiteitä.",
                    "rakenteelliset palotekniset ratkaisut rakennusluvassa",
                    cite["fire_separation"],
                    severity="condition",
                    building=row["building"],
                    i18n=_i18n(
                        "flag.fire_separation", row, fire_m=rules.setbacks.fire_separation_m
                    ),
                )
            )
        if row["rule"] == "neighbour_building" and not row["ok"]:
            out.append(_building_consent(row))
        if row["rule"] == "boundary" and not row["ok"] and not row.get("uncertain"):
            who = f" ({row['consent_from']})." if row.get("consent_from") else "."
            out.append(
                flag(
                    "neighbour_consent_needed",
                    f"Building {row['building'] + 1} is {row['measured_m']:.2f} m from the boundary "
                    f"({row['required_m']:.2f} m required): the neighbour's written consent is needed"
                    + who,
                    f"Rakennus {row['building'] + 1} on {row['measured_m']:.2f} m rajasta: naapurin kirjallinen suostumus tarvitaan.",
                    "naapurin suostumus tai poikkeaminen",
                    cite["minor_deviation"],
                    severity="consent",
                    building=row["building"],
                    consent_from=row.get("consent_from"),
                    i18n=_i18n("flag.neighbour_consent_needed.boundary", row),
                )
            )
    return out


def _building_consent(row: dict[str, Any]) -> dict[str, Any]:
    """A building closer than the regime allows to a neighbour's building needs its owner's consent."""
    return flag(
        "neighbour_consent_needed",
        f"Building {row['building'] + 1} is {row['measured_m']:.2f} m from a building on another "
        f"building site ({row['required_m']:g} m required): that owner's written consent is needed "
        f"({row['consent_from']}).",
        f"Rakennus {row['building'] + 1} on {row['measured_m']:.2f} m naapurin rakennuksesta "
        f"({row['required_m']:g} m vaaditaan): naapurin kirjallinen suostumus tarvitaan.",
        "naapurin suostumus tai poikkeaminen",
        row["source"].split(":")[0],
        severity="consent",
        building=row["building"],
        consent_from=row["consent_from"],
        rule="neighbour_building",
        i18n=_i18n("flag.neighbour_consent_needed.building", row),
    )


def analyse(
    site: BaseGeometry, buildings: list[Building], ctx: Context, rules: Ruleset, regime: Regime
) -> dict[str, Any]:
    """Return plans, near misses, flags (and flags an exception lifted) and setback rows."""
    sit = plans.situation(site, ctx, rules)
    lifted: list[dict[str, Any]] = []
    flags = plans.planning_need_flags(sit, buildings, ctx, rules, regime, lifted)
    flags += plans.shore_flags(site, buildings, ctx, sit, rules, regime, lifted)
    flags += plans.site_area_flags(site, sit, rules, regime)
    rows, areas = _building_rows(site, buildings, ctx, sit, rules, regime)
    flags += rows.flags
    if sit.in_detailed:
        flags += building_right.exceeded(site, buildings, areas, ctx, rules, regime, rows.minor)
    flags += _derived_flags(rows, rules, regime)
    dist = plans.shore_distance(site, ctx)
    return {
        "plans": sit.applies,
        "near_misses": sit.near,
        "flags": flags,
        "setbacks": rows.setbacks,
        "exemptions": lifted,
        "shore_distance_m": None if dist is None else round(dist, 1),
    }
