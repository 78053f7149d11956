"""The hearing of an application, one addressee at a time (domain.md N5-N9).

One addressee gets one letter however many of the neighbouring units they own; an estate
is heard through its contact. Each addressee moves open → letter_sent → reminded → one of
the answers, a public notice or the authority's own hearing; the hearing is complete when
every addressee is done. Deadlines follow the letters' dates (geo.hearing.deadlines: 7 days'
delivery, the hearing period, Act 150/1930 5 §).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from geo import hearing as letters_mod
from geo import timelimits
from geo.errors import Conflict, InvalidInput
from geo.money import dec, money
from geo.neighbours import ACROSS_FI, across_label
from geo.rules import FeeRules, HearingRules

STATUSES = (
    "open",
    "letter_sent",
    "reminded",
    "answered_no_remarks",
    "answered_remarks",
    "consented",
    "heard_by_public_notice",
    "heard_by_authority",
)
DONE = frozenset(
    {
        "answered_no_remarks",
        "answered_remarks",
        "consented",
        "heard_by_public_notice",
        "heard_by_authority",
    }
)
WAITING = frozenset({"letter_sent", "reminded"})  # a letter is out and no answer yet
# Statuses whose date starts a period the decision must wait for.
STARTS_PERIOD = frozenset({"letter_sent", "reminded", "heard_by_public_notice"})
NEXT: dict[str, frozenset[str]] = {
    "open": frozenset(DONE | {"letter_sent"}),
    "letter_sent": frozenset(DONE | {"reminded"}),
    "reminded": frozenset(DONE | {"reminded"}),
    # an answer recorded wrongly can be corrected to another answer
    **{s: frozenset(DONE - {s}) for s in DONE},
}
AUTHORITY_ONLY = frozenset({"heard_by_public_notice", "heard_by_authority"})
RELATION_ORDER = {
    "reaches": -1,
    "adjacent": 0,
    "opposite": 1,
    "affected": 2,
    "manual": 3,
    "authority": 4,
}
UNKNOWN = "unknown"  # the owner kind of a unit without a known owner


@dataclass
class Addressee:
    """One letter's recipient: who, about which units, why, and in which language."""

    n: int
    relation: str
    property_ids: list[str]
    municipality: str | None
    owner_kind: str
    name: str | None
    contact_name: str | None = None
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    language: str = "fi"
    reasons: dict[str, str] = field(default_factory=dict)  # "en", "fi", "sv"
    reached: bool = False  # the drawn site lies on one of its units (shown_relation "reaches")

    @property
    def address_known(self) -> bool:
        """Whether a letter can reach them (a name and a street address)."""
        return bool(self.name and self.address)


def shown_relation(relation: str, reason_code: str | None) -> str:
    """The relation a reader is shown: "reaches" for a unit the drawn site lies on.

    Such a unit (not the applicant's own) is stored as "adjacent", a contract other tools read;
    the tables, the lists and the package say that the drawing lies on it, not merely that it
    borders the site.
    """
    return "reaches" if relation == "adjacent" and reason_code == "reaches" else relation


def row_relation(n: Mapping[str, Any]) -> str:
    """`shown_relation` of a neighbour list's row (a dict with `relation` and `reason_code`)."""
    return shown_relation(n["relation"], n.get("reason_code"))


def after_relation(reason: str, label: str) -> str:
    """A reason without the relation's label it opens with, where it does.

    A table shows the relation in a column of its own; the letters' reasons open with it
    ("vastapäätä, tien/kadun yli (Kumpulantie), 18,0 m"), which said beside it is said twice.
    Only a whole word is taken off ("viereinen" is not taken off "viereiset …").
    """
    n = len(label)
    if label and reason[:n].lower() == label.lower() and reason[n : n + 1] in ("", " ", ",", ":"):
        return reason[n:].lstrip(" ,:")
    return reason


def _num(x: float) -> str:
    """A length in the letters' Finnish and Swedish style: one decimal, decimal comma."""
    return f"{x:.1f}".replace(".", ",")


ACROSS_SV = {"road": "vägen/gatan", "water": "vattnet", "park": "parkremsan"}


