"""The dig-permit fee from the municipality's tariff (domain.md K5), in Decimal euros.

A tariff whose amounts are not in the rule file (e.g. Helsinki's handling + daily fee,
whose structure is known but whose amounts no source gives) yields no euros and says so.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from geo.money import dec, money
from geo.rules import Ruleset


def _line(
    rules: Ruleset, item: str, eur: Decimal, key: str, i18n: dict[str, Any]
) -> dict[str, Any]:
    return {
        "code": "excavation",
        "item": item,
        "i18n": i18n,
        "eur": money(eur),
        "source": rules.source(key),
        "effective_from": rules.effective(key).isoformat(),
    }


def fee(area_m2: float, days: int, rules: Ruleset) -> dict[str, Any]:
    """Estimate the permit fee: a flat fee, or handling + daily fee by area band × zone factor."""
    er = rules.excavation
    lines: list[dict[str, Any]] = []
    if er.flat_fee_eur is not None:
        lines.append(
            _line(
                rules,
                "permit (flat fee)",
                er.flat_fee_eur,
                "excavation.flat_fee_eur",
                {"key": "fee.excavation.flat"},
            )
        )
    if er.handling_fee_eur is not None:
        key = "excavation.handling_fee_eur"
        lines.append(
            _line(
                rules, "handling fee", er.handling_fee_eur, key, {"key": "fee.excavation.handling"}
            )
        )
    if er.daily_fee_bands:
        bands = sorted(
            ((math.inf if k == "inf" else float(k)), v) for k, v in er.daily_fee_bands.items()
        )
        per_day = next((v for limit, v in bands if area_m2 <= limit), bands[-1][1])
        item = f"daily fee, {area_m2:,.0f} m² band, {days} days × {per_day:.2f} € × zone {er.zone_factor:g}"
        eur = per_day * days * dec(er.zone_factor)
        i18n = {
            "key": "fee.excavation.daily",
            "area_m2": area_m2,
            "days": days,
            "per_day": per_day,
            "zone": er.zone_factor,
        }
        lines.append(_line(rules, item, eur, "excavation.daily_fee_bands", i18n))
    note = None
    said: dict[str, Any] | None = None
    if not lines:

        def named(name: str, structure: str) -> str:
            return f"{name} ({structure})" if structure else name

        fi = named(rules.name, er.fee_structure)
        note = f"no excavation tariff configured for {fi}: no fee estimate"
        # the municipality's Swedish name, the structure in the page's language where translated
        tariff = {
            "sv": named(rules.name_sv, er.fee_structure_sv or er.fee_structure),
            "en": named(rules.name, er.fee_structure_en or er.fee_structure),
        }
        said = {"key": "note.no_excavation_tariff", "tariff": {"by_lang": tariff, "else": fi}}
    return {
        "total_eur": money(sum((x["eur"] for x in lines), Decimal(0))) if lines else None,
        "lines": lines,
        "configured": bool(lines),
        "tariff": rules.name if lines else None,
        "structure": er.fee_structure or None,
        "note": note,
        "i18n_note": said,
    }
