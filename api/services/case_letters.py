"""The hearing's PDFs: the letters (one per addressee) and the package; the data gathered here.

Letters carry the recipients' names and addresses, so only the municipality's officer prints
them, or the applicant once the contacts were published to them (they hear the neighbours
themselves); every print is audited like any other read of owner data.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from api import finland, i18n
from api.documents import letters as letters_doc
from api.documents import package as package_doc
from api.documents import sitemap
from api.documents.texts import Planned
from api.schemas.applications import HearingAddressee
from api.services import (
    audit,
    case_analysis,
    case_hearing,
    case_view,
    cases,
    mapdata,
    policy,
    privacy,
)
from api.services.privacy import Caller
from api.settings import Settings
from api.storage import models as m
from api.storage.engine import fetch_all
from geo import property_id
from geo.applications import hearing as hr
from geo.errors import Conflict, NotFound

# a letter's full map (a long letter's is shorter: letters_doc.map_height_mm)
LETTER_FRAME_MM = (letters_doc.MAP_W_MM, letters_doc.MAP_H_MM)
NO_MAP = sitemap.MapData(site=shapely.Point(0, 0), units=())  # a letter measured before its map
PACKAGE_FRAME_MM = (170.0, 120.0)


def _unit_geoms(conn: Connection, ids: list[str]) -> dict[str, BaseGeometry]:
    rows = fetch_all(conn, "application_units", ids=ids) if ids else []
    return {r["property_id"]: shapely.from_wkb(bytes(r["wkb"])) for r in rows}


def map_data(
    conn: Connection,
    site: BaseGeometry,
    roles: dict[str, tuple[str, bool]],
    focus: BaseGeometry,
    frame: tuple[float, float],
    attribution: str,
    lang: str,
    reader: BaseGeometry | None = None,
) -> sitemap.MapData:
    """The units and roads around the focus, each unit with its role ((role, flagged) by id).

    A letter's map shows its reader's own units (`reader`) as well, whatever the site's size.
    Streets are named in the reader's language where they have a name in it (Swedish), else
    in Finnish.
    """
    at, scale = sitemap.fit(site, focus, frame[0], frame[1], 8.0, reader)
    xmin, ymin, xmax, ymax = sitemap.window(at, scale, frame[0], frame[1])
    box = {"xmin": xmin, "ymin": ymin, "xmax": xmax, "ymax": ymax}
    units = []
    for r in fetch_all(conn, "application_map_parcels", **box):
        pid = r["property_id"]
        role, flagged = roles.get(pid, ("", False))
        if not role:
            role = (
                ("street" if r["public_type"] == "street" else "public")
                if r["kind"] == "public"
                else "parcel"
            )
        label = property_id.short(pid) if pid in roles else None
        units.append(sitemap.Unit(shapely.from_wkb(bytes(r["wkb"])), role, label, flagged))
    roads = tuple(
        ((lang == "sv" and r["name_sv"]) or r["name_fi"], shapely.from_wkb(bytes(r["wkb"])))
        for r in fetch_all(conn, "application_map_roads", **box)
    )
    return sitemap.MapData(
        site=site,
        units=tuple(units),
        roads=roads,
        focus=focus,
        reader=reader,
        attribution=attribution,
    )


def _check_printer(
    conn: Connection, caller: Caller, r: dict[str, Any]
) -> tuple[policy.User, str | None]:
    """The printer, and the municipality whose owners were published to them (if any)."""
    who, _ = cases.visible(conn, caller.user, r["id"])
    published = privacy.published_for(conn, who, r["id"])
    if policy.is_permit_officer(who, r["municipality"]) or published:
        return who, published
    raise i18n.error(policy.Forbidden, "error.letters_officer_only")


def planned(conn: Connection, app_id: int) -> tuple[Planned, ...]:
    """The application's planned buildings as its letters and package name them."""
    return tuple(
        Planned(b.use, b.floor_area_m2, b.height_m) for b in case_view.buildings(conn, app_id)
    )


