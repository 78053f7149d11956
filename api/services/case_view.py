"""An application as its reader sees it, the lists of applications, and dig permits' steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, Date, cast, func, select, true

from api import finland, rulesets
from api.schemas.applications import (
    Application,
    ApplicationList,
    ApplicationSummary,
    Attachment,
    ChecklistItem,
    Deadline,
    Decision,
    Party,
    PlannedBuilding,
    WorksInfo,
)
from api.schemas.excavations import ClaimClock
from api.schemas.requests import ApplicationStateIn
from api.services import (
    case_analysis,
    case_hearing,
    cases,
    excavations,
    mapdata,
    neighbours,
    policy,
)
from api.services.policy import CaseAccess, User
from api.settings import Settings
from api.storage import models as m
from api.storage.engine import fetch_all
from geo import excavation, property_id
from geo.applications import checklist, clock, states
from geo.applications import hearing as hr
from geo.errors import DomainError
from geo.geometry import to_geojson

# The case states of a dig permit's works states, and back (its own lifecycle decides).
WORKS_FROM_CASE = {"decided": "approved", "completed": "finished"}


def _co_owned(conn: Connection, ids: list[str]) -> bool:
    """Whether a site unit has several private owners or an estate among them."""
    for owners in neighbours.owners_of(conn, ids).values():
        personal = [o for o in owners if policy.is_personal(o.kind)]
        if len(personal) > 1 or any(o.kind == "estate" for o in personal):
            return True
    return False


def checklist_of(conn: Connection, settings: Settings, r: dict[str, Any]) -> list[checklist.Item]:
    """The attachments the application needs on its site, by its municipality's rule file."""
    rules = cases.rules_of(settings, r)
    site = m.from_db(r["site"])
    in_plan = False
    if site is not None:
        found = fetch_all(
            conn,
            "site_in_detailed_plan",
            site=shapely.to_wkb(site),
            min_share=rules.setbacks.sliver_share,
        )
        in_plan = bool(found and found[0]["inside"])
    co_owned = _co_owned(conn, list(r["property_ids"] or []))
    return checklist.checklist(r["kind"], rules.applications, in_plan, co_owned, r["heard_by"])


def attachment_columns() -> list[Any]:
    """An attachment's metadata columns (everything but the content)."""
    t = m.application_attachment
    return [
        t.c.id,
        t.c.kind,
        t.c.name,
        t.c.content_type,
        t.c.size_bytes,
        t.c.sha256,
        t.c.uploaded_at,
    ]


def _attachments(conn: Connection, app_id: int) -> list[Attachment]:
    t = m.application_attachment
    rows = conn.execute(
        select(*attachment_columns()).where(t.c.application_id == app_id).order_by(t.c.id)
    ).mappings()
    return [Attachment.model_validate(dict(r)) for r in rows]


def missing_attachments(conn: Connection, settings: Settings, r: dict[str, Any]) -> list[str]:
    """The required attachments the application does not have yet."""
    kinds = [a.kind for a in _attachments(conn, r["id"])]
    return checklist.missing(checklist_of(conn, settings, r), kinds)


def filed_by(conn: Connection, r: dict[str, Any]) -> str | None:
    """The e-mail address of the account that filed the application (None: unknown or deleted)."""
    rows = fetch_all(conn, "user_email_of", i=r["created_by"]) if r["created_by"] else []
    return str(rows[0]["email"]) if rows else None


def _parties(
    conn: Connection, r: dict[str, Any], applicant: str | None, inviter: bool
) -> list[Party]:
    """The applicant (named as the case names them: a dig permit keeps its own), then the invited.

    A declined invitation's e-mail address is shown only to those who may invite (`inviter`:
    they typed it, and may invite again); the case's other readers see that one declined.
    """
    out = []
    if r["created_by"] is not None:
        out.append(
            Party(
                id=None,
                role="applicant",
                name=applicant,
                email=filed_by(conn, r),
                status="accepted",
            )
        )
    t = m.application_party
    rows = conn.execute(select(t).where(t.c.application_id == r["id"]).order_by(t.c.id)).mappings()
    out += [
        Party(
            id=p["id"],
            role=p["role"],
            name=p["name"],
            email=p["email"] if inviter or p["status"] != "declined" else None,
            status=p["status"],
        )
        for p in rows
    ]
    return out


