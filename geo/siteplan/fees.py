"""Fee estimate of a site: building permits by category, the decisions the flags need, hearing letters."""

from __future__ import annotations

from typing import Any

from geo.rules import Ruleset
from geo.siteplan.model import USES, Building

DEVIATION_FLAGS = {"shore_zone_without_shore_plan", "site_area_below_minimum"}


def fees(
    buildings: list[Building], flags: list[dict[str, Any]], rules: Ruleset, letters: int
) -> dict[str, Any]:
    """Estimate the fees: building permits by category, decisions the flags require, hearing letters."""
    f = rules.fees
    tariff = {
        "building": (f.building_base_eur, f.building_per_m2_eur),
        "outbuilding": (f.outbuilding_base_eur, f.outbuilding_per_m2_eur),
        "shelter": (f.shelter_base_eur, f.shelter_per_m2_eur),
    }
    lines: list[dict[str, Any]] = []
    for i, b in enumerate(buildings):
        base, per = tariff[USES[b.use]]
        item = f"building permit, building {i} ({b.use}, {b.floor_area_m2:g} m²)"
        lines.append({"item": item, "eur": round(base + per * b.floor_area_m2, 2)})
    codes = {fl["code"] for fl in flags}
    if codes & DEVIATION_FLAGS or any(fl["decision"] == "poikkeamispäätös" for fl in flags):
        lines.append({"item": "deviation decision (poikkeamispäätös)", "eur": f.deviation_eur})
    if "planning_need_area" in codes:
        lines.append({"item": "planning-need decision", "eur": f.planning_need_eur})
    if "minor_deviation_possible" in codes:
        lines.append(
            {"item": "minor deviation (vähäinen poikkeaminen)", "eur": f.minor_deviation_eur}
        )
    if letters and rules.hearing.fee_per_letter_eur:
        item = f"neighbour hearing by the authority, {letters} letters"
        lines.append({"item": item, "eur": round(letters * rules.hearing.fee_per_letter_eur, 2)})
    return {
        "total_eur": round(sum(x["eur"] for x in lines), 2),
        "lines": lines,
        "tariff": rules.name,
    }
