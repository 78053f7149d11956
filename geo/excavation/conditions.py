"""The conditions a dig or area-use permit is usually granted on, from its check.

What the officer starts from (domain.md K4, K6, K7): the cables are located before digging,
the work is inspected and guaranteed, and what the findings ask (the traffic plan of a phase
on the carriageway, the frontage and opposite parking, the owners' consent, the works
nearby). Each is a catalogue key with its fields; the officer edits the text before approving.
"""

from __future__ import annotations

from typing import Any

from geo.excavation.dig import Phase
from geo.rules import ExcavationRules

# A finding's code (and side) and the condition that answers it, in the order they are given.
_FROM_FINDINGS = (
    ("on_private_land", None, "dig_condition.consent"),
    ("access_affected", None, "dig_condition.access"),
    ("access_affected", "opposite", "dig_condition.opposite_parking"),
    ("clash", None, "dig_condition.coordinate"),
)


def _phases_of(findings: list[dict[str, Any]], code: str, side: str | None) -> list[int]:
    return sorted(
        {int(f["phase"]) for f in findings if f["code"] == code and f.get("side") == side}
    )


def _which(ns: list[int], phases: list[Phase]) -> dict[str, Any] | None:
    """Which phases a condition is about: None when the permit has one phase only."""
    if len(phases) < 2:
        return None
    key = "dig_condition.phase" if len(ns) == 1 else "dig_condition.phases"
    return {"key": key, "phases": ", ".join(str(n) for n in ns)}


Said = tuple[dict[str, Any], dict[str, Any] | None]  # a condition and which phases it is about


def standard(
    phases: list[Phase], findings: list[dict[str, Any]], rules: ExcavationRules
) -> list[Said]:
    """The usual conditions for these phases and findings: catalogue keys with their fields."""
    out: list[Said] = [({"key": "dig_condition.cables"}, None)]
    planned = [p for p in phases if p.on_carriageway and p.traffic_plan]
    out += [
        ({"key": "dig_condition.traffic_plan", "plan": p.traffic_plan}, _which([p.n], phases))
        for p in planned
    ]
    for code, side, key in _FROM_FINDINGS:
        ns = _phases_of(findings, code, side)
        if ns:
            out.append(({"key": key}, _which(ns, phases)))
    out.append(({"key": "dig_condition.inspections", "years": rules.guarantee_years}, None))
    return out