def applicants(
    conn: Connection, r: dict[str, Any], until: dt.date | None = None
) -> tuple[str, ...]:
    """Who applies, by name: the applicant, then the co-applicants who accepted, as invited.

    An invitation not yet answered or declined names no one; nor does a party without a name,
    and no co-applicant is named while the applicant is not. `until`: only those who had
    accepted by that day (Finnish time): a letter mailed on it is printed again as it was sent.
    """
    if not r["applicant_name"]:  # named after the applicant: else one would read as the applicant
        return ()
    t = m.application_party
    joined = conn.execute(
        select(t.c.name)
        .where(
            t.c.application_id == r["id"],
            t.c.role == "co_applicant",
            t.c.status == "accepted",
            t.c.name.is_not(None),
            true()
            if until is None
            else cast(func.timezone(finland.FINLAND.key, t.c.answered_at), Date) <= until,
        )
        .order_by(t.c.id)
    ).scalars()
    return (r["applicant_name"], *joined)


def buildings(conn: Connection, app_id: int) -> list[PlannedBuilding]:
    """The planned buildings of the application, in their order."""
    t = m.application_building
    rows = conn.execute(select(t).where(t.c.application_id == app_id).order_by(t.c.n)).mappings()
    return [
        PlannedBuilding(
            n=b["n"],
            use=b["use"],
            floor_area_m2=b["floor_area_m2"],
            height_m=b["height_m"],
            footprint=to_geojson(m.from_db(b["footprint"])),
        )
        for b in rows
    ]


def decision_of(conn: Connection, app_id: int) -> Decision | None:
    """The recorded decision and its clock, if any."""
    t = m.application_decision
    r = conn.execute(select(t).where(t.c.application_id == app_id)).mappings().first()
    return Decision.model_validate(dict(r)) if r else None


def shown_decision(d: Decision | None, state: str) -> Decision | None:
    """The decision as the case shows it: under appeal, no legally valid day and no limits yet."""
    if d is None or state != "appealed":
        return d
    unknown = dict.fromkeys(("legally_valid_on", "start_by", "finish_by", "valid_until"))
    return d.model_copy(update=unknown)


