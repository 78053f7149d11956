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
        line["i18n"] = extra.pop("i18n", None) or {"key": f"fee.{code}"}
        line["effective_from"] = r.effective(key).isoformat()
        self.lines.append({**line, **{k: v for k, v in extra.items() if v is not None}})

    def lack(self, code: str, item: str, i18n: dict[str, Any] | None = None) -> None:
        self.missing.append(
            {
                "code": code,
                "item": item,
                "note": f"not in {self.rules.name}'s tariff: no euros",
                "i18n": i18n or {"key": f"fee.{code}"},
                "i18n_note": {"key": "fee.not_in_tariff", "tariff": self.rules.name},
            }
        )


# The uses the tariffs' building fee prices: dwellings (Kotka: "asuinrakennus, enintään 2
# asuntoa", domain.md §5); a commercial building is in no tariff of the rule files.
DWELLING_USES = ("dwelling", "holiday_home")


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
        item = f"building permit, building {i + 1} ({b.use}, {b.floor_area_m2:g} m²)"
        use = {"key": f"use.{b.use}"}
        i18n = {"key": "fee.building_permit", "n": i + 1, "use": use, "m2": b.floor_area_m2}
        if base is None or per is None or (cat == "building" and b.use not in DWELLING_USES):
            est.lack("building_permit", item, i18n)  # e.g. commercial: not a dwellings' fee
            continue
        no_base = f.single_base_fee and has_main and cat != "building"
        if no_base:
            item += ": no base fee, applied for with the main building"
            i18n["key"] = "fee.building_permit.no_base"
        eur = (Decimal(0) if no_base else base) + per * dec(b.floor_area_m2)
        est.add("building_permit", item, eur, f"fees.{cat}_per_m2_eur", building=i, i18n=i18n)


def _surveying_key(b: Building, small_max: float) -> str | None:
    if b.use in DWELLING_USES:
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
    foremen = {"key": "fee.foreman", "count": n}
    if n and f.foreman_eur is None:
        est.lack("foreman", f"foreman approval × {n}", foremen)
    elif n and f.foreman_eur is not None:
        item = f"foreman approval × {n}"
        eur = f.foreman_eur * n
        unit = money(f.foreman_eur)
        est.add("foreman", item, eur, "fees.foreman_eur", quantity=n, unit_eur=unit, i18n=foremen)
    for i, b in enumerate(buildings):
        key = _surveying_key(b, f.surveying_small_max_m2)
        item = f"setting-out and location survey, building {i + 1} ({b.use})"
        amount = f.surveying_eur.get(key) if key else None
        i18n = {"key": "fee.surveying", "n": i + 1, "use": {"key": f"use.{b.use}"}}
        if amount is None:
            est.lack("surveying", item, i18n)
        else:
            i18n["cls"] = {"key": f"survey.{key}"}
            i18n["key"] = "fee.surveying.class"
            src = "fees.surveying_eur"
            est.add("surveying", f"{item}: {key}", amount, src, building=i, i18n=i18n)


def _decision(
    est: _Estimate, code: str, item: str, table: dict[str, Decimal], key: str, case: FeeCase
) -> None:
    """One decision fee: by who decides, a refusal's share, the tariff's range, heavy cases."""
    f = est.rules.fees
    amount = table.get(case.decided_by, table.get("any"))
    i18n: dict[str, Any] = {"key": "fee.decided_by", "what": {"key": f"fee.{item_key(item)}"}}
    if amount is None:
        est.lack(code, item, i18n["what"])
        return
    if "any" not in table:
        item += f" ({case.decided_by})"
        i18n["by"] = {"key": f"decided_by.{case.decided_by}"}
    else:
        i18n = i18n["what"]
    notes, share = [], f.refused_share.get(code)
    said: list[dict[str, Any]] = []
    eur, top = amount, f.range_max_eur.get(code)
    if case.outcome == "refused":
        if share is not None:
            eur, top = amount * share, None if top is None else top * share
            notes.append(f"refused: {float(share) * 100:g} % of the fee")
            said.append({"key": "note.refused", "pct": float(share) * 100})
        else:
            notes.append("the tariff names no refusal fee: the granted fee is shown")
            said.append({"key": "note.no_refusal_fee"})
    surcharge = f.surcharge_max_share.get(code)
    if surcharge is not None:
        top = eur * (1 + surcharge)
        notes.append(f"heavy cases up to +{float(surcharge) * 100:g} %")
        said.append({"key": "note.heavy", "pct": float(surcharge) * 100})
    if code in f.hearing_included:
        notes.append("the authority's hearing of neighbours is included")
        said.append({"key": "note.hearing_included"})
    est.add(
        code,
        item,
        eur,
        key,
        eur_max=None if top is None else money(top),
        note="; ".join(notes) or None,
        decided_by=None if "any" in table else case.decided_by,
        i18n=i18n,
        i18n_note={"key": "join", "items": said} if said else None,
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
            est.lack("minor_deviation", item, {"key": "fee.minor_deviation"})
        else:
            est.add("minor_deviation", item, f.minor_deviation_eur, "fees.minor_deviation_eur")


ITEM_KEYS = {
    "deviation decision with planning-need decision": "deviation_with_planning_need",
    "deviation decision (poikkeamispäätös)": "deviation",
    "planning-need decision": "planning_need",
}


def item_key(item: str) -> str:
    """The message key of a decision fee's item (its English text is the tariff's item name)."""
    return ITEM_KEYS[item]


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
            i18n={"key": "fee.hearing_by_authority", "count": n, "unit_eur": unit},
            i18n_note={"key": "note.road_letter_free"} if note else None,
        )
    return summary(est, rules, case)


def summary(est: _Estimate, rules: Ruleset, case: FeeCase) -> dict[str, Any]:
    """The fees document: total (None without any priced line), lines, what is not priced."""
    has = configured(rules)
    lines = est.lines
    total = money(sum((x["eur"] for x in lines), Decimal(0))) if lines else None
    tops = [x.get("eur_max", x["eur"]) for x in lines]
    ranged = any("eur_max" in x for x in lines)
    said: dict[str, Any] | None = None
    if not has:
        note = f"no tariff configured for {rules.name}: no fee estimate"
        said = {"key": "note.no_tariff", "tariff": rules.name}
    elif est.missing:
        note = f"not in {rules.name}'s tariff: " + ", ".join(m["item"] for m in est.missing)
        items = [m["i18n"] for m in est.missing]
        said = {"key": "note.missing", "tariff": rules.name, "items": items}
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
        "i18n_note": said,
        "decided_by": case.decided_by,
        "outcome": case.outcome,
        "heard_by": case.heard_by,
    }
