"""Who gets a letter, what the hearing costs and when a decision can be made (domain.md N5-N8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from geo.rules import HearingRules

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
    """Return (hearing deadline, earliest decision date) for letters sent on `sent`."""
    deadline = sent + dt.timedelta(days=rules.delivery_days + rules.period_days)
    return deadline, deadline + dt.timedelta(days=1)


def totals(neighbours: list[dict[str, Any]], rules: HearingRules, sent: dt.date) -> dict[str, Any]:
    """Summarise letters, cost and dates of a hearing."""
    all_letters = letters(neighbours)
    deadline, earliest = deadlines(sent, rules)
    count = len(all_letters)
    unknown = sum(1 for n in neighbours if not n.get("owners"))
    return {
        "neighbours": len(neighbours),
        "adjacent": sum(1 for n in neighbours if n["relation"] == "adjacent"),
        "opposite": sum(1 for n in neighbours if n["relation"] == "opposite"),
        "letters": count,
        "fee_per_letter_eur": rules.fee_per_letter_eur,
        "hearing_cost_eur": round(count * rules.fee_per_letter_eur, 2),
        "hearing_period_days": rules.period_days,
        "delivery_days": rules.delivery_days,
        "letters_sent": sent.isoformat(),
        "hearing_deadline": deadline.isoformat(),
        "earliest_decision_date": earliest.isoformat(),
        "owners_unknown": unknown,
        "public_notice_allowed": count > rules.public_notice_over or unknown > 0,
        "recipients": [
            {"recipient": lt.recipient, "kind": lt.kind, "property_ids": list(lt.property_ids)}
            for lt in all_letters
        ],
    }
