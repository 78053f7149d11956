"""The hearing of an application: addressees, letters, answers, and publishing the contacts.

The addressees come from the frozen neighbour list (one per recipient; a unit without a
known owner is its own, to be heard by public notice) and stay open until the letters are
sent: sending them freezes the list. Owners' names and addresses are personal data: each
reader sees them only as api.services.policy allows (an applicant once an officer has
published them, never when the authority hears), and every answer showing them is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from sqlalchemy import Connection, delete, func, insert, select, update

from api import finland, i18n
from api.schemas.applications import Hearing, HearingAddressee
from api.schemas.geojson import FeatureCollection
from api.schemas.requests import AddresseePatch, LettersIn, VersionIn
from api.services import audit, cases, policy, privacy
from api.services.policy import CaseAccess, User
from api.services.privacy import Caller
from api.settings import Settings
from api.storage import models as m
from api.storage.engine import fetch_all
from geo import cases as case_kinds
from geo import property_id, regime, timelimits
from geo.applications import hearing as hr
from geo.errors import Conflict, InvalidInput, NotFound
from geo.geometry import collection_bbox, to_geojson
from geo.hearing import notice_message
from geo.rules import Ruleset

OPEN_STATES = ("submitted", "in_review", "hearing")
T = m.hearing_addressee


def rebuild(
    conn: Connection, settings: Settings, app_id: int, nl: dict[str, Any], rules: Ruleset
) -> None:
    """Make the addressees of a (not yet sent) hearing from a neighbour list document."""
    ids = [n["property_id"] for n in nl.get("neighbours", [])]
    langs = {
        (r["property_id"], r["name"]): r["language"]
        for r in fetch_all(conn, "owner_languages", ids=ids)
    }
    found = hr.addressees(
        nl.get("neighbours", []),
        nl.get("authorities", []),
        langs,
        str(nl.get("legal_basis", "")),
        rules.neighbours.affected_radius_m,
    )
    conn.execute(delete(T).where(T.c.application_id == app_id))
    for a in found:
        conn.execute(
            insert(T).values(
                application_id=app_id,
                **{k: getattr(a, k) for k in ("n", "relation", "property_ids", "municipality")},
                **{
                    k: getattr(a, k)
                    for k in ("name", "contact_name", "address", "postal_code", "city")
                },
                owner_kind=a.owner_kind,
                language=a.language,
                reason=a.reasons.get("en", ""),
                reason_fi=a.reasons.get("fi", ""),
                reason_sv=a.reasons.get("sv", ""),
                reached=a.reached,
            )
        )


def rows(conn: Connection, app_id: int) -> list[dict[str, Any]]:
    """The stored addressees of an application, in letter order."""
    return [
        dict(r)
        for r in conn.execute(
            select(T).where(T.c.application_id == app_id).order_by(T.c.n)
        ).mappings()
    ]


def known(r: dict[str, Any]) -> bool:
    """Whether a letter can reach the addressee: a name and an address, or a public body.

    The municipality (its streets and parks) and the state (the road authority) are reached
    through their registry offices even where the register has no street address.
    """
    if r["relation"] == "authority" or r["owner_kind"] in ("municipality", "state"):
        return bool(r["name"])
    return bool(r["name"] and r["address"])


def notice_basis(filed: dt.date | None) -> str:
    """The section a public notice cites: the filing date's regime's (a draft: today's)."""
    return regime.cite(filed or finland.today(), "public_notice")


def _notice(
    rs: list[dict[str, Any]], rules: Ruleset, filed: dt.date | None
) -> tuple[bool, bool, dict[str, Any]]:
    """(over the public-notice limit, allowed at all, why as a message) for these addressees.

    The section cited is the filing date's (a draft: today's), as `notice_basis`.
    """
    units = {p for r in rs if r["relation"] != "authority" for p in r["property_ids"]}
    over = len(units) > rules.hearing.public_notice_over
    unknown = sum(1 for r in rs if not known(r))
    why = notice_message(len(units), unknown, rules.hearing, filed or finland.today())
    return over, over or unknown > 0, why


def _addressee(r: dict[str, Any], show: bool, over: bool, today: dt.date) -> HearingAddressee:
    ids = list(r["property_ids"])
    personal: dict[str, Any] = {
        k: r[k] if show else None
        for k in ("contact_name", "address", "postal_code", "city", "remarks")
    }
    return HearingAddressee(
        **{k: r[k] for k in ("id", "n", "relation", "reached", "reason", "reason_fi", "reason_sv")},
        language=r["language"] if show or r["name"] is None else None,  # the owner's, withheld
        **{k: r[k] for k in ("status", "status_on", "letter_sent_on", "reminded_on", "deadline")},
        **personal,
        property_id=ids[0] if ids else None,
        property_ids=ids,
        property_ids_short=[property_id.short(p) for p in ids],
        kind=r["owner_kind"],
        name=r["name"] if show else None,
        withheld=not show and r["name"] is not None,
        address_known=known(r),
        done=r["status"] in hr.DONE,
        non_responder=hr.is_non_responder(r["status"], r["deadline"], today),
        public_notice_allowed=over or not known(r),
    )


def frozen_analysis(conn: Connection, r: dict[str, Any]) -> dict[str, Any]:
    """The site analysis frozen at filing ({} before it)."""
    if r["analysis_id"] is None:
        return {}
    t = m.application_analysis
    doc = conn.execute(select(t.c.document).where(t.c.id == r["analysis_id"])).scalar_one() or {}
    return dict(doc.get("analysis") or {})


def legal_basis(r: dict[str, Any], analysis: dict[str, Any]) -> str | None:
    """The hearing's legal basis: the frozen `analysis`' hearing kind in the filing date's regime."""
    if r["analysis_id"] is None or r["filed_on"] is None:
        return None
    kind = analysis.get("hearing_kind") or r["kind"]
    return case_kinds.hearing_basis(kind, regime.for_date(r["filed_on"]))


def _fee_kinds(r: dict[str, Any], analysis: dict[str, Any]) -> set[str]:
    """The case kinds the letter fee is judged by: the application's, and the decisions needed.

    Those its frozen analysis found: a building permit on a shore needing a deviation is
    heard, and charged, as a deviation, as the estimate before filing said.
    """
    return {r["kind"], *(analysis.get("decisions_needed") or [])}


def _personal(x: dict[str, Any]) -> bool:
    return policy.is_personal(x["owner_kind"]) and x["owner_kind"] != hr.UNKNOWN


def shows(x: dict[str, Any], user: policy.User | None, published: str | None) -> bool:
    """Whether `user` sees who an addressee is (its owners: `policy.can_see_owners`)."""
    return not _personal(x) or policy.can_see_owners(user, x["municipality"], published)


def _visible_rows(
    conn: Connection, caller: Caller, r: dict[str, Any], rs: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], bool]]:
    """Each addressee with whether this reader sees who it is; what they see is audited."""
    published = privacy.published_for(conn, caller.user, r["id"])
    out, shown = [], []
    for x in rs:
        show = shows(x, caller.user, published)
        out.append((x, show))
        if _personal(x) and show and x["name"]:
            shown += list(x["property_ids"])
    audit.record(conn, caller.user, caller.endpoint, shown, r["id"])
    return out


