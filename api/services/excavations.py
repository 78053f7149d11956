"""Street-excavation permits: check a draft, store it, list works, step its lifecycle."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import shapely
from sqlalchemy import Connection

from api import finland, i18n, rulesets
from api.schemas.excavations import (
    ClaimClock,
    ExcavationCheck,
    ExcavationCreated,
    Permit,
    StateChanged,
    StoredApplication,
    Works,
)
from api.schemas.requests import ExcavationIn, NoticeIn
from api.services import cases, coverage, mapdata, policy, texts
from api.services.sites import municipality_at
from api.settings import Settings
from api.storage.engine import fetch_all
from api.storage.sqlfiles import query
from geo import coverage as geo_coverage
from geo import crs as crs_mod
from geo import excavation as ex
from geo import property_id, timelimits
from geo.applications import clock
from geo.errors import Conflict, InvalidInput, NotFound, check_version
from geo.geometry import collection_bbox, to_geojson, to_geojson_many
from geo.rules import ExcavationRules, Ruleset


def _phases(body: ExcavationIn, rules: Ruleset) -> list[ex.Phase]:
    srid = crs_mod.parse_srid(body.crs)
    phases = []
    for n, ph in enumerate(body.phases, start=1):
        ex.check_period(ph.start, ph.end, n)
        areas = [
            ex.dig_area(a, srid, ph.width_m, f"phase {n} area {i + 1}", rules.excavation)
            for i, a in enumerate(ph.areas)
        ]
        phases.append(ex.Phase(n, areas, ph.start, ph.end, ph.on_carriageway, ph.traffic_plan))
    return phases


def _rules(
    settings: Settings,
    body: ExcavationIn,
    conn: Connection,
    phases: list[ex.Phase],
    filed_on: dt.date,
) -> Ruleset:
    """The rules of the municipality the dig is in (given, or found under the first phase).

    They are the rules in force on the filing date, not on the day the work starts: a dig
    filed in December for February is charged by December's tariff.
    """
    if body.kind not in ex.KINDS:
        raise InvalidInput(f"unknown kind {body.kind!r}; kinds: {', '.join(ex.KINDS)}")
    code = body.municipality or municipality_at(
        conn, phases[0].geometry, settings.default_municipality
    )
    digits = property_id.municipality_code(code)
    if digits is None:
        raise InvalidInput(f"municipality {code!r} is not a municipality code like 244")
    known = rulesets.known_codes(settings.rulesets_dir)
    if digits not in known:
        raise InvalidInput(
            f"unknown municipality {digits}: known {', '.join(known)}", municipality=digits
        )
    return rulesets.rules_for(settings.rulesets_dir, code, filed_on)


def _phase_rows(
    conn: Connection, ph: ex.Phase, rules: Ruleset, exclude_permit: int | None
) -> ex.PhaseRows:
    """Run the spatial queries of one phase: land, state roads, other works, access."""
    er = rules.excavation
    wkb = shapely.to_wkb(ph.geometry)
    rows = ex.PhaseRows(
        land=fetch_all(conn, "excavation_land", area=wkb),
        state_roads=fetch_all(
            conn,
            "excavation_state_road",
            area=wkb,
            distance_m=er.access_distance_m,
            names=er.state_roads,
        ),
        clashes=fetch_all(
            conn,
            "excavation_clash",
            area=wkb,
            distance_m=er.clash_distance_m,
            start=ph.start,
            end=ph.end,
            exclude_permit=exclude_permit,
        ),
        access=fetch_all(conn, "excavation_access", area=wkb, distance_m=er.access_distance_m),
    )
    exclude = ex.needs_opposite(ph, rows)
    if exclude is not None:
        rows.opposite = fetch_all(
            conn,
            "excavation_opposite_parking",
            area=wkb,
            max_m=er.opposite_parking_max_m,
            exclude=exclude,
        )
    return rows


def _coverage(
    conn: Connection, phases: list[ex.Phase], rules: Ruleset, lang: str
) -> tuple[dict[str, dict[str, Any]], bool]:
    """The data at the dig (all phases), and whether some phase has no parcel data at all.

    Such a dig is not refused: its `outside_municipality` finding blocks it and says why.
    """
    shore_m = 2 * rules.shore.zone_width_m
    union = shapely.union_all([p.geometry for p in phases])
    cov, inside = coverage.at_site(conn, union, shore_m, lang, refuse_outside=False, dig=True)
    if len(phases) > 1:  # one phase is the union itself: no second query
        inside = all(coverage.at_site(conn, ph.geometry, shore_m, lang, False)[1] for ph in phases)
    return cov, not inside


CELL_M = 1000.0  # side of the grid cells whose advisory locks serialise clashing writes
_CELL_KEYS = 1 << 40  # keeps cell keys clear of the migration lock's key
_ALL_CELLS = _CELL_KEYS - 1  # the key of all cells at once (no cell of Finland's has it)
MAX_CELL_LOCKS = 256  # more cells than this: all cells at once (the lock table is finite)
PAD_M = 0.01  # shapely's distance and PostGIS's may differ in the last digits


def lock_cells(conn: Connection, phases: list[ex.Phase], distance_m: float) -> None:
    """Take the transaction's advisory locks of every cell within the clash distance of a dig.

    Two submissions that may clash share a cell (`dig.cells_near`), so the later waits for
    the earlier to commit and its clash query then sees it: no clashing pair goes unreported.
    Every writer first holds the key of all cells, shared; one whose digs cover more than
    MAX_CELL_LOCKS cells (areas spread far apart, a long line) holds it alone instead.
    """
    areas = [a for ph in phases for a in ph.areas]
    cells = ex.cells_near(areas, distance_m + PAD_M, CELL_M)
    alone = len(cells) > MAX_CELL_LOCKS
    conn.execute(query("excavation_lock_all"), {"key": _ALL_CELLS, "alone": alone})
    if not alone:
        keys = sorted(_CELL_KEYS + ix * 100_000 + iy for ix, iy in cells)
        conn.execute(query("excavation_lock_cells"), {"cells": keys})


def check(
    conn: Connection,
    settings: Settings,
    body: ExcavationIn,
    exclude_permit: int | None = None,
    lang: str = i18n.DEFAULT_LANG,
    lock: bool = False,
    filed_on: dt.date | None = None,
) -> ExcavationCheck:
    """Check a draft permit and return its findings and fee; nothing is stored.

    Findings whose data is missing at the dig are not given (see `coverage`, `not_checked`).
    With `lock` (a write follows in this transaction) the area's cells are locked first.
    The rules are those in force on `filed_on` (a filed application's day), else on the day
    checked.
    """
    return _check(conn, settings, body, exclude_permit, lang, lock, filed_on)[0]


def _check(
    conn: Connection,
    settings: Settings,
    body: ExcavationIn,
    exclude_permit: int | None,
    lang: str,
    lock: bool,
    filed_on: dt.date | None,
) -> tuple[ExcavationCheck, Ruleset]:
    # a check alone may ask "as if on day X"; a stored permit is checked on the server's day
    # (a draft stored early and submitted late would else keep a lead time it no longer has)
    today = finland.today() if lock else (body.today or finland.today())
    rules_on = filed_on or today
    pre_rules = rulesets.rules_for(settings.rulesets_dir, body.municipality, rules_on)
    phases = _phases(body, pre_rules)
    rules = _rules(settings, body, conn, phases, rules_on)
    if lock:
        lock_cells(conn, phases, rules.excavation.clash_distance_m)
    cov, outside = _coverage(conn, phases, rules, lang)
    situation = ex.Check(rules, today, body.emergency)
    found = [
        f
        for ph in phases
        for f in ex.for_phase(ph, _phase_rows(conn, ph, rules, exclude_permit), situation)
    ]
    findings = [i18n.take(f, lang) for f in geo_coverage.kept(found, coverage.checked(cov))]
    missing = coverage.missing(cov, geo_coverage.DIG_CHECKS, lang)
    er = rules.excavation
    start, end = min(p.start for p in phases), max(p.end for p in phases)
    total_area = sum(p.geometry.area for p in phases)
    doc = ExcavationCheck.model_validate(
        {
            "municipality": rules.code,
            "municipality_name": rules.name_sv if lang == "sv" else rules.name,
            "kind": body.kind,
            "emergency": body.emergency,
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat(),
            "area_m2": round(total_area, 2),
            "phases": [
                {
                    "n": p.n,
                    "area_m2": round(p.geometry.area, 2),
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "on_carriageway": p.on_carriageway,
                    "geometry": to_geojson(p.geometry),
                }
                for p in phases
            ],
            "findings": findings,
            "fee": texts.fees(ex.fee(total_area, sum(p.days for p in phases), rules), lang),
            "inspections": ex.inspections(start, end, None, er),
            "guarantee_years": er.guarantee_years,
            "grantable": ex.grantable(findings),
            "suggested_conditions": [
                (f"{i18n.render(lang, which)}: " if which else "") + i18n.render(lang, c)
                for c, which in ex.standard(phases, findings, er)
            ],
            "lang": lang,
            "outside_data": outside,
            "coverage": cov,
            "not_checked": missing,
            "all_checked": not missing,
        }
    )
    return doc, rules


def _stored(conn: Connection, permit_id: int, srid_out: int) -> tuple[ExcavationIn, dt.date | None]:
    """A stored permit's application, in `srid_out`, and its filing day (None: not filed).

    Its phases and dig areas as they stand (a line as drawn, with its phase's width: a dig
    stored before migration 0109 as the area it covers); in EPSG:3067 as stored (a line is
    buffered again by the check, to the area stored).
    """
    rows = fetch_all(conn, "excavation_stored", i=permit_id)
    if not rows:
        raise NotFound(f"excavation permit {permit_id} does not exist", permit_id=permit_id)
    r = rows[0]

    geoms = [[shapely.from_wkb(bytes(w)) for w in x["areas"]] for x in rows]
    flat = [g for phase in geoms for g in phase]
    exact = srid_out == crs_mod.STORAGE_SRID  # else all projected at once
    out = [shapely.geometry.mapping(g) for g in flat] if exact else to_geojson_many(flat, srid_out)
    parts = iter(out)
    by_phase = [list(itertools.islice(parts, len(phase))) for phase in geoms]
    body = ExcavationIn.model_validate(
        {
            "municipality": r["municipality"],
            "kind": r["kind"],
            "emergency": r["emergency"],
            "crs": f"EPSG:{srid_out}",
            "applicant": r["applicant"],
            "description": r["description"],
            "version": r["version"],
            "phases": [
                {
                    "areas": areas,
                    "start": x["starts_on"],
                    "end": x["ends_on"],
                    "on_carriageway": x["on_carriageway"],
                    "traffic_plan": x["traffic_plan"],
                    "width_m": x["width_m"],
                }
                for x, areas in zip(rows, by_phase, strict=True)
            ],
        }
    )
    return body, r["filed_on"]


def stored_application(conn: Connection, permit_id: int) -> StoredApplication:
    """A stored permit's application in EPSG:4326 with its version: what an edit starts from."""
    body = _stored(conn, permit_id, crs_mod.WGS84)[0]
    return StoredApplication.model_validate(body.model_dump(exclude={"today"}))


def stored_check(
    conn: Connection, settings: Settings, permit_id: int, lang: str = i18n.DEFAULT_LANG
) -> ExcavationCheck:
    """Check a stored permit again, as its application has it, on the data of today.

    The rules and the lead time are those of its filing day (today's for a draft); its own
    works are not a clash with it. What an officer reads before approving it.
    """
    body, filed_on = _stored(conn, permit_id, crs_mod.STORAGE_SRID)
    filed = filed_on or finland.today()
    body = body.model_copy(update={"today": filed})
    return _check(conn, settings, body, permit_id, lang, False, filed)[0]


def check_edit(
    conn: Connection,
    settings: Settings,
    a: PermitAccess,
    permit_id: int,
    body: ExcavationIn,
    lang: str = i18n.DEFAULT_LANG,
) -> ExcavationCheck:
    """An edit of a stored application checked before it is saved, as the save will check it.

    Its own stored works are no clash with it, a filed one keeps the rules of its filing day,
    and it is checked on the server's day; one that can no longer be edited is a 409.
    """
    _check_editable(permit_id, a.state)
    body = body.model_copy(update={"today": None})
    return _check(conn, settings, body, permit_id, lang, False, a.filed_on)[0]


def _check_editable(permit_id: int, state: str) -> None:
    if state not in policy.EDITABLE_STATES:
        raise Conflict(
            f"permit {permit_id} is {state!r}: only a draft or a submitted one can be edited"
        )


def _check_grantable(conn: Connection, settings: Settings, permit_id: int) -> None:
    """Refuse to approve a permit the municipality cannot grant as asked (409, naming why)."""
    doc = stored_check(conn, settings, permit_id)
    if doc.grantable:
        return
    why = [f for f in doc.findings if f.severity in ex.NOT_GRANTABLE]
    codes = sorted({f.code for f in why})
    raise Conflict(
        f"permit {permit_id} cannot be approved as asked: "
        + "; ".join(f"phase {f.phase}: {f.message}" for f in why),
        permit_id=permit_id,
        findings=codes,
    )


def _store_phases(conn: Connection, pid: int, body: ExcavationIn, rules: ExcavationRules) -> None:
    """Store the phases and dig areas of an application (on create, and again on edit)."""
    srid = crs_mod.parse_srid(body.crs)
    for n, ph in enumerate(body.phases, start=1):
        phase = {
            "p": pid,
            "n": n,
            "s": ph.start,
            "e": ph.end,
            "c": ph.on_carriageway,
            "t": ph.traffic_plan,
        }
        labels = [f"phase {n} area {i + 1}" for i in range(len(ph.areas))]
        lines = [ex.drawn_line(a, srid, x) for a, x in zip(ph.areas, labels, strict=True)]
        phase["w"] = ph.width_m if any(x is not None for x in lines) else None  # (lines only)
        phase_id = conn.execute(query("excavation_insert_phase"), phase).scalar_one()
        for a, label, line in zip(ph.areas, labels, lines, strict=True):
            poly = ex.dig_area(a, srid, ph.width_m, label, rules, limit_area=False)
            area = {"p": pid, "ph": phase_id, "s": ph.start, "e": ph.end, "g": shapely.to_wkb(poly)}
            area["l"] = None if line is None else shapely.to_wkb(line)  # as drawn, for an edit
            conn.execute(query("excavation_insert_area"), area)
    conn.execute(query("application_site_from_digs"), {"i": pid})  # the application's site


def _permit_params(result: ExcavationCheck, body: ExcavationIn) -> dict[str, Any]:
    return {
        "m": result.municipality,
        "k": body.kind,
        "e": body.emergency,
        "a": body.applicant,
        "d": body.description,
        "s": result.starts_on,
        "t": result.ends_on,
        "f": result.fee.total_eur,
    }


def _refuse_unplaced(result: ExcavationCheck, body: ExcavationIn) -> None:
    """Refuse to file a dig with no parcel data under a phase whose municipality is not named.

    Stop 54's walkthrough: a dig drawn 800 km north was filed as the default municipality's
    (no municipality lies under it in the data) and went to its officers' worklist. A draft
    may still be saved; naming the municipality files it there (422).
    """
    if result.outside_data and body.municipality is None:
        raise i18n.error(InvalidInput, "error.dig_outside_data")


def create(
    conn: Connection,
    settings: Settings,
    body: ExcavationIn,
    by: policy.User | None = None,
    state: str = "submitted",
    lang: str = i18n.DEFAULT_LANG,
) -> ExcavationCreated:
    """Check and store a permit application (its creator's, 'submitted' or a 'draft'); return it.

    The case's timeline records its filing, as it does for every other kind.
    """
    if state not in policy.EDITABLE_STATES:
        raise InvalidInput(f"a new application is a 'draft' or 'submitted', not {state!r}")
    result, rules = _check(conn, settings, body, None, lang, True, None)
    if state == "submitted":
        _refuse_unplaced(result, body)
    params = {**_permit_params(result, body), "by": by.id if by else None, "state": state}
    pid = conn.execute(query("excavation_insert_permit"), params).scalar_one()
    _store_phases(conn, pid, body, rules.excavation)
    cases.event(conn, pid, by, "created", to_state=state, kind=body.kind)
    conn.commit()
    doc = {**result.model_dump(), "id": pid, "state": state, "version": 1}
    return ExcavationCreated.model_validate(doc)


def update(
    conn: Connection,
    settings: Settings,
    permit_id: int,
    body: ExcavationIn,
    lang: str = i18n.DEFAULT_LANG,
) -> ExcavationCreated:
    """Replace a draft or submitted application's contents (re-checked; its own works ignored)."""
    row = _locked(conn, permit_id, body.version)
    state = row["state"]
    _check_editable(permit_id, state)
    # a submitted application keeps the rules of the day it was filed
    filed = row["filed_on"]
    result, rules = _check(conn, settings, body, permit_id, lang, True, filed)
    if state == "submitted":
        _refuse_unplaced(result, body)
    version = conn.execute(
        query("excavation_update_permit"), {**_permit_params(result, body), "i": permit_id}
    ).scalar_one()
    conn.execute(query("excavation_delete_phases"), {"i": permit_id})
    _store_phases(conn, permit_id, body, rules.excavation)
    conn.commit()
    doc = {**result.model_dump(), "id": permit_id, "state": state, "version": version}
    return ExcavationCreated.model_validate(doc)


def _locked(
    conn: Connection, permit_id: int, version: int | None, via_case: bool = False
) -> dict[str, Any]:
    """Lock a permit's row for a change; 409 when the caller's version is not the current one.

    The lock makes concurrent changes of one permit take turns, so each is checked against
    the state the one before it left; a change that names no version is refused (428),
    unless it comes through its application (`via_case`), whose version was checked.
    """
    rows = fetch_all(conn, "excavation_lock", i=permit_id)
    if not rows:
        raise NotFound(f"excavation permit {permit_id} does not exist", permit_id=permit_id)
    row = rows[0]
    if via_case:
        return row
    # the permit's 409 has always named the current version as `version`
    check_version(
        version, row["version"], f"permit {permit_id}", permit_id=permit_id, version=row["version"]
    )
    return row


@dataclass(frozen=True, slots=True)
class PermitAccess:
    """What deciding who may read or change a permit needs: its municipality, creator and state."""

    municipality: str
    created_by: int | None
    state: str
    filed: bool  # submitted at least once: its officers may read it
    filed_on: dt.date | None  # the day whose rules it keeps (None: not filed)


def access_of(conn: Connection, permit_id: int) -> PermitAccess:
    """The municipality, creator and state of a stored permit; 404 when there is none."""
    rows = fetch_all(conn, "excavation_access_of", i=permit_id)
    if not rows:
        raise NotFound(f"excavation permit {permit_id} does not exist", permit_id=permit_id)
    return PermitAccess(**rows[0])


def get(conn: Connection, settings: Settings, permit_id: int) -> Permit:
    """Return a stored permit's record, with its decision's sending and claim period."""
    rows = fetch_all(conn, "excavation_get", i=permit_id)
    if not rows:
        raise NotFound(f"excavation permit {permit_id} does not exist", permit_id=permit_id)
    r = rows[0]
    day = r["filed_on"] or r["decided_on"] or finland.today()  # the rules of its filing day
    rules = rulesets.rules_for(settings.rulesets_dir, r["municipality"], day)
    dates = claim_clock(rules, r["decided_on"], r["notice_method"], r["notice_sent_on"])
    return Permit.model_validate({**r, **dates})


def claim_clock(
    rules: Ruleset, decided_on: dt.date | None, method: str | None, sent_on: dt.date | None
) -> dict[str, Any]:
    """When a decision on a permit was made and sent, and when it stands (`ClaimClock`'s members).

    The claim period runs from the day the decision is deemed received: `method` ('letter' or
    'electronic') sent on `sent_on`. All None while it is not decided.
    """
    if decided_on is None:
        return dict.fromkeys(ClaimClock.model_fields)
    method = method or "letter"  # (never None once decided: migration 0108 filled them in)
    sent_on = sent_on or decided_on
    c = clock.notice_clock("excavation", decided_on, sent_on, method, rules)
    return {
        "decided_on": decided_on,
        "notice_method": method,
        "notice_sent_on": sent_on,
        "notice_received_on": c.runs_from,
        "claim_ends_on": c.appeal_ends_on,
        "legally_valid_on": c.legally_valid_on,
    }


def _notice(
    new: str, day: dt.date, today: dt.date, filed_on: dt.date | None, notice: NoticeIn | None
) -> tuple[str | None, dt.date | None]:
    """How and when a decision taken on `day` was sent: a letter on its day unless told.

    A decision is not dated before the filing (`_check_decision_day`). Only a decision is sent
    (422 naming `notice` on another step); not before it was made, nor on a day still to come
    (422 naming `notice.sent_on`).
    """
    _check_decision_day(new, day, filed_on)
    if new not in ("approved", "refused"):
        if notice is not None:
            raise i18n.error(InvalidInput, "error.notice_not_decision", {"field": "notice"})
        return None, None
    method = notice.method if notice else "letter"
    sent = (notice.sent_on if notice else None) or day
    where = {"field": "notice.sent_on"}
    if sent < day:
        raise i18n.error(
            InvalidInput, "error.sent_before_decision", where, sent_on=sent, decided_on=day
        )
    try:
        timelimits.check_happened(sent, today, "the decision's sending", {"key": "happened.notice"})
    except InvalidInput as e:
        e.detail.update(where)  # the page marks the input at fault
        raise
    return method, sent


def _check_decision_day(new: str, day: dt.date, filed_on: dt.date | None) -> None:
    """Refuse an approval or refusal dated before the filing (422, naming the request's `date`)."""
    if new in ("approved", "refused") and filed_on and day < filed_on:
        raise i18n.error(
            InvalidInput,
            "error.decided_before_filing",
            {"field": "date"},  # the request's member at fault (the page marks that input)
            decided_on=day,
            filed_on=filed_on,
        )


def change_state(
    conn: Connection,
    settings: Settings,
    permit_id: int,
    new: str,
    day: dt.date | None,
    version: int | None = None,
    via_case: bool = False,
    by: policy.User | None = None,
    conditions: list[str] | None = None,
    reason: str | None = None,
    notice: NoticeIn | None = None,
) -> StateChanged:
    """Step a permit's lifecycle; acceptance sets the guarantee end and its inspection.

    An approval records the conditions it is granted on, a refusal its reason; both how and
    when the decision was sent (`notice`: a letter on its day unless told).

    Each step is an event of the case's timeline, whichever endpoint took it: the states the
    application shows, the permit's own state in `permit_state`.
    """
    rec = _locked(conn, permit_id, version, via_case)
    ex.transition(rec["state"], new)
    kept, why = ex.decision(new, conditions, reason)
    today = finland.today()
    day = day or today
    said = {"key": "happened.step", "state": {"key": f"state.{new}"}}  # a lifecycle state
    timelimits.check_happened(day, today, f"the step to {new!r}", said)
    ex.check_step_date(
        new,
        day,
        starts_on=rec["starts_on"],
        last_step_on=rec["state_changed_on"],
        guarantee_ends=rec["guarantee_ends"],
        emergency=rec["emergency"],
    )
    method, sent = _notice(new, day, today, rec["filed_on"], notice)
    if new == "approved":  # the whole check again: after the step's own cheap checks
        _check_grantable(conn, settings, permit_id)
    filing = new == "submitted" and rec["state"] == "draft"  # placed, as `create` asks
    if filing and stored_check(conn, settings, permit_id).outside_data:
        raise i18n.error(Conflict, "error.dig_outside_data", {"permit_id": permit_id})
    # the rules in force on the filing day (a draft being handed in is filed on this step's day)
    filed = rec["filed_on"] or day
    ruleset = rulesets.rules_for(settings.rulesets_dir, rec["municipality"], filed)
    rules = ruleset.excavation
    accepted = day if new == "accepted" else rec["accepted_on"]
    ends = ex.guarantee_end(accepted, rules) if accepted else None
    params = {"s": new, "a": accepted, "g": ends, "d": day, "c": kept, "i": permit_id}
    params |= {"r": why if new == "refused" else None, "m": method, "n": sent}
    done = conn.execute(query("excavation_set_state"), params).one()
    cases.event(
        conn,
        permit_id,
        by,
        "state",
        on=day,
        from_state=rec["app_state"],
        to_state=done.app_state,
        permit_state=new,
        **({"conditions": kept} if kept is not None else {}),
        **({"reason": why} if why else {}),
        **({"notice": {"method": method, "sent_on": str(sent)}} if method else {}),
    )
    conn.commit()
    return StateChanged.model_validate(
        {
            "id": permit_id,
            "state": new,
            "accepted_on": accepted.isoformat() if accepted else None,
            "guarantee_ends": ends.isoformat() if ends else None,
            "inspections": ex.inspections(rec["starts_on"], rec["ends_on"], accepted, rules),
            "version": done.version,
            "conditions": done.conditions,
            "refusal_reason": done.refusal_reason,
            **claim_clock(ruleset, done.decided_on, done.notice_method, done.notice_sent_on),
        }
    )


def _work_feature(r: dict[str, Any], today: dt.date, viewer: policy.User | None) -> dict[str, Any]:
    start, end = r["phase_start"], r["phase_end"]
    status = "active" if start <= today <= end else ("planned" if start > today else "past")
    props = {
        "permit_id": r["id"],
        "kind": r["kind"],
        "state": r["state"],
        "phase": r["phase"],
        "start": r["phase_start"].isoformat(),
        "end": r["phase_end"].isoformat(),
        "on_carriageway": r["on_carriageway"],
        "status": status,
        # the applicant may be a private person: only for those who may read the permit
        "applicant": r["applicant"]
        if policy.can_view_permit(viewer, r["municipality"], r["created_by"], True)  # no drafts
        else None,
    }
    return {
        "type": "Feature",
        "geometry": to_geojson(shapely.from_wkb(bytes(r["wkb"]))),
        "properties": props,
    }


def list_geojson(
    conn: Connection,
    bbox: str | None,
    start: dt.date | None,
    end: dt.date | None,
    limit: int = 5000,
    viewer: policy.User | None = None,
) -> Works:
    """Works in a bbox (lon/lat, EPSG:4326) and period, as a GeoJSON FeatureCollection."""
    box = mapdata.bbox_3067(bbox) if bbox else crs_mod.FINLAND_BOX_3067
    start = start or dt.date(2000, 1, 1)
    end = end or dt.date(2100, 1, 1)
    if end < start:
        raise InvalidInput(f"to ({end}) is before from ({start})")
    xmin, ymin, xmax, ymax = box
    rows = fetch_all(
        conn,
        "excavation_list",
        xmin=xmin,
        ymin=ymin,
        xmax=xmax,
        ymax=ymax,
        start=start,
        end=end,
        lim=limit,
    )
    today = finland.today()
    features = [_work_feature(r, today, viewer) for r in rows]
    extent = collection_bbox(f["geometry"] for f in features)
    return Works.model_validate({"type": "FeatureCollection", "features": features, "bbox": extent})