def unit_reasons(n: dict[str, Any], basis: str, radius_m: float) -> dict[str, str]:
    """Why one unit is heard, in English, Finnish and Swedish (from the relation's evidence).

    A unit a drawing reaches into, one whose reason names such a unit it borders and an opposite
    unit keep the reasons their row was written with (the letter says what the list says: the
    m² of the drawing on it, the plots it borders or faces, the street in the reader's words).
    Rows written before a row had its Swedish reason are said here, in the list's words.
    """
    rel = n["relation"]
    via = n.get("via_property_id") or n.get("via_property_ids")  # ids: also with the site
    kept = n.get("reason_code") == "reaches" or via or rel == "opposite"
    if rel in ("adjacent", "opposite") and kept and n.get("reason_fi") and n.get("reason_sv"):
        return {"en": str(n.get("reason", "")), "fi": n["reason_fi"], "sv": n["reason_sv"]}
    if rel == "adjacent" and n.get("contact") == "edge":
        m = _num(float(n.get("shared_boundary_m") or 0.0))
        fi, sv = (
            f"yhteistä rajaa rakennuspaikan kanssa {m} m",
            f"gemensam gräns med byggplatsen {m} m",
        )
    elif rel == "adjacent":
        fi = "rajautuu rakennuspaikkaan rajapisteessä (yksi yhteinen piste riittää)"
        sv = "gränsar till byggplatsen i en gränspunkt (en gemensam punkt räcker)"
    elif rel == "opposite":
        d, across = _num(float(n.get("crossing_distance_m") or 0.0)), str(n.get("across"))
        fi = f"vastapäätä, {ACROSS_FI.get(across, '')} yli ({across_label(n, 'fi')}), {d} m"
        sv = f"mittemot, på andra sidan {ACROSS_SV.get(across, '')} {across_label(n, 'sv')}, {d} m"
    elif rel == "affected":
        d, r = _num(float(n.get("distance_m") or 0.0)), f"{radius_m:g}"
        fi = (
            f"{d} m rakennuspaikasta, {r} metrin säteellä: asumiseen tai työntekoon voi "
            f"kohdistua huomattavia vaikutuksia ({basis})"
        )
        sv = f"{d} m från byggplatsen, inom {r} m: boende eller arbete kan påverkas avsevärt ({basis})"
    else:  # added by the officer, with the officer's own reason
        own = str(n.get("reason", "")).split(": ", 1)[-1]
        fi, sv = f"lisätty käsin: {own}", f"tillagd av myndigheten: {own}"
    return {"en": str(n.get("reason", "")), "fi": fi, "sv": sv}


def _road_reasons(a: dict[str, Any]) -> dict[str, str]:
    road = a.get("road_name") or a.get("road_number") or ""
    return {
        "en": str(a.get("reason", "")),
        "fi": f"rakennuspaikka rajautuu maantiehen {road} (tienpitäjä)".replace("  ", " "),
        "sv": f"byggplatsen gränsar till landsväg {road} (väghållaren)".replace("  ", " "),
    }


def _merge_reasons(into: dict[str, str], more: dict[str, str], short: str) -> None:
    """Add one unit's reasons to an addressee's ("91-22-695-1: ...; 91-22-695-2: ...")."""
    for lang, text in more.items():
        line = f"{short}: {text}"
        into[lang] = f"{into[lang]}; {line}" if into.get(lang) else line


def own_reasons(reasons: str, units: Sequence[str]) -> str:
    """An addressee's reasons as said beside its units: without the unit's id where it has one.

    `_merge_reasons` writes each unit's id before its reasons; a letter or a package row that
    names its one unit just before need not say it again.
    """
    return reasons.removeprefix(f"{units[0]}: ") if len(units) == 1 else reasons


def _owner_addressee(o: dict[str, Any], n: dict[str, Any], lang: str) -> Addressee:
    return Addressee(
        n=0,
        relation=n["relation"],
        property_ids=[],
        municipality=n.get("municipality"),
        owner_kind=str(o.get("kind")),
        name=o.get("name"),
        contact_name=o.get("contact_name"),
        address=o.get("address"),
        postal_code=o.get("postal_code"),
        city=o.get("city"),
        language=lang,
    )


def addressees(
    neighbours: Iterable[dict[str, Any]],
    authorities: Iterable[dict[str, Any]],
    languages: dict[tuple[str, str], str],
    basis: str,
    radius_m: float,
) -> list[Addressee]:
    """Group a neighbour list's owners into addressees: one per recipient and municipality.

    Nearest relation first (the units the drawn site lies on before their neighbours).
    `languages` maps (property id, owner name) to "fi" or "sv" (Finnish where unknown). A unit
    without a known owner is its own addressee with no name: it can be heard by public notice.
    """
    ordered = sorted(neighbours, key=lambda n: RELATION_ORDER.get(row_relation(n), 9))
    by_key: dict[str, Addressee] = {}
    for n in ordered:
        pid, short = n["property_id"], str(n.get("property_id_short") or n["property_id"])
        reasons = unit_reasons(n, basis, radius_m)
        owners = [o for o in n.get("owners") or [] if o.get("kind")]
        # One addressee per recipient within a municipality: who may see an owner is decided
        # by the unit's municipality, so a recipient's units across a border are two letters.
        town = n.get("municipality")
        keys = [(f"{town}|{letters_mod.recipient_key(o)}", o) for o in owners] or [
            (f"{UNKNOWN}:{pid}", None)
        ]
        for key, o in keys:
            if key not in by_key:
                lang = languages.get((pid, str(o.get("name"))), "fi") if o else "fi"
                by_key[key] = (
                    _owner_addressee(o, n, lang)
                    if o
                    else Addressee(0, n["relation"], [], n.get("municipality"), UNKNOWN, None)
                )
            a = by_key[key]
            a.reached = a.reached or row_relation(n) == "reaches"
            if pid not in a.property_ids:
                a.property_ids.append(pid)
                _merge_reasons(a.reasons, reasons, short)
    out = list(by_key.values())
    for auth in authorities:
        if auth.get("letter", True):
            out.append(
                Addressee(
                    0, "authority", [], None, "state", auth["name"], reasons=_road_reasons(auth)
                )
            )
    for i, a in enumerate(out, start=1):
        a.n = i
    return out