def _fee(
    r: dict[str, Any], rs: list[dict[str, Any]], rules: Ruleset, kinds: set[str]
) -> tuple[int, int, Any, dict[str, Any] | None]:
    """(letters sent, charged, euros, note as a message) of the hearing so far (`_fee_kinds`)."""
    sent = [x for x in rs if x["letter_sent_on"] is not None]
    road = sum(1 for x in sent if x["relation"] == "authority")
    charged, cost, note = hr.letter_fee(
        len(sent), road, rules.hearing, rules.fees, kinds, r["heard_by"]
    )
    return len(sent), charged, cost, note


def document(conn: Connection, settings: Settings, caller: Caller, app_id: int) -> Hearing:
    """The hearing as this reader may see it."""
    cases.visible(conn, caller.user, app_id)
    r = cases.row(conn, app_id)
    rules = cases.rules_of(settings, r)
    rs = rows(conn, app_id)
    over, allowed, why = _notice(rs, rules, r["filed_on"])
    analysis = frozen_analysis(conn, r)  # read once: the fee's kinds and the legal basis
    letters, charged, cost, note = _fee(r, rs, rules, _fee_kinds(r, analysis))
    today = finland.today()
    shown = _visible_rows(conn, caller, r, rs)
    statuses = [(x["status"], x["deadline"]) for x in rs]
    running = [d for s, d in statuses if d and s in hr.STARTS_PERIOD]
    sent_days = [x["letter_sent_on"] for x in rs if x["letter_sent_on"]]
    doc = Hearing(
        application_id=app_id,
        version=r["version"],
        heard_by=r["heard_by"],
        complete=hr.complete(statuses, today),
        letters_sent=r["letters_frozen_at"] is not None,
        letters_sent_on=min(sent_days) if sent_days else None,
        neighbours=len({p for x in rs if x["relation"] != "authority" for p in x["property_ids"]}),
        letters=letters,
        letters_charged=charged,
        fee_per_letter_eur=rules.hearing.fee_per_letter_eur,
        hearing_cost_eur=cost,
        hearing_cost_note=i18n.render("en", note) if note else None,
        deadline=max(running) if running else None,
        earliest_decision_date=hr.earliest_decision(statuses),
        public_notice_allowed=allowed,
        public_notice_reason=i18n.render("en", why),
        non_responders=sum(1 for x in rs if hr.is_non_responder(x["status"], x["deadline"], today)),
        contacts_requested=r["contacts_requested_at"] is not None,
        contacts_published=r["contacts_published_at"] is not None,
        legal_basis=legal_basis(r, analysis),
        addressees=[_addressee(x, show, over, today) for x, show in shown],
    )
    doc._messages = {"hearing_cost_note": note, "public_notice_reason": why}
    return doc


