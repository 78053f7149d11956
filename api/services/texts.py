"""The texts of finished documents in the response's language (the codes stay as they are)."""

from __future__ import annotations

from typing import Any

from api import i18n
from api.schemas.neighbours import Authority, Neighbour, NeighbourList


def fees(doc: dict[str, Any], lang: str) -> dict[str, Any]:
    """A fee document with each line's and each unpriced item's text in `lang`."""
    for line in doc["lines"]:
        i18n.take(line, lang, "item")
    for item in doc.get("not_configured", []):
        i18n.take(item, lang, "item")
    return doc


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


def neighbour_list(doc: NeighbourList, lang: str) -> NeighbourList:
    """A neighbour list with its reasons in `lang`."""
    return doc.model_copy(
        update={
            "neighbours": neighbour_rows(doc.neighbours, lang),
            "authorities": authorities(doc.authorities, lang),
        }
    )
