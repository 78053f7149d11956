"""A case's decision document (päätös) as PDF, for everyone who may read the case.

A building case's decision is the recorded one (`decision`), made known by its posting; a dig
or area-use permit's is its approval or refusal (`works`), sent to its applicant. Nothing in it
is an owner's personal data: it names the applicants, as the case does to its readers.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection

from api import finland, i18n
from api.documents import decision as decision_doc
from api.documents.texts import Planned
from api.schemas.applications import Application
from api.services import case_letters, case_view, cases, mapdata
from api.services.policy import User
from api.settings import Settings
from api.storage import models as m
from geo.errors import Conflict
from geo.rules import Ruleset


def _moved(known: dt.date, days: int, ends: dt.date) -> dt.date | None:
    """The period's nominal last day where a day off moved it (Act 150/1930 5 §), else None."""
    nominal = known + dt.timedelta(days=days)
    return nominal if nominal != ends else None


def _works_terms(doc: Application, rules: Ruleset) -> decision_doc.Terms:
    """A dig or area-use permit's decision: its approval or refusal, sent to its applicant."""
    w = doc.works
    if (
        w is None
        or w.decided_on is None
        or w.notice_method is None
        or w.notice_sent_on is None
        or w.notice_received_on is None
        or w.claim_ends_on is None
    ):
        raise i18n.error(Conflict, "error.no_decision", id=str(doc.id))
    refused = w.permit_state == "refused"
    days = rules.decisions.rectification_days
    return decision_doc.Terms(
        outcome="refused" if refused else "granted",
        decided_by="inspector",
        decided_on=w.decided_on,
        notice=decision_doc.Notice(w.notice_method, w.notice_sent_on, w.notice_received_on),
        conditions=None if refused or w.conditions is None else tuple(w.conditions),
        reason=w.refusal_reason,
        works=(w.starts_on, w.ends_on),
        appeal_kind="rectification",
        appeal_days=days,
        appeal_ends_on=w.claim_ends_on,
        appeal_moved_from=_moved(w.notice_received_on, days, w.claim_ends_on),
        legally_valid_on=w.legally_valid_on,
        withdrawn_on=w.withdrawn_on,
    )


def _case_terms(doc: Application) -> decision_doc.Terms:
    """A building case's recorded decision, made known by its posting."""
    d = doc.decision
    if d is None:
        raise i18n.error(Conflict, "error.no_decision", id=str(doc.id))
    return decision_doc.Terms(
        outcome=d.outcome,
        decided_by=d.decided_by,
        decided_on=d.decided_on,
        notice=decision_doc.Notice("posted", d.posted_on, d.posted_on),
        conditions=tuple(d.conditions),
        reason=d.reasons,
        works=None,
        appeal_kind=d.appeal_kind,
        appeal_days=d.appeal_days,
        appeal_ends_on=d.appeal_ends_on,
        appeal_moved_from=_moved(d.posted_on, d.appeal_days, d.appeal_ends_on),
        legally_valid_on=d.legally_valid_on,
        appealed_on=d.appealed_on,
        ruling=(d.ruling_by, d.ruling_on, d.ruling_reference)
        if d.ruling_by and d.ruling_on
        else None,
        final=d.valid_after_appeal,
        start_by=d.start_by,
        finish_by=d.finish_by,
        valid_until=d.valid_until,
    )


def document(
    conn: Connection, settings: Settings, user: User | None, app_id: int, lang: str
) -> bytes:
    """The decision as PDF in `lang` (401 anonymous, 404 not the reader's, 409 not decided)."""
    doc = case_view.get(conn, settings, user, app_id, lang)  # 401, 404 before any work
    r = cases.row(conn, app_id)
    rules = cases.rules_of(settings, r)
    works = doc.works is not None
    terms = _works_terms(doc, rules) if works else _case_terms(doc)
    site = m.from_db(r["site"])
    shown = None
    if site is not None:
        frame = decision_doc.MAP_MM
        attribution = mapdata.attribution(conn)
        shown = case_letters.map_data(conn, site, {}, site, frame, attribution, lang)
    x = decision_doc.DecisionDoc(
        language=lang,
        application_id=app_id,
        kind=r["kind"],
        regime=r["regime"],
        municipality=doc.municipality_name,
        # the building control's address (the rule file's for remarks); a dig's office has none
        claims_to="" if works else rules.hearing.reply_to(),
        applicants=(doc.applicant,) if works and doc.applicant else case_view.applicants(conn, r),
        site_ids=tuple(doc.property_ids_short),
        description=doc.description,
        buildings=tuple(Planned(b.use, b.floor_area_m2, b.height_m) for b in doc.buildings),
        filed_on=doc.filed_on,
        map=shown,
        printed_on=finland.today(),
        terms=terms,
    )
    return decision_doc.decision_pdf(x)
