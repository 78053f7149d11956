"""The frozen analysis of an application: made at submission, never silently replaced.

At submission the site analysis and the neighbour list are computed on the filing date's
rules and stored with the data version (the latest import) and the rule-file version (a
digest of the files that resolved the rules). Running it again on changed data stores a
second row beside it and answers the difference; only an officer's explicit `adopt` (before
the letters go out) or manual additions and removals make a new one the frozen one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from api.i18n import LANGS
from api.schemas.analysis import SiteAnalysis
from api.schemas.applications import (
    AnalysisDiff,
    AnalysisInfo,
    FrozenAnalysis,
    Hearing,
    LiftedFlag,
    Rerun,
)
from api.schemas.neighbours import NeighbourList
from api.schemas.requests import BuildingIn, HearingNeighboursIn, RerunIn, SiteAnalysisIn
from api.services import analysis, case_hearing, cases, policy, privacy, sites
from api.services.policy import User
from api.services.privacy import Caller
from api.settings import Settings
from api.storage import models as m
from api.storage.engine import fetch_all
from geo import crs as crs_mod
from geo import regime
from geo.applications import diff as diff_mod
from geo.errors import Conflict
from geo.geometry import to_geojson
from geo.rules import Ruleset

FROZEN_PURPOSES = ("submitted", "adopted", "manual")


def rules_version(rules: Ruleset) -> tuple[str, list[str]]:
    """A digest of the rule files that resolved these rules, and their names."""
    h = hashlib.sha256()
    for where in rules.files:
        path = Path(where)
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16], [Path(f).name for f in rules.files]


def data_version(conn: Connection) -> tuple[int | None, Any]:
    """The latest import: its id and time (None when nothing was imported)."""
    rows = fetch_all(conn, "data_version")
    return (rows[0]["id"], rows[0]["finished_at"]) if rows else (None, None)


def _buildings(conn: Connection, app_id: int) -> list[BuildingIn]:
    t = m.application_building
    rows = conn.execute(select(t).where(t.c.application_id == app_id).order_by(t.c.n)).mappings()
    return [  # stored, checked when they were: not refused by a bound added since
        BuildingIn.model_construct(
            footprint=to_geojson(m.from_db(b["footprint"]), crs_mod.STORAGE_SRID),
            use=b["use"],
            floor_area_m2=b["floor_area_m2"],
            height_m=b["height_m"],
        )
        for b in rows
    ]


def _compute(conn: Connection, settings: Settings, r: dict[str, Any]) -> dict[str, Any]:
    """The site analysis and the neighbour list of the application, on its filing date."""
    ids = list(r["property_ids"] or [])
    pid = ids[0] if r["site_from_property"] and len(ids) == 1 else None
    site = None if pid else to_geojson(m.from_db(r["site"]), crs_mod.STORAGE_SRID)
    body = SiteAnalysisIn(
        property_id=pid,
        site=site,
        crs=f"EPSG:{crs_mod.STORAGE_SRID}",
        municipality=r["municipality"],
        date=r["filed_on"],
        kind=r["kind"],
        heard_by=r["heard_by"],
        letters_sent=r["filed_on"],
        buildings=_buildings(conn, r["id"]),
        existing_dwelling=r["existing_dwelling"],
    )
    doc = analysis.analyse(conn, settings, body)
    case = sites.hearing_case(doc.hearing_kind, r["heard_by"], r["filed_on"])
    if pid:
        nl = sites.neighbours_of_property(conn, settings, pid, r["filed_on"], None, case)
    else:
        nl = sites.neighbours_of_drawing(
            conn, settings, site, body.crs, r["municipality"], r["filed_on"], None, case
        )
    return {"analysis": doc.model_dump(mode="json"), "neighbour_list": nl.model_dump(mode="json")}


def _store(
    conn: Connection, settings: Settings, r: dict[str, Any], purpose: str, doc: dict[str, Any]
) -> int:
    """Store an analysis row; a frozen one becomes the application's and rebuilds its hearing."""
    rules = sites.rules(settings, r["municipality"], r["filed_on"])
    version, files = rules_version(rules)
    data_id, data_at = data_version(conn)
    new_id = conn.execute(
        insert(m.application_analysis)
        .values(
            application_id=r["id"],
            purpose=purpose,
            data_version=data_id,
            data_imported_at=data_at,
            rules_version=version,
            rules_files=files,
            document=doc,
        )
        .returning(m.application_analysis.c.id)
    ).scalar_one()
    if purpose in FROZEN_PURPOSES:
        # a new frozen list is published by no one yet: the officer publishes it again
        t = m.application
        conn.execute(
            update(t)
            .where(t.c.id == r["id"])
            .values(analysis_id=new_id, contacts_published_at=None, contacts_published_by=None)
        )
        case_hearing.rebuild(conn, settings, r["id"], doc["neighbour_list"], rules)
    return int(new_id)


def freeze(conn: Connection, settings: Settings, app_id: int, purpose: str) -> int:
    """Compute and freeze the application's analysis (at submission); return its id."""
    r = cases.row(conn, app_id)
    return _store(conn, settings, r, purpose, _compute(conn, settings, r))


