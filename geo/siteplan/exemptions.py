"""Statutory exceptions to the shore flag and the planning-need flag, from the rule file.

The shore flag's exceptions come from MRL/AKL 72 § 3 mom, the planning-need flag's from
MRL 137 § 2 mom / RakL 46 § 2 mom; each entry carries its source.

A flag is not raised when every planned building falls under an exception; either
way the answer says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geo.regime import Regime
from geo.rules import Exemption
from geo.siteplan.model import Building


@dataclass
class Covered:
    """Which planned buildings an exception table covers."""

    by: dict[int, str] = field(default_factory=dict)  # building -> exemption key
    not_covered: list[int] = field(default_factory=list)

    @property
    def all(self) -> bool:
        """Every planned building is covered (and there is at least one)."""
        return bool(self.by) and not self.not_covered


def _covers(e: Exemption, b: Building, existing_dwelling: bool) -> bool:
    if b.use not in e.uses or (e.existing_dwelling and not existing_dwelling):
        return False
    return not e.max_floor_area_m2 or b.floor_area_m2 <= e.max_floor_area_m2


def covered(
    table: dict[str, Exemption], buildings: list[Building], existing_dwelling: bool
) -> Covered:
    """Match each planned building with the first exception that covers it."""
    out = Covered()
    for i, b in enumerate(buildings):
        key = next((k for k, e in table.items() if _covers(e, b, existing_dwelling)), None)
        if key is None:
            out.not_covered.append(i)
        else:
            out.by[i] = key
    return out


def basis(e: Exemption, regime: Regime) -> str:
    """The exception's legal basis in the regime in force."""
    return e.legal_basis_mrl if regime.code == "MRL" else e.legal_basis_rakl


def _why(
    c: Covered, table: dict[str, Exemption], buildings: list[Building], existing_dwelling: bool
) -> list[tuple[str, dict[str, Any]]]:
    """(English text, message) of each reason the exceptions do not lift a flag."""
    if not buildings:
        text = "no planned buildings given: the exceptions are judged per building"
        return [(text, {"key": "why.no_buildings"})]
    if not table:
        return [("the rule file lists no exceptions", {"key": "why.no_table"})]
    uses = sorted({u for e in table.values() for u in e.uses})
    parts = []
    for i in c.not_covered:
        b, n = buildings[i], i + 1  # numbered from 1 in texts
        use = {"key": f"use.{b.use}"}
        if b.use in uses and not existing_dwelling:
            text = f"building {n} ({b.use}): the site has no existing dwelling"
            parts.append((text, {"key": "why.no_dwelling", "n": n, "use": use}))
        else:
            text = f"building {n} ({b.use}, {b.floor_area_m2:g} m²) is not an exception"
            message = {"key": "why.not_exception", "n": n, "use": use, "m2": b.floor_area_m2}
            parts.append((text, message))
    return parts


def why_not_exempt(
    c: Covered, table: dict[str, Exemption], buildings: list[Building], existing_dwelling: bool
) -> str:
    """Why the exceptions do not lift a flag, in words."""
    return "; ".join(text for text, _ in _why(c, table, buildings, existing_dwelling))


def why_messages(
    c: Covered, table: dict[str, Exemption], buildings: list[Building], existing_dwelling: bool
) -> list[dict[str, Any]]:
    """Why the exceptions do not lift a flag, as catalogue messages."""
    return [message for _, message in _why(c, table, buildings, existing_dwelling)]


def lifted(
    code: str,
    c: Covered,
    table: dict[str, Exemption],
    regime: Regime,
    reason: str,
    reason_i18n: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The record of a flag that an exception lifted: which, on what basis, and why."""
    keys = sorted(set(c.by.values()))
    return {
        "code": code,
        "raised": False,
        "exemption": ", ".join(keys),
        "legal_basis": "; ".join(basis(table[k], regime) for k in keys),
        "source": "; ".join(table[k].source for k in keys),
        "buildings": sorted(c.by),
        "reason": reason,
        "i18n_reason": reason_i18n or {"key": f"lifted.{code}"},
    }