def _open_case(r: dict[str, Any]) -> None:
    if r["state"] not in OPEN_STATES:
        raise Conflict(f"application {r['id']} is {r['state']!r}: its hearing is closed")


def _hearer(user: User | None, a: CaseAccess, heard_by: str, what: str) -> User:
    """The authority hears; when the applicant hears, the applicant records it too."""
    if heard_by == "applicant":
        try:
            return policy.check_case_actor(user, a, "applicant", what)
        except policy.Forbidden:
            pass
    return policy.check_case_actor(user, a, "authority", what)


def _store_fee(conn: Connection, settings: Settings, app_id: int) -> dict[str, Any]:
    r = cases.row(conn, app_id)
    rules = cases.rules_of(settings, r)
    kinds = _fee_kinds(r, frozen_analysis(conn, r))
    _, charged, cost, _ = _fee(r, rows(conn, app_id), rules, kinds)
    return {"letters_charged": charged, "hearing_fee_eur": cost}


def send_letters(
    conn: Connection, settings: Settings, caller: Caller, app_id: int, body: LettersIn
) -> Hearing:
    """Send the letters: the addressees freeze, each reachable one is `letter_sent` with its deadline."""
    _, a = cases.visible(conn, caller.user, app_id)
    who = _hearer(caller.user, a, body.heard_by, "send the hearing letters")
    r = cases.lock(conn, app_id, body.version, required=False)  # issue 11's body has none
    _open_case(r)
    if r["letters_frozen_at"] is not None and body.heard_by != r["heard_by"]:
        raise Conflict(
            f"the letters went out with heard_by={r['heard_by']!r}; it cannot change now"
        )
    if body.sent < r["filed_on"]:
        raise i18n.error(
            InvalidInput, "error.sent_before_filing", sent=body.sent, filed_on=r["filed_on"]
        )
    timelimits.check_happened(
        body.sent, finland.today(), "the letters (sent)", {"key": "happened.letters"}
    )
    rules = cases.rules_of(settings, r)
    todo = [x for x in rows(conn, app_id) if x["status"] == "open" and known(x)]
    if not todo:
        raise Conflict(f"application {app_id} has no open addressee with a known address")
    left: list[dict[str, Any]] = []
    if body.heard_by == "authority":
        # The authority's letters are printed by the sender: one whose owners this officer may
        # not see (a unit of another municipality, added by hand) cannot be printed by them,
        # so it stays open, uncharged, for someone who may see it.
        published = privacy.published_for(conn, caller.user, app_id)
        left = [x for x in todo if not shows(x, caller.user, published)]
        todo = [x for x in todo if shows(x, caller.user, published)]
    if not todo:
        raise Conflict(
            f"every open addressee of application {app_id} is a unit whose owners you may not "
            "see (another municipality's): an administrator sends those letters",
            withheld=len(left),
        )
    due = hr.deadline(body.sent, rules.hearing)
    for x in todo:
        conn.execute(
            update(T)
            .where(T.c.id == x["id"])
            .values(
                status="letter_sent",
                status_on=body.sent,
                letter_sent_on=body.sent,
                deadline=due,
                updated_at=func.now(),
                updated_by=who.id,
            )
        )
    state = "hearing" if r["state"] in ("submitted", "in_review") else r["state"]
    cases.bump(
        conn,
        app_id,
        heard_by=body.heard_by,
        state=state,
        letters_frozen_at=r["letters_frozen_at"] or func.now(),
        **_store_fee(conn, settings, app_id),
    )
    cases.event(
        conn,
        app_id,
        who,
        "letters_sent",
        on=body.sent,
        from_state=r["state"],
        to_state=state,
        letters=len(todo),
        left_open=len(left),
        heard_by=body.heard_by,
        deadline=due.isoformat(),
    )
    conn.commit()
    return document(conn, settings, caller, app_id)