def _document(conn: Connection, analysis_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    t = m.application_analysis
    r = conn.execute(select(t).where(t.c.id == analysis_id)).mappings().one()
    return dict(r), dict(r["document"] or {})


def info(conn: Connection, analysis_id: int) -> AnalysisInfo:
    """Which analysis it is: purpose, time, data and rule versions, flags and neighbour count."""
    r, doc = _document(conn, analysis_id)
    analysed = doc.get("analysis") or {}
    flags = [f["code"] for f in analysed.get("flags", [])]
    lifted = [
        LiftedFlag(
            code=e["code"],
            exemption=e["exemption"],
            legal_basis=e["legal_basis"],
            legal_basis_text={lang: regime.said_in(lang, e["legal_basis"]) for lang in LANGS},
        )
        for e in analysed.get("exemptions", [])
    ]
    listed = doc.get("neighbour_list") or {}
    site = listed.get("site") or {}
    keys = ("id", "purpose", "computed_at", "data_version", "data_imported_at", "rules_version")
    return AnalysisInfo(
        **{k: r[k] for k in keys},
        rules_files=list(r["rules_files"]),
        flags=sorted(set(flags)),
        exemptions=lifted,
        neighbours=len(listed.get("neighbours", [])),
        units=site.get("units", []),
        neighbours_of=site.get("neighbours_of", []),
        reaches=site.get("reaches", []),
    )


def frozen(conn: Connection, caller: Caller, app_id: int) -> FrozenAnalysis:
    """The frozen analysis and neighbour list, owners cut for the reader (and audited)."""
    _, _ = cases.visible(conn, caller.user, app_id)
    r = cases.row(conn, app_id)
    if r["analysis_id"] is None:
        raise Conflict(f"application {app_id} has no frozen analysis: it is made at submission")
    _, doc = _document(conn, r["analysis_id"])
    result = FrozenAnalysis(info=info(conn, r["analysis_id"]), analysis=None, neighbour_list=None)
    if doc.get("analysis"):
        sa = SiteAnalysis.model_validate(doc["analysis"])
        result.analysis = privacy.disclose_analysis(conn, caller, sa, app_id)
    if doc.get("neighbour_list"):
        nl = NeighbourList.model_validate(doc["neighbour_list"])
        result.neighbour_list = privacy.disclose_list(conn, caller, nl, app_id)
    return result


def _comparable(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "neighbours": (doc.get("neighbour_list") or {}).get("neighbours", []),
        "flags": (doc.get("analysis") or {}).get("flags", []),
    }


def _check_unfrozen(r: dict[str, Any]) -> None:
    if r["letters_frozen_at"] is not None:
        raise Conflict(f"the letters of application {r['id']} are out: its addressees are frozen")
    if r["state"] not in ("submitted", "in_review", "hearing"):
        raise Conflict(f"application {r['id']} is {r['state']!r}: its analysis cannot change")


def rerun(
    conn: Connection, settings: Settings, user: User | None, app_id: int, body: RerunIn
) -> Rerun:
    """Run the analysis again on today's data beside the frozen one; answer the difference."""
    _, a = cases.visible(conn, user, app_id)
    who = policy.check_case_actor(user, a, "authority", "run the analysis again")
    r = cases.lock(conn, app_id, body.version)
    if r["analysis_id"] is None:
        raise Conflict(f"application {app_id} has no frozen analysis: it is made at submission")
    if body.adopt:
        _check_unfrozen(r)
    old_row, old = _document(conn, r["analysis_id"])
    new = _compute(conn, settings, r)
    new_id = _store(conn, settings, r, "adopted" if body.adopt else "rerun", new)
    diff = diff_mod.analysis_diff(_comparable(old), _comparable(new))
    version = cases.bump(conn, app_id) if body.adopt else r["version"]
    cases.event(
        conn,
        app_id,
        who,
        "analysis_adopted" if body.adopt else "analysis_rerun",
        analysis_id=new_id,
        same=diff["same"],
    )
    conn.commit()
    new_info = info(conn, new_id)
    return Rerun(
        application_id=app_id,
        version=version,
        frozen=info(conn, old_row["id"]),
        rerun=new_info,
        data_changed=new_info.data_version != old_row["data_version"],
        rules_changed=new_info.rules_version != old_row["rules_version"],
        diff=AnalysisDiff.model_validate(diff),
        adopted=body.adopt,
    )


def change_neighbours(
    conn: Connection, settings: Settings, caller: Caller, app_id: int, body: HearingNeighboursIn
) -> Hearing:
    """The officer adds units to or removes units from the frozen list (each with a reason)."""
    _, a = cases.visible(conn, caller.user, app_id)
    who = policy.check_case_actor(caller.user, a, "authority", "change the neighbour list")
    r = cases.lock(conn, app_id, body.version)
    _check_unfrozen(r)
    if r["analysis_id"] is None:
        raise Conflict(f"application {app_id} has no frozen analysis: it is made at submission")
    _, doc = _document(conn, r["analysis_id"])
    nl = NeighbourList.model_validate(doc["neighbour_list"])
    case = sites.hearing_case(nl.kind, r["heard_by"], r["filed_on"])
    changed = sites.apply_manual_changes(
        conn, settings, nl, body.added, body.removed, r["filed_on"], case
    )
    _store(conn, settings, r, "manual", {**doc, "neighbour_list": changed.model_dump(mode="json")})
    cases.bump(conn, app_id)
    cases.event(
        conn,
        app_id,
        who,
        "neighbours_changed",
        added=[{"property_id": x.property_id, "reason": x.reason} for x in body.added],
        removed=[{"property_id": x.property_id, "reason": x.reason} for x in body.removed],
    )
    conn.commit()
    return case_hearing.document(conn, settings, caller, app_id)
