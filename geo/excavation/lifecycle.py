"""The life of a stored dig permit: its states, and the inspections and guarantee that follow."""

from __future__ import annotations

import datetime as dt

from geo import timelimits
from geo.cases import free_text
from geo.errors import Conflict, InvalidInput
from geo.rules import ExcavationRules

STATES = (
    "draft",
    "submitted",
    "approved",
    "refused",
    "started",
    "finished",
    "accepted",
    "guarantee_ended",
    "withdrawn",
)
# An application can be withdrawn until the work starts; the officer grants it (on its
# conditions) or refuses it (with the reason), and a refusal ends it.
NEXT_STATES = {
    "draft": ("submitted", "withdrawn"),
    "submitted": ("approved", "refused", "draft", "withdrawn"),
    "approved": ("started", "withdrawn"),
    "started": ("finished",),
    "finished": ("accepted",),
    "accepted": ("guarantee_ended",),
    "guarantee_ended": (),
    "refused": (),
    "withdrawn": (),
}


def decision(
    new: str, conditions: list[str] | None, reason: str | None
) -> tuple[list[str] | None, str | None]:
    """The conditions and the reason a step records: trimmed, blank ones dropped.

    Conditions go with an approval only. Any step may say why (the timeline keeps it); a
    refusal must (the Administrative Procedure Act, 45 §, wants a decision's reasons).
    None: nothing to record.
    """
    kept = [c.strip() for c in conditions if c.strip()] if conditions is not None else None
    why = free_text(reason)
    if kept is not None and new != "approved":
        raise InvalidInput(
            f"conditions go with an approval, not with the step to {new!r}",
            i18n={"key": "error.dig_conditions_step"},
        )
    if new == "refused" and why is None:
        raise InvalidInput(
            "a refusal needs its reason (reason)", i18n={"key": "error.dig_refusal_reason"}
        )
    return kept, why


def transition(state: str, new: str) -> None:
    """Refuse a lifecycle step the current state does not allow."""
    if new not in STATES:
        raise InvalidInput(f"unknown state {new!r}; states: {', '.join(STATES)}")
    if new not in NEXT_STATES[state]:
        allowed = ", ".join(NEXT_STATES[state]) or "none"
        raise Conflict(f"a permit in state {state!r} cannot become {new!r}; next: {allowed}")


def guarantee_end(accepted: dt.date, rules: ExcavationRules) -> dt.date:
    """The day the guarantee period ends (the rule file's years after acceptance)."""
    return timelimits.add_years(accepted, rules.guarantee_years)


def inspections(
    start: dt.date, end: dt.date, accepted: dt.date | None, rules: ExcavationRules
) -> list[dict[str, str]]:
    """Inspection dates: before the work, at completion, and before the guarantee ends."""
    out = [  # the inspections before a day: on the last working day before it
        {"kind": "before_work", "date": timelimits.working_day_before(start).isoformat()},
        # at completion: the end day, or the next working day when it is a day off
        {"kind": "completion", "date": timelimits.last_day(end).isoformat()},
    ]
    if accepted:
        ends = guarantee_end(accepted, rules)
        before = timelimits.working_day_before(
            ends - dt.timedelta(days=rules.guarantee_inspection_days - 1)
        )
        out.append({"kind": "guarantee", "date": before.isoformat()})
    return out


# Steps that happen on the site: not before the permit's period starts (an emergency dig
# may start before its application is even made).
ON_SITE = ("started", "finished", "accepted")


def check_step_date(
    new: str,
    day: dt.date,
    *,
    starts_on: dt.date,
    last_step_on: dt.date | None,
    guarantee_ends: dt.date | None,
    emergency: bool,
) -> None:
    """Refuse a lifecycle step dated before the step it follows, the work, or the guarantee's end."""
    if last_step_on is not None and day < last_step_on:
        raise InvalidInput(
            f"the step to {new!r} is dated {day}, before the previous step ({last_step_on})",
            date=day.isoformat(),
        )
    if new in ON_SITE and day < starts_on and not (emergency and new == "started"):
        raise InvalidInput(
            f"the work cannot be {new!r} on {day}: the permit's period starts on {starts_on}",
            date=day.isoformat(),
        )
    if new == "guarantee_ended" and guarantee_ends is not None and day < guarantee_ends:
        raise InvalidInput(
            f"the guarantee cannot end on {day}: it runs until {guarantee_ends}",
            date=day.isoformat(),
        )
