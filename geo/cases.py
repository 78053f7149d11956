"""Case kinds: which hearing a case needs and which decisions the site analysis adds to it.

A building permit is heard under MRL 133 § / RakL 63 § (adjacent and opposite
neighbours). Deviation and planning-need (siting) cases are heard under MRL 173 §
and MRA 86 § / RakL 64 §: also those whose living or work the decision may
substantially affect, within the rule file's radius. A minor deviation is granted
with the building permit (MRL 175 § / RakL 59 §) and heard like it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from geo.errors import InvalidInput
from geo.regime import Regime

Kind = Literal["building_permit", "deviation", "planning_need", "minor_deviation"]
KINDS: tuple[Kind, ...] = ("building_permit", "deviation", "planning_need", "minor_deviation")
WIDE_CIRCLE: frozenset[str] = frozenset({"deviation", "planning_need"})
DECIDERS = ("board", "inspector")
OUTCOMES = ("granted", "refused")
HEARERS = ("authority", "applicant")

# Flags that need a deviation decision (poikkeamispäätös) whatever their decision text says.
DEVIATION_FLAGS = frozenset({"shore_zone_without_shore_plan", "site_area_below_minimum"})


def free_text(s: str | None) -> str | None:
    """A free text (a decision's reasons, a step's reason) as kept: trimmed, None when blank."""
    return s.strip() if s and s.strip() else None


def check_kind(kind: str) -> Kind:
    """Refuse an unknown case kind, naming the known ones."""
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}", kind=kind)
    return kind


def hearing_basis(kind: str, regime: Regime) -> str:
    """The hearing's legal basis for a case kind in a regime."""
    key = "deviation_hearing" if kind in WIDE_CIRCLE else "neighbour_hearing"
    return regime.citations[key]


def decisions_needed(kind: str, flags: Iterable[dict[str, Any]]) -> set[str]:
    """The decisions a case needs: its own kind, and what the analysis flags add to it."""
    flags = list(flags)
    codes = {f["code"] for f in flags}
    needed = {kind} - {"building_permit"}
    if codes & DEVIATION_FLAGS or any(f.get("decision") == "poikkeamispäätös" for f in flags):
        needed.add("deviation")
    if "planning_need_area" in codes:
        needed.add("planning_need")
    if "minor_deviation_possible" in codes:
        needed.add("minor_deviation")
    return needed


def hearing_kind(kind: str, needed: set[str]) -> str:
    """The case kind whose hearing applies: a needed deviation or planning need widens it."""
    for k in ("deviation", "planning_need"):
        if k == kind or k in needed:
            return k
    return kind


@dataclass(frozen=True)
class Hearing:
    """Whose hearing and how: the case kind (circle, citation), who hears, when letters go out.

    `fee_kinds` are the case kinds the per-letter fee is judged by (default: the kind itself;
    a site analysis adds the decisions its flags need).
    """

    kind: str = "building_permit"
    heard_by: str = "authority"
    sent: dt.date | None = None
    fee_kinds: frozenset[str] = frozenset()

    def kinds(self) -> set[str]:
        """The case kinds the per-letter fee is judged by."""
        return {self.kind, *self.fee_kinds}
