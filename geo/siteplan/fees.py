"""Fee estimate of a site from the municipality's own tariff (domain.md §5), in Decimal euros.

Every line carries a stable `code`, its `source` and the date its amount took effect.
An item the tariff does not have is listed under `not_configured`, never priced with
another town's numbers; a municipality without any tariff gets no euros at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, get_args

from geo import cases, hearing
from geo.money import dec, money
from geo.rules import Ruleset, keys
from geo.siteplan.model import USES, Building

# The stable codes of fee lines (issue 9): a contract, shared with the API's schema.
FeeCode = Literal[
    "building_permit",
    "start_meeting",
    "foreman",
    "surveying",
    "deviation",
    "planning_need",
    "minor_deviation",
    "hearing_by_authority",
    "excavation",
]
CODES: tuple[str, ...] = get_args(FeeCode)
SMALL_STORAGE_USES = ("outbuilding", "garage", "shelter")


@dataclass(frozen=True)
class FeeCase:
    """What the estimate needs beyond buildings and flags: the case and its hearing."""

    kind: str = "building_permit"
    decided_by: str = "board"  # who decides a deviation / planning need (Kotka's tariff)
    outcome: str = "granted"
    heard_by: str = "authority"
    foremen: int | None = (
        None  # default: one (the responsible foreman) when buildings are applied for
    )
    start_meeting: bool | None = None  # default: when a main building is applied for
    letters: int = 0  # hearing letters, the road authority's included
    road_letters: int = 0


class _Estimate:
    """Lines and unpriced items being collected."""

    def __init__(self, rules: Ruleset) -> None:
        self.rules = rules
        self.lines: list[dict[str, Any]] = []
        self.missing: list[dict[str, Any]] = []

    def add(self, code: str, item: str, eur: Decimal, key: str, **extra: Any) -> None:
        r = self.rules
        line = {"code": code, "item": item, "eur": money(eur), "source": r.source(key)}
        line["effective_from"] = r.effective(key).isoformat()
        self.lines.append({**line, **{k: v for k, v in extra.items() if v is not None}})

    def lack(self, code: str, item: str, **extra: Any) -> None:
        self.missing.append(
            {
                "code": code,
                "item": item,
                "note": f"not in {self.rules.name}'s tariff: no euros",
                **extra,
            }
        )


def _permits(est: _Estimate, buildings: list[Building]) -> None:
    """Building permits by category; with `single_base_fee` only the main building pays a base."""
    f = est.rules.fees
    tariff = {
        "building": (f.building_base_eur, f.building_per_m2_eur),
        "outbuilding": (f.outbuilding_base_eur, f.outbuilding_per_m2_eur),
        "shelter": (f.shelter_base_eur, f.shelter_per_m2_eur),
    }
    has_main = any(USES[b.use] == "building" for b in buildings)
    for i, b in enumerate(buildings):
        cat = USES[b.use]
        base, per = tariff[cat]
        item = f"building permit, building {i} ({b.use}, {b.floor_area_m2:g} m²)"
        if base is None or per is None:
            est.lack("building_permit", item, building=i)
            continue
        no_base = f.single_base_fee and has_main and cat != "building"
        if no_base:
            item += ": no base fee, applied for with the main building"
        eur = (Decimal(0) if no_base else base) + per * dec(b.floor_area_m2)
        est.add("building_permit", item, eur, f"fees.{cat}_per_m2_eur", building=i)


def _surveying_key(b: Building, small_max: float) -> str | None:
    if b.use in ("dwelling", "holiday_home"):
        return "dwelling"
    if USES[b.use] == "building":
        return None  # e.g. commercial: the tariff prices dwellings only
    small = b.use in SMALL_STORAGE_USES and b.floor_area_m2 < small_max
    return "small_storage" if small else "outbuilding"


def _works(est: _Estimate, buildings: list[Building], case: FeeCase) -> None:
    """Start meeting, foremen and the city surveyor's setting-out and location survey."""
    f = est.rules.fees
    if not buildings:
        return
    has_main = any(USES[b.use] == "building" for b in buildings)
    if case.start_meeting if case.start_meeting is not None else has_main:
        if f.start_meeting_eur is None:
            est.lack("start_meeting", "start meeting")
        else:
            est.add("start_meeting", "start meeting", f.start_meeting_eur, "fees.start_meeting_eur")
    n = case.foremen if case.foremen is not None else 1
    if n and f.foreman_eur is None:
        est.lack("foreman", f"foreman approval × {n}")
    elif n and f.foreman_eur is not None:
        item = f"foreman approval × {n}"
        eur = f.foreman_eur * n
        est.add("foreman", item, eur, "fees.foreman_eur", quantity=n, unit_eur=money(f.foreman_eur))
    for i, b in enumerate(buildings):
        key = _surveying_key(b, f.surveying_small_max_m2)
        item = f"setting-out and location survey, building {i} ({b.use})"
        amount = f.surveying_eur.get(key) if key else None
        if amount is None:
            est.lack("surveying", item, building=i)
        else:
            est.add("surveying", f"{item}: {key}", amount, "fees.surveying_eur", building=i)


