"""Moving an application through its states, the decision and its clock, the timeline, reminders.

Only the allowed role takes each step (geo.applications.states: the officer decides); every
step names the version it was taken on, so of two officers acting at once one succeeds and
the other gets 409 with nothing written. A granting decision waits for a complete hearing
and for every running hearing period; its clock (appeal period, legally valid, start by,
finish by, valid until) comes from the rule file of the filing date (the regime in force).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from api import finland, i18n, rulesets
from api.schemas.applications import (
    Application,
    Deadline,
    Decision,
    Event,
    Reminder,
    Reminders,
    Timeline,
)
from api.schemas.requests import ApplicationStateIn
from api.services import applications, case_hearing, case_view, cases, policy
from api.services.policy import User
from api.settings import Settings
from api.storage import models as m
from geo import timelimits
from geo.applications import clock, states
from geo.applications import hearing as hr
from geo.cases import free_text
from geo.errors import Conflict, InvalidInput


def _appeal_kind(kind: str) -> dict[str, str]:
    """A claim's or an appeal's name as a catalogue message (`appeal_kind.*`)."""
    return {"key": f"appeal_kind.{kind}"}


def _after_appeal(appealed: Decision | None, on: dt.date, key: str, **fields: Any) -> None:
    """Refuse what settles a pending claim or appeal `on` a day before it was lodged (409).

    `key` is the refusal's text; `fields` its own besides the kind and the day of lodging.
    """
    if appealed and appealed.appealed_on and on < appealed.appealed_on:
        raise i18n.error(
            Conflict,
            key,
            {"appealed_on": appealed.appealed_on.isoformat()},
            kind=_appeal_kind(appealed.appeal_kind),
            appealed_on=appealed.appealed_on,
            **fields,
        )


def _hearing_done(conn: Connection, r: dict[str, Any], day: dt.date) -> list[dict[str, Any]]:
    """Refuse to grant before every addressee is heard and every period has run (N7).

    Returns the addressees' rows.
    """
    rs = case_hearing.rows(conn, r["id"])
    earliest = hr.earliest_decision((x["status"], x["deadline"]) for x in rs)
    waiting = [x for x in rs if not hr.is_heard(x["status"], x["deadline"], day, x["status_on"])]
    if waiting:
        # every one waited for has a period running: the day it may be decided is known
        running = all(x["status"] in hr.STARTS_PERIOD and x["deadline"] for x in waiting)
        until = {"earliest_decision_date": earliest.isoformat()} if running and earliest else {}
        raise i18n.error(
            Conflict,
            "error.hearing_incomplete_until" if until else "error.hearing_incomplete",
            {"addressees": [x["n"] for x in waiting], **until},
            id=str(r["id"]),
            n=len(waiting),
            earliest=earliest,
        )
    if earliest and day < earliest:
        raise i18n.error(
            Conflict,
            "error.hearing_period_running",
            {"earliest_decision_date": earliest.isoformat()},
            earliest=earliest,
        )
    return rs


def _decide(
    conn: Connection,
    settings: Settings,
    r: dict[str, Any],
    body: ApplicationStateIn,
    who: User,
    appealed: Decision | None,
) -> str:
    """Record the decision and its clock; return the state it leads to (decided or refused).

    `appealed`: the decision under appeal that this one replaces (None: no appeal pending).
    """
    d = body.decision
    if d is None:
        raise i18n.error(InvalidInput, "error.decision_missing")
    if body.state == "refused" and d.outcome != "refused":
        raise i18n.error(InvalidInput, "error.refused_needs_refusal")
    # a refusal's reasons; a client that gave them as the step's `reason` (the timeline's) is
    # understood too
    reasons = free_text(d.reasons) or (free_text(body.reason) if d.outcome == "refused" else None)
    if d.outcome == "refused" and reasons is None:
        raise i18n.error(InvalidInput, "error.refusal_reasons", {"field": "decision.reasons"})
    if d.decided_on < r["filed_on"]:
        raise i18n.error(
            InvalidInput,
            "error.decided_before_filing",
            {"field": "decision.decided_on"},  # the request's member at fault
            decided_on=d.decided_on,
            filed_on=r["filed_on"],
        )
    timelimits.check_happened(
        d.decided_on,
        finland.today(),
        "the decision (decided_on)",
        {"key": "happened.decision"},
    )
    # a new decision settles the claim or appeal: the one under appeal is not entered again
    _after_appeal(appealed, d.decided_on, "error.decision_before_appeal", decided_on=d.decided_on)
    if d.outcome == "granted":
        remarked = hr.remarked((x["n"], x["status"]) for x in _hearing_done(conn, r, d.decided_on))
        if remarked and reasons is None:  # granted over remarks made in the hearing (HL 45 §)
            raise i18n.error(
                InvalidInput,
                "error.grant_reasons",
                {"field": "decision.reasons", "addressees": remarked},
                n=len(remarked),
            )
    posted = d.posted_on or d.decided_on
    c = clock.decision_clock(
        r["kind"],
        d.outcome,
        d.decided_by,
        d.decided_on,
        posted,
        cases.rules_of(settings, r).decisions,
    )
    values = {
        k: v
        for k, v in dataclasses.asdict(c).items()
        if k not in ("appeal_moved_from", "runs_from")
    }
    conn.execute(
        delete(m.application_decision).where(m.application_decision.c.application_id == r["id"])
    )
    conn.execute(
        insert(m.application_decision).values(
            application_id=r["id"],
            outcome=d.outcome,
            decided_by=d.decided_by,
            decided_on=d.decided_on,
            posted_on=posted,
            conditions=d.conditions,
            reasons=reasons,
            recorded_by=who.id,
            **values,
        )
    )
    return "decided" if d.outcome == "granted" else "refused"


def _check_clock(r: dict[str, Any], new: str, day: dt.date, d: Any) -> None:
    """Refuse a step the decision's clock does not allow on `day`."""
    if not states.outcome_allows(d.outcome, r["state"], new):
        raise i18n.error(Conflict, "error.refusal_not_valid")
    if new == "started" and day < d.legally_valid_on:
        raise i18n.error(
            Conflict,
            "error.started_before_valid",
            {"legally_valid_on": d.legally_valid_on.isoformat()},
            valid_on=d.legally_valid_on,
            day=day,
        )
    if new == "legally_valid" and day < d.legally_valid_on:
        raise i18n.error(
            Conflict,
            "error.not_yet_valid",
            {"legally_valid_on": d.legally_valid_on.isoformat()},
            valid_on=d.legally_valid_on,
            kind=_appeal_kind(d.appeal_kind),
            ends_on=d.appeal_ends_on,
        )
    if new == "started" and d.start_by and day > d.start_by:
        raise i18n.error(Conflict, "error.lapsed", start_by=d.start_by)
    if new == "expired":
        limit = d.finish_by if r["state"] == "started" else (d.start_by or d.valid_until)
        if limit is None:
            raise i18n.error(Conflict, "error.not_expired.no_limit")
        if day <= limit:
            raise i18n.error(Conflict, "error.not_expired", limit=limit)