def _change_values(x: dict[str, Any], body: AddresseePatch, rules: Ruleset) -> dict[str, Any]:
    values: dict[str, Any] = {
        "status": body.status,
        "status_on": body.date,
        "updated_at": func.now(),
    }
    if body.status in hr.STARTS_PERIOD:
        values["deadline"] = hr.deadline(body.date, rules.hearing)
    if body.status == "letter_sent":
        values["letter_sent_on"] = body.date
    if body.status == "reminded":
        values["reminded_on"] = body.date
    if body.remarks is not None or body.status == "answered_remarks":
        values["remarks"] = body.remarks
    return values


def change_addressee(
    conn: Connection,
    settings: Settings,
    caller: Caller,
    app_id: int,
    addressee_id: int,
    body: AddresseePatch,
) -> Hearing:
    """Record one addressee's status (an answer, a reminder, a public notice) with its day."""
    _, a = cases.visible(conn, caller.user, app_id)
    r0 = cases.row(conn, app_id)
    who = (
        policy.check_case_actor(caller.user, a, "authority", "hear by notice or by the authority")
        if body.status in hr.AUTHORITY_ONLY
        else _hearer(caller.user, a, r0["heard_by"], "record the hearing")
    )
    r = cases.lock(conn, app_id, body.version, required=False)  # issue 11's body has none
    _open_case(r)
    rs = rows(conn, app_id)
    x = next((y for y in rs if y["id"] == addressee_id), None)
    if x is None:
        raise NotFound(
            f"application {app_id} has no addressee {addressee_id}", addressee_id=addressee_id
        )
    if body.date < r["filed_on"]:
        raise i18n.error(
            InvalidInput, "error.date_before_filing", day=body.date, filed_on=r["filed_on"]
        )
    timelimits.check_happened(
        body.date,
        finland.today(),
        f"the status {body.status!r}",
        {"key": "happened.status"},
    )
    rules = cases.rules_of(settings, r)
    basis = notice_basis(r["filed_on"])
    over, _, _ = _notice(rs, rules, r["filed_on"])
    change = hr.Change(body.status, body.date, body.remarks, over or not known(x), basis)
    hr.check_change(x["status"], x["letter_sent_on"], change)
    values = {**_change_values(x, body, rules), "updated_by": who.id}
    conn.execute(update(T).where(T.c.id == addressee_id).values(**values))
    extra: dict[str, Any] = {}
    if body.status == "letter_sent":
        extra = {
            "letters_frozen_at": r["letters_frozen_at"] or func.now(),
            **_store_fee(conn, settings, app_id),
        }
        extra["state"] = "hearing" if r["state"] != "hearing" else r["state"]
    cases.bump(conn, app_id, **extra)
    cases.event(
        conn,
        app_id,
        who,
        "hearing_status",
        on=body.date,
        addressee=x["n"],
        status=body.status,
        previous=x["status"],
    )
    conn.commit()
    return document(conn, settings, caller, app_id)