def _decision(
    est: _Estimate, code: str, item: str, table: dict[str, Decimal], key: str, case: FeeCase
) -> None:
    """One decision fee: by who decides, a refusal's share, the tariff's range, heavy cases."""
    f = est.rules.fees
    amount = table.get(case.decided_by, table.get("any"))
    if amount is None:
        est.lack(code, item)
        return
    if "any" not in table:
        item += f" ({case.decided_by})"
    notes, share = [], f.refused_share.get(code)
    eur, top = amount, f.range_max_eur.get(code)
    if case.outcome == "refused":
        if share is not None:
            eur, top = amount * share, None if top is None else top * share
            notes.append(f"refused: {float(share) * 100:g} % of the fee")
        else:
            notes.append("the tariff names no refusal fee: the granted fee is shown")
    surcharge = f.surcharge_max_share.get(code)
    if surcharge is not None:
        top = eur * (1 + surcharge)
        notes.append(f"heavy cases up to +{float(surcharge) * 100:g} %")
    if code in f.hearing_included:
        notes.append("the authority's hearing of neighbours is included")
    est.add(
        code,
        item,
        eur,
        key,
        eur_max=None if top is None else money(top),
        note="; ".join(notes) or None,
        decided_by=None if "any" in table else case.decided_by,
    )


def _decisions(est: _Estimate, needed: set[str], case: FeeCase) -> None:
    f = est.rules.fees
    if {"deviation", "planning_need"} <= needed and f.deviation_with_planning_need_eur:
        item = "deviation decision with planning-need decision"
        key = "fees.deviation_with_planning_need_eur"
        priced = len(est.lines)
        _decision(est, "deviation", item, f.deviation_with_planning_need_eur, key, case)
        if len(est.lines) > priced:
            est.lines[-1]["includes"] = ["planning_need"]
        needed = needed - {"deviation", "planning_need"}
    if "deviation" in needed:
        item = "deviation decision (poikkeamispäätös)"
        _decision(est, "deviation", item, f.deviation_eur, "fees.deviation_eur", case)
    if "planning_need" in needed:
        item = "planning-need decision"
        _decision(est, "planning_need", item, f.planning_need_eur, "fees.planning_need_eur", case)
    if "minor_deviation" in needed:
        item = "minor deviation (vähäinen poikkeaminen)"
        if f.minor_deviation_eur is None:
            est.lack("minor_deviation", item)
        else:
            est.add("minor_deviation", item, f.minor_deviation_eur, "fees.minor_deviation_eur")


def configured(rules: Ruleset) -> bool:
    """Whether the municipality's own file sets any fee (else it has no tariff here)."""
    own = [k for k in keys("fees") if not rules.national(f"fees.{k}")]
    letter_fee = dec(rules.hearing.fee_per_letter_eur) > 0
    return bool(own) or (letter_fee and not rules.national("hearing.fee_per_letter_eur"))


def fees(
    buildings: list[Building],
    flags: list[dict[str, Any]],
    rules: Ruleset,
    case: FeeCase | None = None,
) -> dict[str, Any]:
    """Estimate the fees: building permits, works, the decisions the case and flags need, hearing."""
    case = case or FeeCase()
    est = _Estimate(rules)
    needed = cases.decisions_needed(case.kind, flags)
    _permits(est, buildings)
    _works(est, buildings, case)
    _decisions(est, needed, case)
    n, note = hearing.charged_letters(
        case.letters,
        case.road_letters,
        rules.hearing,
        rules.fees,
        needed | {case.kind},
        case.heard_by,
    )
    if n:
        unit = money(dec(rules.hearing.fee_per_letter_eur))
        item = f"neighbour hearing by the authority, {n} letters × {unit} €"
        est.add(
            "hearing_by_authority",
            item,
            unit * n,
            "hearing.fee_per_letter_eur",
            quantity=n,
            unit_eur=unit,
            note=note or None,
        )
    return summary(est, rules, case)


def summary(est: _Estimate, rules: Ruleset, case: FeeCase) -> dict[str, Any]:
    """The fees document: total (None without any priced line), lines, what is not priced."""
    has = configured(rules)
    lines = est.lines
    total = money(sum((x["eur"] for x in lines), Decimal(0))) if lines else None
    tops = [x.get("eur_max", x["eur"]) for x in lines]
    ranged = any("eur_max" in x for x in lines)
    if not has:
        note = f"no tariff configured for {rules.name}: no fee estimate"
    elif est.missing:
        note = f"not in {rules.name}'s tariff: " + ", ".join(m["item"] for m in est.missing)
    else:
        note = None
    return {
        "total_eur": total,
        "total_max_eur": money(sum(tops, Decimal(0))) if ranged else None,
        "lines": lines,
        "not_configured": est.missing,
        "configured": has,
        "complete": has and not est.missing,
        "tariff": rules.name if has else None,
        "source": rules.source("fees") if has else None,
        "note": note,
        "decided_by": case.decided_by,
        "outcome": case.outcome,
        "heard_by": case.heard_by,
    }
