"""The states of an application and who may move it from one to the next.

draft → submitted → in_review → hearing → decided → legally_valid → started → completed,
plus withdrawn, refused (a refusing decision), expired (the permit lapsed) and appealed (a
rectification claim or an appeal against the decision is pending: it becomes legally valid
when that is settled, or a new decision is given). The applicant hands the case in or takes
it back; the authority does everything else.
Dig and area-use permits keep their own works lifecycle (geo.excavation.lifecycle); their
application state follows it.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from geo.errors import Conflict, InvalidInput

State = Literal[
    "draft",
    "submitted",
    "in_review",
    "hearing",
    "decided",
    "appealed",
    "legally_valid",
    "started",
    "completed",
    "withdrawn",
    "refused",
    "expired",
]
STATES: tuple[State, ...] = get_args(State)
Kind = Literal[
    "building_permit", "deviation", "planning_need", "minor_deviation", "excavation", "area_use"
]
KINDS: tuple[Kind, ...] = get_args(Kind)
WORKS_KINDS = frozenset({"excavation", "area_use"})  # dig and area-use permits
# the states in which the parties add attachments and invite parties (the case is not decided)
ATTACHABLE_STATES = frozenset({"draft", "submitted", "in_review", "hearing"})
Actor = Literal["applicant", "authority"]

# (from, to) -> who may take the step. Deciding is the authority's only (the officer decides).
MOVES: dict[tuple[str, str], Actor] = {
    ("draft", "submitted"): "applicant",
    ("submitted", "draft"): "applicant",  # taken back before anyone started on it
    ("submitted", "in_review"): "authority",
    ("submitted", "hearing"): "authority",
    ("in_review", "hearing"): "authority",
    ("submitted", "decided"): "authority",
    ("in_review", "decided"): "authority",
    ("hearing", "decided"): "authority",
    ("submitted", "refused"): "authority",
    ("in_review", "refused"): "authority",
    ("hearing", "refused"): "authority",
    ("decided", "legally_valid"): "authority",
    # a rectification claim or an appeal, lodged within the period, keeps the decision from
    # becoming legally valid on its day; when it is settled: legally valid from the day it
    # became final, or a new decision (rectified, or given again after the court returned it)
    ("decided", "appealed"): "authority",
    ("refused", "appealed"): "authority",  # the applicant appeals a refusal
    # lodged in time but reaching the office after it recorded the case legally valid
    ("legally_valid", "appealed"): "authority",
    ("appealed", "legally_valid"): "authority",  # a granting decision's appeal rejected
    ("appealed", "decided"): "authority",
    ("appealed", "refused"): "authority",
    ("legally_valid", "started"): "applicant",  # the start notice (aloitusilmoitus)
    ("started", "completed"): "authority",  # the final inspection
    ("legally_valid", "completed"): "authority",  # a deviation's building permit was applied for
    ("legally_valid", "expired"): "authority",
    ("started", "expired"): "authority",
    **{(s, "withdrawn"): "applicant" for s in ("draft", "submitted", "in_review", "hearing")},
}
# The authority may also take the applicant's later steps (e.g. record a start notice on paper).
AUTHORITY_MAY_ALSO = frozenset({"started"})
EDITABLE = frozenset({"draft"})  # the applicant's contents change only while a draft
DECISIONS = frozenset({"decided", "refused"})


def check_state(state: str) -> State:
    """Refuse an unknown state, naming the known ones."""
    if state not in STATES:
        raise InvalidInput(f"unknown state {state!r}; states: {', '.join(STATES)}", state=state)
    return state


def check_kind(kind: str) -> str:
    """Refuse an unknown application kind, naming the known ones."""
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}", kind=kind)
    return kind


def said_state(state: str) -> dict[str, Any]:
    """A state's name as a catalogue message (api/locale `state.*`); another word as it is."""
    return {"key": f"state.{state}"} if state in STATES else {"by_lang": {}, "else": state}


def who_moves(current: str, new: str) -> Actor:
    """Who may move an application from `current` to `new`; 409 when there is no such step."""
    check_state(new)
    actor = MOVES.get((current, new))
    if actor is None:
        nexts = sorted(t for (f, t) in MOVES if f == current)
        said: dict[str, Any] = {
            "key": "error.no_step" if nexts else "error.no_step.final",
            "from_state": said_state(current),
            "to_state": said_state(new),
        }
        if nexts:
            said["next"] = [said_state(t) for t in nexts]
        raise Conflict(
            f"an application that is {current!r} cannot become {new!r}"
            + (f"; from {current!r}: {', '.join(nexts)}" if nexts else f"; {current!r} is final"),
            i18n=said,
            state=current,
            requested=new,
        )
    return actor


def next_states(current: str) -> list[str]:
    """The states an application can move to from `current`."""
    return [t for (f, t) in MOVES if f == current]


PERMIT_KINDS = frozenset({"building_permit", "minor_deviation"})  # work is started and finished
DECISION_KINDS = frozenset({"deviation", "planning_need"})  # a decision a building permit uses


def outcome_allows(outcome: str | None, current: str, new: str) -> bool:
    """Whether a step fits the decision: a refusal under appeal never becomes legally valid.

    (Its appeal ends in a new decision, or in the refusal standing: `refused`.)
    """
    return not (current == "appealed" and new == "legally_valid" and outcome != "granted")


def kind_allows(kind: str, current: str, new: str) -> bool:
    """Whether a step fits the kind: only permits are started; a deviation ends as completed."""
    if new == "started":
        return kind in PERMIT_KINDS
    if (current, new) == ("legally_valid", "completed"):
        return kind in DECISION_KINDS
    return True
