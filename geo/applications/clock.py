"""The decision clock (domain.md §6): from the posting of a decision to its legal validity.

And how long a granted permit or decision then stays usable.

A decision is given after its posting (julkipano) and is deemed known to the parties on that
day (MRL 142 § / RakL 67 §), so the periods run from the posting date. An inspector's
(office-holder's) decision first goes to a rectification claim (14 days, MRL 187 § /
Hallintolaki 49 c §); a board's decision is appealed to the administrative court (30 days,
808/2019 13 §). The last day of a period that falls on a day off moves to the next working
day (Act 150/1930 5 §); the decision is legally valid on the day after, unless a claim or
an appeal was made: then on the day the officer records it became final (`validity` runs the
limits from that day). A building permit must be started within 3 years and finished within 5
of becoming final; a deviation or planning-need decision lapses unless the building permit
is applied for within 2 years.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from geo import timelimits
from geo.errors import InvalidInput
from geo.rules import DecisionRules, Ruleset

PERMIT_KINDS = frozenset({"building_permit", "minor_deviation"})  # start-by and finish-by
DECISION_KINDS = frozenset({"deviation", "planning_need"})  # valid-until (apply within)


@dataclass(frozen=True, slots=True)
class Clock:
    """The dates of a decision: its appeal period, legal validity and validity windows."""

    appeal_kind: str  # "rectification" (an inspector decided) or "appeal" (a board)
    runs_from: dt.date  # the day the appeal period runs from: posted, or deemed received
    appeal_days: int
    appeal_ends_on: dt.date
    appeal_moved_from: dt.date | None
    legally_valid_on: dt.date
    start_by: dt.date | None
    finish_by: dt.date | None
    valid_until: dt.date | None


def decision_clock(
    kind: str,
    outcome: str,
    decided_by: str,
    decided_on: dt.date,
    posted_on: dt.date,
    rules: DecisionRules,
) -> Clock:
    """The clock of a decision, by the rules of the regime the case was filed under."""
    if posted_on < decided_on:
        raise InvalidInput(
            f"posted_on {posted_on} is before the decision ({decided_on})",
            i18n={
                "key": "error.posted_before_decision",
                "posted_on": posted_on,
                "decided_on": decided_on,
            },
        )
    inspector = decided_by == "inspector"
    days = rules.rectification_days if inspector else rules.appeal_days
    nominal = posted_on + dt.timedelta(days=days)
    ends = timelimits.last_day(nominal)
    valid = ends + dt.timedelta(days=1)
    return Clock(
        appeal_kind="rectification" if inspector else "appeal",
        runs_from=posted_on,
        appeal_days=days,
        appeal_ends_on=ends,
        appeal_moved_from=nominal if nominal != ends else None,
        legally_valid_on=valid,
        **dataclasses.asdict(validity(kind, outcome, valid, rules)),
    )


NOTICE_METHODS = ("letter", "electronic")  # how a decision is sent to its applicant


def received_on(sent_on: dt.date, method: str, rules: Ruleset) -> dt.date:
    """The day a decision sent on `sent_on` is deemed received, by the rule file.

    A letter on the day a hearing letter is (`hearing.delivery_days`: the 7th, Hallintolaki
    59 §), an electronic message on `decisions.electronic_received_days` (the 3rd, 13/2003 19 §).
    """
    if method not in NOTICE_METHODS:
        raise ValueError(f"a decision is sent by {' or '.join(NOTICE_METHODS)}, not {method!r}")
    letter = method == "letter"
    days = rules.hearing.delivery_days if letter else rules.decisions.electronic_received_days
    return sent_on + dt.timedelta(days=days)


def notice_clock(
    kind: str, decided_on: dt.date, sent_on: dt.date, method: str, rules: Ruleset
) -> Clock:
    """The clock of an officer's decision sent to its applicant (a dig permit's).

    Nothing is posted: the rectification claim's days run from the day the decision is deemed
    received (`received_on`). Such a decision has no validity windows of a building permit's
    (`kind` is none of them). It cannot be sent before it was made.
    """
    if kind in PERMIT_KINDS | DECISION_KINDS:
        raise ValueError(f"a {kind} decision is posted (decision_clock), not sent")
    if sent_on < decided_on:
        raise InvalidInput(
            f"the decision was sent ({sent_on}) before it was made ({decided_on})",
            i18n={
                "key": "error.sent_before_decision",
                "sent_on": sent_on,
                "decided_on": decided_on,
            },
        )
    received = received_on(sent_on, method, rules)
    return decision_clock(kind, "granted", "inspector", decided_on, received, rules.decisions)


@dataclass(frozen=True, slots=True)
class Validity:
    """How long a decision legally valid from a day stays usable (None: not that kind's)."""

    start_by: dt.date | None
    finish_by: dt.date | None
    valid_until: dt.date | None


def validity(kind: str, outcome: str, valid: dt.date, rules: DecisionRules) -> Validity:
    """The limits of a decision legally valid from `valid`: on its own day, or after an appeal.

    A permit is started and finished, a deviation or planning-need decision used, within the
    rule file's years of the day it became legally valid; a refusal has none.
    """
    granted = outcome == "granted"
    permit = granted and kind in PERMIT_KINDS
    decision = granted and kind in DECISION_KINDS
    valid_years = (
        rules.deviation_valid_years if kind == "deviation" else rules.planning_need_valid_years
    )
    return Validity(
        # time limits too (Act 150/1930 5 §): one ending on a day off moves to the next working day
        start_by=_limit(valid, rules.permit_start_years) if permit else None,
        finish_by=_limit(valid, rules.permit_finish_years) if permit else None,
        valid_until=_limit(valid, valid_years) if decision else None,
    )


def _limit(valid: dt.date, years: int) -> dt.date:
    """The last day of a limit of `years` from `valid` (29.2: 28.2), off a weekend or holiday."""
    return timelimits.last_day(timelimits.add_years(valid, years))


# the states in which a case still runs towards a deadline (`open_deadlines`); the worklist
# lists them first (api/services/case_view.py)
DEADLINE_STATES = (
    "submitted",
    "in_review",
    "hearing",
    "decided",
    "appealed",  # open: no date runs while the appeal is pending, but the case is not done
    "refused",
    "legally_valid",
    "started",
)
# a dig or area-use permit's refusal ends it: no appeal period runs in Rajapiste (see README)
WORKS_DONE_STATES = ("refused",)


def open_deadlines(
    state: str, hearing_deadline: dt.date | None, dates: dict[str, dt.date | None]
) -> list[tuple[str, dt.date]]:
    """The deadlines a case in `state` still runs towards, nearest first.

    `dates` are the decision's (appeal_kind, appeal_ends_on, legally_valid_on, start_by,
    finish_by, valid_until; missing before a decision).
    """
    out: list[tuple[str, Any]] = []
    if state in ("submitted", "in_review", "hearing"):
        out.append(("hearing_deadline", hearing_deadline))
    if state in ("decided", "refused"):
        out.append(
            (f"{dates.get('appeal_kind') or 'appeal'}_period_ends", dates.get("appeal_ends_on"))
        )
    if state == "decided":
        out.append(("legally_valid", dates.get("legally_valid_on")))
    if state == "legally_valid":
        out += [("start_by", dates.get("start_by")), ("valid_until", dates.get("valid_until"))]
    if state == "started":
        out.append(("finish_by", dates.get("finish_by")))
    return sorted(((w, d) for w, d in out if d is not None), key=lambda x: x[1])