def deadline(on: dt.date, rules: HearingRules) -> dt.date:
    """The last day to answer a letter, reminder or public notice dated `on`."""
    return letters_mod.deadlines(on, rules)[0]


@dataclass(frozen=True)
class Change:
    """A status change asked for one addressee."""

    status: str
    on: dt.date
    remarks: str | None
    notice_allowed: bool  # over the public-notice limit, or this addressee cannot be reached
    notice_basis: str  # the section the filing date's regime cites for a public notice


def check_change(current: str, letter_sent_on: dt.date | None, change: Change) -> None:
    """Refuse a status change the hearing does not allow (422 bad input, 409 wrong moment)."""
    new = change.status
    if new not in STATUSES:
        raise InvalidInput(f"unknown status {new!r}; statuses: {', '.join(STATUSES)}", status=new)
    if new not in NEXT.get(current, frozenset()):
        raise Conflict(
            f"an addressee who is {current!r} cannot become {new!r}",
            status=current,
            requested=new,
        )
    if new == "answered_remarks" and not (change.remarks or "").strip():
        raise InvalidInput(
            "answered_remarks needs the remarks (the text of the answer)",
            i18n={"key": "error.remarks_missing"},
        )
    if new == "heard_by_public_notice" and not change.notice_allowed:
        raise Conflict(
            "a public notice is allowed only with more than the rule file's number of "
            f"neighbours ({change.notice_basis}) or when the addressee's address is unknown"
        )
    if letter_sent_on and change.on < letter_sent_on:
        raise InvalidInput(
            f"date {change.on} is before the letter was sent ({letter_sent_on})",
            i18n={"key": "error.date_before_letter", "day": change.on, "sent": letter_sent_on},
        )


def remarked(rows: Iterable[tuple[int, str]]) -> list[int]:
    """The addressees (numbers, from (number, status) rows) who answered with remarks.

    A grant over them needs its reasons. Hallintolaki (434/2003) 45 § wants every decision
    reasoned, and its 2 mom lists the few cases where the reasons may be left out. The service
    asks for them where they are plainest needed: a refusal, and a grant contested in the
    hearing (a neighbour or an authority heard made remarks: RakL 63 § / MRA 65 §), which the
    decision must answer. It does not judge the other grants; an officer may reason them too.
    """
    return [n for n, status in rows if status == "answered_remarks"]


def earliest_decision(rows: Iterable[tuple[str, dt.date | None]]) -> dt.date | None:
    """The first working day after every running period: (status, deadline) per addressee.

    An addressee who answered (or consented, or was heard by the authority) does not hold
    the decision back; a letter, reminder or public notice still running does.
    """
    running = [d for status, d in rows if d and status in STARTS_PERIOD]
    return timelimits.next_working_day(max(running)) if running else None


def is_non_responder(status: str, due: dt.date | None, today: dt.date) -> bool:
    """A letter went out, its deadline passed and no answer came."""
    return status in WAITING and due is not None and due < today


def is_heard(
    status: str, due: dt.date | None, day: dt.date, status_on: dt.date | None = None
) -> bool:
    """Whether an addressee counts as heard on `day`.

    An answer, a public notice or the authority's hearing, or a letter (or reminder) whose
    deadline passed without an answer. Silence is no bar to deciding: a neighbour who was given
    the chance and did not answer is taken to have nothing to remark (MRA 65 § / RakL 63 §; the
    letter says so). An answer recorded as given after `day` was not there on `day`.
    """
    done = status in DONE and (status_on is None or status_on <= day)
    return done or is_non_responder(status, due, day)


def complete(rows: Iterable[tuple[str, dt.date | None]], day: dt.date) -> bool:
    """Whether every addressee (at least one) is heard on `day`: (status, deadline) each."""
    pairs = list(rows)
    return bool(pairs) and all(is_heard(s, due, day) for s, due in pairs)


def letter_fee(
    letters: int,
    road_letters: int,
    hearing_rules: HearingRules,
    fees: FeeRules,
    kinds: Iterable[str],
    heard_by: str,
) -> tuple[int, Decimal, dict[str, Any] | None]:
    """(letters charged, euros, why as a message) for the letters a hearing sent (N8)."""
    charged, note = letters_mod.charged_letters_message(
        letters, road_letters, hearing_rules, fees, kinds, heard_by
    )
    cost = money(charged * dec(hearing_rules.fee_per_letter_eur))
    return charged, cost, note