def _letter(
    r: dict[str, Any],
    x: dict[str, Any],
    total: int,
    basis: str,
    rules: Any,
    data: sitemap.MapData,
    project: tuple[Planned, ...],
    applicants: tuple[str, ...],
) -> letters_doc.Letter:
    sent = x["letter_sent_on"] or finland.today()
    due = x["deadline"] if x["letter_sent_on"] else hr.deadline(sent, rules.hearing)
    lang = x["language"]
    reasons = {"fi": x["reason_fi"], "sv": x["reason_sv"]}.get(lang, x["reason_fi"])
    units = tuple(property_id.short(p) for p in x["property_ids"])
    reasons = hr.own_reasons(reasons, units)  # the letter names its unit just above
    return letters_doc.Letter(
        language=lang,
        municipality=rules.name_sv if lang == "sv" else rules.name,
        reply_address=rules.hearing.reply_address,
        reply_email=rules.hearing.reply_email,
        application_id=r["id"],
        kind=r["kind"],
        regime=r["regime"],
        site_ids=tuple(property_id.short(p) for p in r["property_ids"] or []),
        description=r["description"],
        **{k: x[k] for k in ("name", "contact_name", "address", "postal_code", "city")},
        property_ids=units,
        reasons=reasons,
        legal_basis=basis,
        sent=sent,
        deadline=due,
        n=x["n"],
        total=total,
        map=data,
        draft=not x["letter_sent_on"],
        buildings=project,
        applicants=applicants,
    )


def letters(
    conn: Connection, settings: Settings, caller: Caller, app_id: int, addressee_id: int | None
) -> bytes:
    """The letters of the hearing as one PDF (or one addressee's); audited."""
    r = cases.row(conn, app_id)
    who, published = _check_printer(conn, caller, r)
    everyone = case_hearing.rows(conn, app_id)
    rows = [x for x in everyone if addressee_id in (None, x["id"])]
    if addressee_id is not None and not rows:
        raise i18n.error(
            NotFound,
            "error.no_addressee",
            {"addressee_id": addressee_id},
            id=str(app_id),
            n=str(addressee_id),
        )
    # the owners this printer may see, as the hearing document shows them (an officer: those
    # of units in the officer's municipality), and no others: a unit added by hand elsewhere
    rows = [x for x in rows if case_hearing.shows(x, who, published)]
    if addressee_id is not None and not rows:
        raise i18n.error(policy.Forbidden, "error.addressee_not_yours", n=str(addressee_id))
    reachable = [x for x in rows if case_hearing.known(x)]
    if not reachable:
        raise i18n.error(Conflict, "error.no_known_address", id=str(app_id))
    rules = cases.rules_of(settings, r)
    site = m.from_db(r["site"])
    geoms = _unit_geoms(conn, sorted({p for x in reachable for p in x["property_ids"]}))
    others = {p: ("neighbour", False) for x in everyone for p in x["property_ids"]}
    basis = case_hearing.legal_basis(r, case_hearing.frozen_analysis(conn, r)) or ""
    attribution = mapdata.attribution(conn)
    project = planned(conn, app_id)
    named: dict[Any, tuple[str, ...]] = {}  # by the day each letter was sent (None: a draft)
    out = []
    for x in reachable:
        mine = [geoms[p] for p in x["property_ids"] if p in geoms]
        focus = shapely.union_all([site, *mine])
        roles = {**others, **{p: ("recipient", False) for p in x["property_ids"]}}
        reader = shapely.union_all(mine) if mine else None
        sent = x["letter_sent_on"]  # named as when it was mailed, printed again later
        if sent not in named:
            named[sent] = case_view.applicants(conn, r, sent)
        # measured without its map first: a long letter gets a shorter map (its slip on its page)
        bare = _letter(r, x, len(everyone), basis, rules, NO_MAP, project, named[sent])
        height = letters_doc.map_height_mm(bare, focus)
        frame = (letters_doc.MAP_W_MM, height)
        data = map_data(conn, site, roles, focus, frame, attribution, x["language"], reader)
        out.append(dataclasses.replace(bare, map=data, map_height_mm=height))
    personal = [
        p for x in reachable if policy.is_personal(x["owner_kind"]) for p in x["property_ids"]
    ]
    audit.record(conn, who, caller.endpoint, personal, app_id)
    return letters_doc.letters_pdf(out)