def dates_of(conn: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The hearing deadline and decision dates of applications, by id."""
    return {r["id"]: r for r in fetch_all(conn, "application_dates", ids=ids)} if ids else {}


def deadlines(state: str, dates: dict[str, Any] | None, today: dt.date) -> list[Deadline]:
    """The open deadlines of a case, nearest first, with the days left."""
    d = dates or {}
    return [
        Deadline(what=w, date=day, days_left=(day - today).days)
        for w, day in clock.open_deadlines(state, d.get("hearing_deadline"), d)
    ]


def next_states(
    conn: Connection, user: User, a: CaseAccess, r: dict[str, Any], d: Decision | None
) -> list[str]:
    """The states this reader may move the application to now; `d`: its decision (`decision_of`)."""
    if r["kind"] in states.WORKS_KINDS:
        permit = excavations.access_of(conn, r["id"])
        out = []
        for new in excavation.NEXT_STATES.get(permit.state, ()):
            try:
                policy.check_step(user, r["id"], a.municipality, a.created_by, new, a.officers_read)
                out.append(new)
            except DomainError:
                continue
        return out
    allowed = []
    for new in states.next_states(r["state"]):
        if not states.kind_allows(r["kind"], r["state"], new):
            continue
        if not states.outcome_allows(d.outcome if d else None, r["state"], new):
            continue
        try:
            policy.check_case_step(user, a, r["state"], new)
            allowed.append(new)
        except DomainError:
            continue
    return allowed


def earliest_on(
    conn: Connection, r: dict[str, Any], d: Decision | None, steps: list[str], today: dt.date
) -> dict[str, dt.date]:
    """Of `steps`, those the law holds back past `today`, with the first day each may be dated.

    The lower bounds of case_states: a granted decision waits for the hearing's running
    periods; 'legally_valid' and 'started' for the decision's legally valid day, which bounds
    a pending appeal's end too (the case shows no such day then, but a ruling dated earlier is
    refused). Not said here: a hearing whose letters are not all sent, which no day settles.
    """
    out: dict[str, dt.date] = {}
    if "decided" in steps:
        rows = case_hearing.rows(conn, r["id"])
        first = hr.earliest_decision((x["status"], x["deadline"]) for x in rows)
        if first and first > today:
            out["decided"] = first
    valid_on = d.legally_valid_on if d else None
    for step in ("legally_valid", "started"):
        if step in steps and valid_on and valid_on > today:
            out[step] = valid_on
    return out


def _works(
    conn: Connection, settings: Settings, r: dict[str, Any]
) -> tuple[WorksInfo | None, str | None]:
    """A dig or area-use permit's own record and its applicant; else (None, the case's applicant)."""
    if r["kind"] not in states.WORKS_KINDS:
        return None, r["applicant_name"]
    p = excavations.get(conn, settings, r["id"])
    info = WorksInfo(
        permit_state=p.state,
        starts_on=p.starts_on,
        ends_on=p.ends_on,
        conditions=p.conditions,
        refusal_reason=p.refusal_reason,
        withdrawn_on=p.withdrawn_on,
        url=f"/api/v1/excavations/{r['id']}",
        **p.model_dump(include=set(ClaimClock.model_fields)),
    )
    return info, p.applicant


def _site_doc(site: BaseGeometry | None) -> tuple[Any, float | None]:
    if site is None:
        return None, None
    return to_geojson(site), round(float(site.area), 1)


def document(
    conn: Connection, settings: Settings, user: User, app_id: int, lang: str = "fi"
) -> Application:
    """The application as this reader may see it (its municipality named in `lang`)."""
    r = cases.row(conn, app_id)
    a = cases.access(conn, app_id)
    items = checklist_of(conn, settings, r)
    attachments = _attachments(conn, app_id)
    attached = {x.kind for x in attachments}
    site, area = _site_doc(m.from_db(r["site"]))
    ids = list(r["property_ids"] or [])
    works, applicant = _works(conn, settings, r)
    decided = decision_of(conn, app_id)
    steps = next_states(conn, user, a, r, decided)
    # the case's rules as the API applies them (case_files), so the page need not repeat them
    open_to_files = r["state"] in states.ATTACHABLE_STATES
    inviter = policy.acts_as(user, a, "applicant")  # the applicant, an accepted co-applicant
    return Application(
        **{k: r[k] for k in ("id", "kind", "state", "version", "municipality", "description")},
        **{k: r[k] for k in ("heard_by", "existing_dwelling", "filed_on", "regime")},
        **{k: r[k] for k in ("created_at", "updated_at")},
        municipality_name=rulesets.municipality_name(
            settings.rulesets_dir, r["municipality"], lang
        ),
        property_ids=ids,
        property_ids_short=[property_id.short(p) for p in ids],
        site=site,
        site_area_m2=area,
        yours=policy.is_case_party(user, a),
        may_attach=open_to_files and policy.acts_as(user, a, "editor"),
        may_invite=open_to_files and works is None and inviter,
        parties=_parties(conn, r, applicant, inviter),
        buildings=buildings(conn, app_id),
        attachments=attachments,
        checklist=[
            ChecklistItem(
                **{k: getattr(i, k) for k in ("code", "title", "title_fi", "reason", "scale")},
                attached=i.code in attached,
            )
            for i in items
        ],
        missing_attachments=checklist.missing(items, attached),
        analysis=case_analysis.info(conn, r["analysis_id"]) if r["analysis_id"] else None,
        decision=shown_decision(decided, r["state"]),
        deadlines=deadlines(r["state"], dates_of(conn, [app_id]).get(app_id), finland.today()),
        next_states=steps,
        earliest_on=earliest_on(conn, r, decided, steps, finland.today()),
        contacts_requested=r["contacts_requested_at"] is not None,
        contacts_published=r["contacts_published_at"] is not None,
        letters_sent=r["letters_frozen_at"] is not None,
        works=works,
        applicant=applicant,
    )


def get(
    conn: Connection, settings: Settings, user: User | None, app_id: int, lang: str = "fi"
) -> Application:
    """One application, to those who may read it (404 for anyone else)."""
    who, _ = cases.visible(conn, user, app_id)
    return document(conn, settings, who, app_id, lang)


def works_step(
    conn: Connection,
    settings: Settings,
    user: User,
    a: CaseAccess,
    r: dict[str, Any],
    body: ApplicationStateIn,
    lang: str = "fi",
) -> Application:
    """A step of a dig or area-use permit, taken through its own lifecycle (the row is locked)."""
    permit_state = WORKS_FROM_CASE.get(body.state, body.state)
    policy.check_step(
        user, r["id"], r["municipality"], r["created_by"], permit_state, a.officers_read
    )
    excavations.change_state(
        conn,
        settings,
        r["id"],
        permit_state,
        body.date,
        via_case=True,
        by=user,
        conditions=body.conditions,
        reason=body.reason,
        notice=body.notice,
    )
    return document(conn, settings, user, r["id"], lang)


LIST_LIMIT = 1000  # applications in one list; more: `truncated` (narrow it with the filters)


def _filters(
    user: User,
    bbox: str | None,
    state: str | None,
    kind: str | None,
    municipality: str | None,
    limit: int | None,
    due: tuple[dt.date, dt.date] | None = None,
) -> dict[str, Any]:
    box = mapdata.bbox_3067(bbox) if bbox else (None, None, None, None)
    wanted = [s.strip() for s in state.split(",") if s.strip()] if state else None
    for s in wanted or []:
        states.check_state(s)
    if kind:
        states.check_kind(kind)
    return {
        "admin": user.role == "admin",
        "uid": user.id,
        "email": user.email,
        "officer_of": user.municipality if user.role == "officer" else None,
        "states": wanted,
        "kind": kind,
        "municipality": municipality.zfill(3) if municipality else None,
        **dict(zip(("xmin", "ymin", "xmax", "ymax"), box, strict=True)),
        "open_states": list(clock.DEADLINE_STATES),  # listed first
        "works_kinds": sorted(states.WORKS_KINDS),  # but for these kinds, not these states
        "works_done": list(clock.WORKS_DONE_STATES),
        "lim": None if limit is None else limit + 1,  # one more says whether there are more
        **dict(zip(("due_from", "due_to"), due or (None, None), strict=True)),
    }


def listing(
    conn: Connection,
    user: User | None,
    bbox: str | None = None,
    state: str | None = None,
    kind: str | None = None,
    municipality: str | None = None,
    everything: bool = False,
    due: tuple[dt.date, dt.date] | None = None,
) -> ApplicationList:
    """The applications this reader may see, nearest deadline first (then the latest changed).

    At most LIST_LIMIT unless `everything`: the open cases first, then the latest changed,
    and `truncated` when more match. `due` (from, to): only cases with a date between them.
    """
    who = policy.require_user(user)
    limit = None if everything else LIST_LIMIT
    filters = _filters(who, bbox, state, kind, municipality, limit, due)
    rows = fetch_all(conn, "application_list", **filters)
    truncated = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    dates = dates_of(conn, [r["id"] for r in rows])
    today = finland.today()
    out = []
    for r in rows:
        runs = deadlines(r["state"], dates.get(r["id"]), today)
        out.append(
            ApplicationSummary(
                **{k: r[k] for k in ("id", "kind", "state", "version", "municipality", "filed_on")},
                property_ids_short=[property_id.short(p) for p in r["property_ids"] or []],
                description=(r["description"] or "")[:200] or None,
                updated_at=r["updated_at"],
                next_deadline=runs[0] if runs else None,
                yours=r["created_by"] == who.id or bool(r["party"]),
                invited=bool(r["invited"]) and not r["party"],
                invitation=r["invitation"],
                invitation_name=r["invitation_name"],
                invitation_role=r["invitation_role"],
                invitation_from=r["invitation_from"],
                invitation_applicant=r["invitation_applicant"],
            )
        )
    out.sort(
        key=lambda s: (
            s.next_deadline is None,
            s.next_deadline.date if s.next_deadline else dt.date.max,
        )
    )
    return ApplicationList(applications=out, count=len(out), truncated=truncated)
