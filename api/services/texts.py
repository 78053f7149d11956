"""The texts of finished documents in the response's language (the codes stay as they are)."""

from __future__ import annotations

from typing import Any, TypeVar

from api import i18n
from api.schemas.applications import Hearing
from api.schemas.neighbours import Authority, HearingTotals, Neighbour, NeighbourList
from geo import regime

# The decisions flags name (Finnish legal terms, kept as they are in `decision`) by key.
DECISIONS = {
    "poikkeamispäätös": "deviation",
    "vähäinen poikkeaminen": "minor_deviation",
    "vähäinen poikkeaminen rakennusluvassa": "minor_deviation_in_permit",
    "rakenteelliset palotekniset ratkaisut rakennusluvassa": "fire_measures",
    "naapurin suostumus tai poikkeaminen": "consent_or_deviation",
    "suunnittelutarveratkaisu": "planning_need_decision",
    "rakentamislupa suunnittelutarvealueen edellytysten mukaan (RakL 46 §) tai sijoittamislupa (RakL 43 §)": (
        "planning_need_permit"
    ),
    # the same, as analyses frozen before stop 43 name it (the permit's MRL name)
    "rakennuslupa suunnittelutarvealueen edellytysten mukaan tai sijoittamislupa (RakL 43 §)": (
        "planning_need_permit"
    ),
    "ELY-keskuksen poikkeuslupa suoja-alueelle": "road_zone_exception",
}


def flag(row: dict[str, Any], lang: str) -> dict[str, Any]:
    """A flag with its message, reason and decision in `lang` (`decision` stays the legal term)."""
    i18n.take(row, lang)
    exemption(row, lang)
    key = DECISIONS.get(str(row.get("decision")))
    row["decision_text"] = i18n.text(lang, f"decision.{key}") if key else row.get("decision")
    return row


def exemption(row: dict[str, Any], lang: str) -> dict[str, Any]:
    """A flag or a lifted flag with its reason and its legal basis in `lang`."""
    i18n.take(row, lang, "reason", "i18n_reason")
    if row.get("legal_basis"):
        row["legal_basis_text"] = regime.said_in(lang, row["legal_basis"])
    return row


def fees(doc: dict[str, Any], lang: str) -> dict[str, Any]:
    """A fee document with each line's and each unpriced item's text in `lang`."""
    for line in doc["lines"]:
        i18n.take(line, lang, "item")
        i18n.take(line, lang, "note", "i18n_note")
    for item in doc.get("not_configured", []):
        i18n.take(item, lang, "item")
        i18n.take(item, lang, "note", "i18n_note")
    return i18n.take(doc, lang, "note", "i18n_note")


def neighbour_rows(rows: list[Neighbour], lang: str) -> list[Neighbour]:
    """Neighbour rows whose `reason` is in `lang` (each row holds all three)."""
    pick = {"fi": "reason_fi", "sv": "reason_sv", "en": "reason_en"}[lang]
    return [
        n.model_copy(update={"reason": getattr(n, pick)}) if getattr(n, pick) else n for n in rows
    ]


def authorities(rows: list[Authority], lang: str) -> list[Authority]:
    """Authorities whose `reason` is in `lang`."""
    out = []
    for a in rows:
        road = (a.road_name or str(a.road_number or "")) + (
            f" ({a.road_number})" if a.road_name and a.road_number else ""
        )
        out.append(a.model_copy(update={"reason": i18n.text(lang, "reason.state_road", road=road)}))
    return out


Noted = TypeVar("Noted", HearingTotals, Hearing)


def notes(doc: Noted, lang: str) -> Noted:
    """A document with its notes (`_messages`: letter fee, public notice) written in `lang`.

    Hearing totals of a neighbour list or an analysis, and an application's hearing.
    """
    written: dict[str, Any] = {k: i18n.render(lang, m) for k, m in doc._messages.items() if m}
    if isinstance(doc, Hearing) and doc.legal_basis:
        written["legal_basis_text"] = regime.said_in(lang, doc.legal_basis)
    return doc.model_copy(update=written)


def neighbour_list(doc: NeighbourList, lang: str) -> NeighbourList:
    """A neighbour list with its reasons and notes in `lang`."""
    return doc.model_copy(
        update={
            "neighbours": neighbour_rows(doc.neighbours, lang),
            "authorities": authorities(doc.authorities, lang),
            "totals": notes(doc.totals, lang),
            "legal_basis_text": regime.said_in(lang, doc.legal_basis),
        }
    )


def file_name(lang: str, what: str, ident: object, ext: str) -> str:
    """A download's name in the request's language: "kuulemiskirjeet-12.pdf", "grannar-….csv".

    A drawn site without a property id is "alue" ("område", "area").
    """
    said = ident if ident not in (None, "") else i18n.text(lang, "file.area")
    return f"{i18n.text(lang, f'file.{what}')}-{said}.{ext}"