def _reaches(conn: Connection, r: dict[str, Any]) -> tuple[tuple[str, float], ...]:
    """The units (not the applicant's) the filed drawing reaches into, with its m² on each."""
    if r["analysis_id"] is None:
        return ()
    return tuple(
        (u.property_id_short, float(u.overlap_m2 or 0.0))
        for u in case_analysis.info(conn, r["analysis_id"]).reaches
    )


def package(conn: Connection, settings: Settings, caller: Caller, app_id: int, lang: str) -> bytes:
    """The hearing package (names as the reader may see them; the hearing document audits it)."""
    doc = case_hearing.document(conn, settings, caller, app_id)
    r = cases.row(conn, app_id)
    rules = cases.rules_of(settings, r)
    site = m.from_db(r["site"])
    if site is None:
        raise i18n.error(Conflict, "error.no_site", id=str(app_id))
    roles = {p: (a.status, a.non_responder) for a in doc.addressees for p in a.property_ids}
    geoms = _unit_geoms(conn, sorted(roles))
    focus = shapely.union_all([site, *geoms.values()])
    data = map_data(conn, site, roles, focus, PACKAGE_FRAME_MM, mapdata.attribution(conn), lang)
    rows = tuple(
        package_doc.Row(
            a.n,
            tuple(a.property_ids_short),
            hr.shown_relation(a.relation, "reaches" if a.reached else None),
            a.name,
            a.withheld,
            a.status,
            a.status_on,
            a.deadline,
            a.non_responder,
            _address(a),
            _reason(a, lang),
        )
        for a in doc.addressees
    )
    p = package_doc.Package(
        language=lang,
        application_id=app_id,
        kind=r["kind"],
        municipality=rules.name_sv if lang == "sv" else rules.name,
        reply_to=rules.hearing.reply_to(),
        site_ids=tuple(property_id.short(x) for x in r["property_ids"] or []),
        reaches=_reaches(conn, r),
        filed_on=r["filed_on"],
        regime=r["regime"],
        legal_basis=doc.legal_basis,
        heard_by=doc.heard_by,
        letters=doc.letters,
        cost_eur=doc.hearing_cost_eur,
        deadline=doc.deadline,
        earliest=doc.earliest_decision_date,
        complete=doc.complete,
        neighbours=doc.neighbours,
        notice_over=rules.hearing.public_notice_over,
        notice_basis=case_hearing.notice_basis(r["filed_on"]),
        unknown=sum(1 for a in doc.addressees if not a.address_known),
        rows=rows,
        map=data,
        printed_on=finland.today(),
        applicants=case_view.applicants(conn, r),
        filed_by=case_view.filed_by(conn, r),
        description=r["description"],
        buildings=planned(conn, app_id),
    )
    return package_doc.package_pdf(p)


def _reason(a: HearingAddressee, lang: str) -> str:
    """Why an addressee is heard, in `lang`; without the unit's id when it is the only one."""
    said = {"fi": a.reason_fi, "sv": a.reason_sv}.get(lang, a.reason)
    return hr.own_reasons(said, a.property_ids_short)


def _address(a: HearingAddressee) -> str | None:
    """The addressee's postal address as one line (None where unknown or withheld from the reader)."""
    if a.withheld or not a.address:
        return None
    return ", ".join(x for x in (a.address, f"{a.postal_code or ''} {a.city or ''}".strip()) if x)