def request_contacts(
    conn: Connection, settings: Settings, caller: Caller, app_id: int, body: VersionIn
) -> Hearing:
    """The applicant asks for the owners' contacts to hear the neighbours themselves (N8, N9)."""
    _, a = cases.visible(conn, caller.user, app_id)
    who = policy.check_case_actor(caller.user, a, "applicant", "ask for the owners' contacts")
    r = cases.lock(conn, app_id, body.version)
    _open_case(r)
    if r["letters_frozen_at"] is not None and r["heard_by"] == "authority":
        raise Conflict("the authority hears the neighbours: their contacts are not published (N9)")
    cases.bump(conn, app_id, heard_by="applicant", contacts_requested_at=func.now())
    cases.event(conn, app_id, who, "contacts_requested")
    conn.commit()
    return document(conn, settings, caller, app_id)


def publish_contacts(
    conn: Connection, settings: Settings, caller: Caller, app_id: int, body: VersionIn
) -> Hearing:
    """The officer publishes the owners' contacts to the applicant, who asked for them.

    Refused when the authority hears the neighbours (domain.md N9): then nothing is published.
    """
    _, a = cases.visible(conn, caller.user, app_id)
    who = policy.check_case_actor(caller.user, a, "authority", "publish the owners' contacts")
    r = cases.lock(conn, app_id, body.version, required=False)  # issue 11 gives no body
    _open_case(r)
    if r["heard_by"] == "authority":
        raise Conflict(
            "the authority hears the neighbours: their contacts are not published to the "
            "applicant (domain.md N9)",
            heard_by="authority",
        )
    if r["contacts_requested_at"] is None:
        raise Conflict(
            "the applicant has not asked for the contacts (POST .../hearing/request-contacts)"
        )
    cases.bump(conn, app_id, contacts_published_at=func.now(), contacts_published_by=who.id)
    cases.event(conn, app_id, who, "contacts_published")
    conn.commit()
    return document(conn, settings, caller, app_id)


def hearing_map(conn: Connection, user: User | None, app_id: int) -> FeatureCollection:
    """The site and every addressee's units as GeoJSON, with the status (no names): the map."""
    cases.visible(conn, user, app_id)
    r = cases.row(conn, app_id)
    rs = rows(conn, app_id)
    ids = sorted({p for x in rs for p in x["property_ids"]})
    geoms = {
        g["property_id"]: shapely.from_wkb(bytes(g["wkb"]))
        for g in (fetch_all(conn, "application_units", ids=ids) if ids else [])
    }
    today = finland.today()
    features: list[dict[str, Any]] = []
    for x in rs:
        for p in x["property_ids"]:
            if p not in geoms:
                continue
            props = {
                "role": "addressee",
                "property_id": p,
                "property_id_short": property_id.short(p),
                "addressee_id": x["id"],
                "n": x["n"],
                "relation": x["relation"],
                "status": x["status"],
                "done": x["status"] in hr.DONE,
                "non_responder": hr.is_non_responder(x["status"], x["deadline"], today),
            }
            features.append(
                {"type": "Feature", "geometry": to_geojson(geoms[p]), "properties": props}
            )
    # the site last, so that it is drawn over its neighbours
    site = to_geojson(m.from_db(r["site"]))
    features.append({"type": "Feature", "geometry": site, "properties": {"role": "site"}})
    extent = collection_bbox(f["geometry"] for f in features)  # RFC 7946 5 (issue 15)
    return FeatureCollection.model_validate(
        {"type": "FeatureCollection", "features": features, "bbox": extent}
    )