def _appealed(conn: Connection, r: dict[str, Any], day: dt.date, d: Any) -> None:
    """Record a claim or an appeal lodged on `day`: only within its period (409 otherwise)."""
    if not d.posted_on <= day <= d.appeal_ends_on:
        raise i18n.error(
            Conflict,
            "error.appeal_out_of_period",
            {"appeal_ends_on": d.appeal_ends_on.isoformat()},
            kind=_appeal_kind(d.appeal_kind),
            posted_on=d.posted_on,
            ends_on=d.appeal_ends_on,
            day=day,
        )
    _set_decision(conn, r["id"], appealed_on=day)


def _valid_after_appeal(
    conn: Connection,
    settings: Settings,
    r: dict[str, Any],
    day: dt.date,
    d: Any,
    ruling: dict[str, Any],
) -> None:
    """The decision became legally valid on `day`, its appeal settled: its limits run from it."""
    rules = cases.rules_of(settings, r).decisions
    limits = clock.validity(r["kind"], d.outcome, day, rules)
    _set_decision(
        conn,
        r["id"],
        legally_valid_on=day,
        valid_after_appeal=True,
        **dataclasses.asdict(limits),
        **ruling,
    )


def _appeal_ended(
    conn: Connection,
    r: dict[str, Any],
    ruling: dict[str, Any],
    appealed: Decision | None,
    why: str | None,
) -> str:
    """The appeal ended the case without a new decision: a refusal stands, or the permit is annulled.

    An annulled permit's decision becomes a refusal with no limits (what it was, reasons and
    conditions too, is kept on the timeline: the step's `replaced`); the grant's reasons are not
    the refusal's: the step's `reason` (why it was annulled) takes their place. A refusal that
    stands keeps its own.
    """
    annulled = appealed is not None and appealed.outcome == "granted"
    reasons = {"reasons": why} if annulled else {}
    _set_decision(
        conn,
        r["id"],
        outcome="refused",
        start_by=None,
        finish_by=None,
        valid_until=None,
        **reasons,
        **ruling,
    )
    return "refused"


