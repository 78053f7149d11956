"""Who gets a letter, what the hearing costs and when a decision can be made (domain.md N5-N8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from geo import regime, timelimits
from geo.money import dec, money
from geo.rules import FeeRules, HearingRules

# Owner kinds as stored; estates are heard through one contact (Hallintolaki 57 §).
OWNER_KINDS = ("person", "company", "estate", "state", "municipality", "association")


@dataclass(frozen=True, slots=True)
class Letter:
    """One hearing letter: to whom, about which properties."""

    recipient: str
    kind: str
    property_ids: tuple[str, ...]


def recipient_key(owner: dict[str, Any]) -> str:
    """Return the key that identifies one addressee: one letter per addressee."""
    if owner.get("kind") == "estate":
        who = owner.get("contact_name") or owner.get("name") or "?"
        return f"estate:{owner.get('name')}:{who}"
    return f"{owner.get('kind')}:{owner.get('name')}:{owner.get('address') or ''}"


def letters(neighbours: Iterable[dict[str, Any]]) -> list[Letter]:
    """Group every neighbour's owners into letters, one per distinct addressee.

    Co-owners each get a letter (every owner of a co-owned property is a
    party); an estate gets one, to its contact; one owner of several
    neighbouring properties gets one letter naming them all.
    """
    by_key: dict[str, tuple[str, str, list[str]]] = {}
    for n in neighbours:
        for owner in n.get("owners") or []:
            key = recipient_key(owner)
            name = owner.get("contact_name") if owner.get("kind") == "estate" else None
            label = f"{owner.get('name')} ({name})" if name else str(owner.get("name"))
            entry = by_key.setdefault(key, (label, str(owner.get("kind")), []))
            if n["property_id"] not in entry[2]:
                entry[2].append(n["property_id"])
    return [Letter(label, kind, tuple(pids)) for label, kind, pids in by_key.values()]


def deadlines(sent: dt.date, rules: HearingRules) -> tuple[dt.date, dt.date]:
    """Return (hearing deadline, earliest decision date) for letters sent on `sent`.

    The letter is deemed received after the delivery days (Hallintolaki 59 §), then the
    hearing period runs; a last day on a day off moves to the next working day (150/1930
    5 §), and the decision can be made on the first working day after the deadline.
    """
    nominal = sent + dt.timedelta(days=rules.delivery_days + rules.period_days)
    deadline = timelimits.last_day(nominal)
    return deadline, timelimits.next_working_day(deadline)


# The English notes of the letter fee, by message key (api/locale has them in three languages).
NOTES = {
    "note.no_letter_fee": "no per-letter fee in the tariff",
    "note.applicant_hears": "the applicant hears the neighbours: no letter fee",
    "note.letter_fee_cases": "the letter fee applies only in {cases} cases",
    "note.road_letter_free": "the road authority's letter is not charged",
}


def charged_letters(*args: Any) -> tuple[int, str]:
    """How many letters the per-letter fee applies to, and why in English (domain.md N8).

    Arguments as `charged_letters_message`.
    """
    n, message = charged_letters_message(*args)
    return n, NOTES[message["key"]].format(**message) if message else ""


def charged_letters_message(
    letter_count: int,
    road_letters: int,
    hearing_rules: HearingRules,
    fees: FeeRules,
    kinds: Iterable[str],
    heard_by: str,
) -> tuple[int, dict[str, Any] | None]:
    """How many letters the per-letter fee applies to, and why as a message (None: no note).

    The fee is charged only when the authority hears, in the case kinds the tariff names,
    and for the road authority's letter only if the tariff says so.
    """
    kinds = set(kinds)
    fee = dec(hearing_rules.fee_per_letter_eur)
    if not fee:
        return 0, {"key": "note.no_letter_fee"}
    if heard_by != "authority":
        return 0, {"key": "note.applicant_hears"}
    if not kinds & set(fees.hearing_letter_cases):
        cases = ", ".join(fees.hearing_letter_cases) or "-"
        return 0, {"key": "note.letter_fee_cases", "cases": cases}
    n = letter_count if fees.hearing_letter_road_authority else letter_count - road_letters
    free = not fees.hearing_letter_road_authority and road_letters
    return max(n, 0), {"key": "note.road_letter_free"} if free else None


def totals(
    neighbours: list[dict[str, Any]],
    rules: HearingRules,
    sent: dt.date,
    filed: dt.date,
    charged: int | None = None,
    charge_note: str = "",
) -> dict[str, Any]:
    """Summarise letters, cost and dates of a hearing.

    `neighbours` may include authority rows (relation "authority"): they get letters
    but are not neighbours. `charged` letters (all, unless given) cost the fee each.
    Letters go out on `sent`; the case was filed on `filed` (the regime its notes cite).
    """
    all_letters = letters(neighbours)
    deadline, earliest = deadlines(sent, rules)
    nominal = sent + dt.timedelta(days=rules.delivery_days + rules.period_days)
    count = len(all_letters)
    heard = [n for n in neighbours if n["relation"] != "authority"]
    unknown = sum(1 for n in heard if not n.get("owners"))
    fee = dec(rules.fee_per_letter_eur)
    n_charged = count if charged is None else charged
    notice = len(heard) > rules.public_notice_over or unknown > 0
    return {
        "neighbours": len(heard),
        "adjacent": sum(1 for n in heard if n["relation"] == "adjacent"),
        "opposite": sum(1 for n in heard if n["relation"] == "opposite"),
        "affected": sum(1 for n in heard if n["relation"] == "affected"),
        "letters": count,
        "letters_charged": n_charged,
        "fee_per_letter_eur": money(fee),
        "hearing_cost_eur": money(n_charged * fee),
        "hearing_cost_note": charge_note or None,
        "hearing_period_days": rules.period_days,
        "delivery_days": rules.delivery_days,
        "letters_sent": sent.isoformat(),
        "hearing_deadline": deadline.isoformat(),
        "deadline_moved_from": nominal.isoformat() if nominal != deadline else None,
        "deadline_rule": timelimits.ACT,
        "earliest_decision_date": earliest.isoformat(),
        "owners_unknown": unknown,
        "public_notice_allowed": notice,
        "public_notice_reason": _notice_reason(len(heard), unknown, rules, filed),
        "recipients": [
            {"recipient": lt.recipient, "kind": lt.kind, "property_ids": list(lt.property_ids)}
            for lt in all_letters
        ],
    }


def notice_message(heard: int, unknown: int, rules: HearingRules, filed: dt.date) -> dict[str, Any]:
    """Why a public notice is or is not allowed, as a message key and its fields.

    The section cited is the one of the regime of the filing date `filed`.
    """
    over, basis = rules.public_notice_over, regime.cite(filed, "public_notice")
    if unknown:
        return {"key": "notice.unknown_owners", "unknown": unknown, "basis": basis}
    if heard > over:
        return {"key": "notice.many", "heard": heard, "over": over, "basis": basis}
    return {"key": "notice.letters", "heard": heard, "over": over}


def _notice_reason(heard: int, unknown: int, rules: HearingRules, filed: dt.date) -> str:
    over, basis = rules.public_notice_over, regime.cite(filed, "public_notice")
    if unknown:
        return f"{unknown} neighbour(s) without a known owner or address: a public notice is allowed ({basis})"
    if heard > over:
        return f"{heard} neighbours, more than {over}: a public notice is allowed ({basis})"
    return f"{heard} neighbours, not more than {over}: each is heard by letter"
