"""The dig-permit fee from the municipality's tariff (domain.md K5)."""

from __future__ import annotations

import math
from typing import Any

from geo.rules import ExcavationRules


def fee(area_m2: float, days: int, rules: ExcavationRules) -> dict[str, Any]:
    """Estimate the permit fee: a flat fee, or handling + daily fee by area band × zone factor."""
    lines: list[dict[str, Any]] = []
    if rules.flat_fee_eur:
        lines.append({"item": "permit (flat fee)", "eur": rules.flat_fee_eur})
    if rules.handling_fee_eur:
        lines.append({"item": "handling fee", "eur": rules.handling_fee_eur})
    if rules.daily_fee_bands:
        bands = sorted(
            ((math.inf if k == "inf" else float(k)), v) for k, v in rules.daily_fee_bands.items()
        )
        per_day = next((v for limit, v in bands if area_m2 <= limit), bands[-1][1])
        lines.append(
            {
                "item": f"daily fee, {area_m2:,.0f} m² band, {days} days × {per_day:.2f} € × zone {rules.zone_factor}",
                "eur": round(per_day * days * rules.zone_factor, 2),
            }
        )
    return {"total_eur": round(sum(x["eur"] for x in lines), 2), "lines": lines}