def _appeal_detail(prior: Any, body: ApplicationStateIn, ruling: dict[str, Any]) -> dict[str, Any]:
    """What a step out of an appeal leaves on the timeline (no personal data).

    The decision under appeal that it replaces, and the ruling that settled the appeal (as
    `_ruling` checked it and the decision stores it).
    """
    out: dict[str, Any] = {}
    if prior is not None and body.state in states.DECISIONS:
        keys = ("outcome", "decided_by", "decided_on", "posted_on", "appealed_on")
        replaced: dict[str, Any] = {k: str(v) for k in keys if (v := getattr(prior, k)) is not None}
        # what it said, too: its reasons and conditions are gone from the decision once
        # replaced (a refusal annulling a grant has the annulment's reasons)
        if prior.reasons:
            replaced["reasons"] = prior.reasons
        if prior.conditions:
            replaced["conditions"] = list(prior.conditions)
        out["replaced"] = replaced
    if ruling.get("ruling_by"):
        out["ruling"] = {
            "by": ruling["ruling_by"],
            "ruled_on": str(ruling["ruling_on"]),
            "reference": ruling["ruling_reference"],
        }
    return out


SETTLING = frozenset({"legally_valid", "decided", "refused"})  # the steps that end an appeal


def _wrong_ruling_step(current: str, new: str) -> InvalidInput:
    """A ruling sent with a step that does not end an appeal (422)."""
    return i18n.error(
        InvalidInput,
        "error.ruling_wrong_step",
        {"state": current, "requested": new},
        from_state=states.said_state(current),
        to_state=states.said_state(new),
    )


def _ruling(
    r: dict[str, Any], body: ApplicationStateIn, appealed: Decision | None, day: dt.date
) -> dict[str, Any]:
    """The ruling that settled the appeal as the decision's columns, checked; {} without one.

    It is recorded with the step that ends the appeal, on or after the day the appeal was
    lodged and on or before what it settles (the step's `day`, or the new decision's).
    """
    g = body.ruling
    if g is None:  # settled with no ruling given: one of an earlier appeal does not stay
        ends = r["state"] == "appealed" and body.state in SETTLING
        return dict.fromkeys(("ruling_by", "ruling_on", "ruling_reference")) if ends else {}
    if r["state"] != "appealed" or body.state not in SETTLING:
        raise _wrong_ruling_step(r["state"], body.state)
    by = cases.one_line(g.by)
    if by is None:
        raise i18n.error(InvalidInput, "error.ruling_by_blank")
    timelimits.check_happened(
        g.ruled_on, finland.today(), "the ruling (ruling.ruled_on)", {"key": "happened.ruling"}
    )
    _after_appeal(appealed, g.ruled_on, "error.ruling_before_appeal", ruled_on=g.ruled_on)
    decided = body.decision if body.state in states.DECISIONS else None
    settled = decided.decided_on if decided else day
    if g.ruled_on > settled:
        raise i18n.error(
            InvalidInput, "error.ruling_after_settled", ruled_on=g.ruled_on, settled=settled
        )
    return {
        "ruling_by": by,
        "ruling_on": g.ruled_on,
        "ruling_reference": cases.one_line(g.reference),
    }


def _set_decision(conn: Connection, app_id: int, **values: Any) -> None:
    t = m.application_decision
    conn.execute(update(t).where(t.c.application_id == app_id).values(**values))


def _values(
    conn: Connection,
    settings: Settings,
    r: dict[str, Any],
    body: ApplicationStateIn,
    who: User,
    appealed: Decision | None,
    day: dt.date,
    ruling: dict[str, Any],
) -> dict[str, Any]:
    """The columns a step taken on `day` writes (and what it checks first).

    `appealed` as for `_decide`; `ruling`: the ruling's columns of the decision (`_ruling`).
    """
    new = body.state
    if r["state"] == "appealed" and new == "refused" and body.decision is None:
        _after_appeal(appealed, day, "error.appeal_ended_before", day=day)  # review 6
        return {"state": _appeal_ended(conn, r, ruling, appealed, free_text(body.reason))}
    if new in states.DECISIONS:
        state = _decide(conn, settings, r, body, who, appealed)
        if ruling:  # the new decision came out of the appeal
            _set_decision(conn, r["id"], **ruling)
        return {"state": state}
    if new in ("appealed", "legally_valid", "started", "expired"):
        d = appealed or case_view.decision_of(conn, r["id"])
        if d is None:
            raise i18n.error(Conflict, "error.no_decision", id=str(r["id"]))
        _check_clock(r, new, day, d)
        if new == "appealed":
            _appealed(conn, r, day, d)
        elif r["state"] == "appealed":  # legally valid: on the day the appeal was settled
            _valid_after_appeal(conn, settings, r, day, d, ruling)
    if new == "withdrawn":
        return {"state": new, "withdrawn_at": func.now()}
    if new == "draft":  # taken back: filed again later, on that day's rules
        conn.execute(
            delete(m.hearing_addressee).where(m.hearing_addressee.c.application_id == r["id"])
        )
        # and the owners' contacts published for this filing are no longer: a site changed in
        # the draft would otherwise show its new neighbours' owners, published by no one
        return {
            "state": new,
            "filed_on": None,
            "regime": None,
            "analysis_id": None,
            "contacts_requested_at": None,
            "contacts_published_at": None,
            "contacts_published_by": None,
        }
    return {"state": new}


def _actor(user: User | None, a: policy.CaseAccess, r: dict[str, Any], new: str) -> User:
    states.who_moves(r["state"], new)  # 409 for no such step, before the kind's
    if not states.kind_allows(r["kind"], r["state"], new):
        raise i18n.error(
            Conflict,
            "error.kind_step",
            {"state": r["state"], "requested": new},
            kind={"key": f"case_kind.{r['kind']}"},
            from_state=states.said_state(r["state"]),
            to_state=states.said_state(new),
        )
    return policy.check_case_step(user, a, r["state"], new)


def change_state(
    conn: Connection,
    settings: Settings,
    user: User | None,
    app_id: int,
    body: ApplicationStateIn,
    lang: str = "fi",
) -> Application:
    """Take one step of the case (the version read must be current: 409 otherwise)."""
    _, a = cases.visible(conn, user, app_id)
    r = cases.lock(conn, app_id, body.version)
    if body.ruling is not None and (r["kind"] in states.WORKS_KINDS or body.state == "submitted"):
        raise _wrong_ruling_step(r["state"], body.state)
    if r["kind"] in states.WORKS_KINDS:
        who = policy.require_user(user)
        if body.decision is not None:  # a dig's conditions are `conditions`, its reason `reason`
            raise i18n.error(InvalidInput, "error.works_no_decision")
        return case_view.works_step(conn, settings, who, a, r, body, lang)
    if body.conditions is not None:  # a building case's conditions are its decision's
        raise i18n.error(InvalidInput, "error.conditions_in_decision")
    if body.notice is not None:  # a building case's decision is posted (`decision.posted_on`)
        raise i18n.error(InvalidInput, "error.notice_of_posted", {"field": "notice"})
    if body.state == "submitted":
        return applications.submit(conn, settings, user, app_id, body.version, lang)
    who = _actor(user, a, r, body.state)
    prior = case_view.decision_of(conn, app_id) if r["state"] == "appealed" else None
    today = finland.today()
    day = body.date or today
    timelimits.check_happened(
        day,
        today,
        f"the step to {body.state!r}",
        {"key": "happened.step", "state": states.said_state(body.state)},
    )
    ruling = _ruling(r, body, prior, day)
    values = _values(conn, settings, r, body, who, prior, day, ruling)
    cases.bump(conn, app_id, **values)
    cases.event(
        conn,
        app_id,
        who,
        "state",
        on=day,
        from_state=r["state"],
        to_state=values["state"],
        reason=body.reason,
        **_appeal_detail(prior, body, ruling),
    )
    conn.commit()
    return case_view.document(conn, settings, who, app_id, lang)


def _all_dates(conn: Connection, r: dict[str, Any], today: dt.date) -> list[Deadline]:
    """Every date of the case: the hearing's and the decision's, past ones too."""
    rs = case_hearing.rows(conn, r["id"])
    running = [(x["status"], x["deadline"]) for x in rs]
    out: list[tuple[str, dt.date | None]] = [
        ("hearing_deadline", max((d for _, d in running if d), default=None)),
        ("earliest_decision", hr.earliest_decision(running)),
    ]
    # as the case shows it: under appeal, the legally valid day and the limits are not known yet
    d = case_view.shown_decision(case_view.decision_of(conn, r["id"]), r["state"])
    if d:
        out += [
            ("decided", d.decided_on),
            ("posted", d.posted_on),
            (f"{d.appeal_kind}_period_ends", d.appeal_ends_on),
            ("appealed", d.appealed_on),
            ("legally_valid", d.legally_valid_on),
            ("start_by", d.start_by),
            ("finish_by", d.finish_by),
            ("valid_until", d.valid_until),
        ]
    return [Deadline(what=w, date=x, days_left=(x - today).days) for w, x in out if x]


def timeline(conn: Connection, user: User | None, app_id: int) -> Timeline:
    """What happened to the case (who by role), and every date it runs towards."""
    cases.visible(conn, user, app_id)
    r = cases.row(conn, app_id)
    t = m.application_event
    rows = conn.execute(
        select(t).where(t.c.application_id == app_id).order_by(t.c.at, t.c.id)
    ).mappings()
    events = [
        Event(
            at=e["at"],
            on=e["on_date"],
            event=e["event"],
            from_state=e["from_state"],
            to_state=e["to_state"],
            role=e["role"],
            detail=e["detail"] or {},
        )
        for e in rows
    ]
    return Timeline(
        application_id=app_id,
        state=r["state"],
        events=events,
        deadlines=_all_dates(conn, r, finland.today()),
    )


def reminders(
    conn: Connection, settings: Settings, user: User | None, on: dt.date | None, within: int | None
) -> Reminders:
    """Deadlines of the reader's applications within the window (the rule file's days by default)."""
    who = policy.require_user(user)
    if within is not None and not 0 <= within <= 366:
        raise InvalidInput("within must be 0..366 days")
    today = on or finland.today()
    # every case still running towards a deadline, not only the worklist's first; of them, in
    # SQL, those with a date within the widest window any rule file gives (the exact window of
    # each case's own rules is applied below)
    widest = within if within is not None else rulesets.most_reminder_days(settings.rulesets_dir)
    listed = case_view.listing(
        conn,
        who,
        state=",".join(clock.DEADLINE_STATES),
        everything=True,
        due=(today, today + dt.timedelta(days=widest)),
    )
    dates = case_view.dates_of(conn, [s.id for s in listed.applications])
    out = []
    for s in listed.applications:
        days = within
        if days is None:
            days = cases.rules_of(
                settings, {"municipality": s.municipality, "filed_on": s.filed_on}
            ).applications.reminder_days
        for due in case_view.deadlines(s.state, dates.get(s.id), today):
            if due.days_left is not None and 0 <= due.days_left <= days:
                out.append(
                    Reminder(
                        application_id=s.id,
                        kind=s.kind,
                        state=s.state,
                        municipality=s.municipality,
                        property_ids_short=s.property_ids_short,
                        what=due.what,
                        date=due.date,
                        days_left=due.days_left,
                    )
                )
    out.sort(key=lambda x: (x.date, x.application_id))
    return Reminders(on=today, within_days=within, reminders=out)
