"""Finnish office formats: the neighbour list as a CSV that a Finnish Excel opens in columns.

A Finnish (and Swedish-Finnish) Excel expects `;` between fields, since `,` is the decimal
separator, and recognises UTF-8 only with a byte-order mark. One row per owner, so a mail
merge writes one letter per row; owners' addresses only where the caller may see them
(the document comes already cut down by api.services.privacy).
"""

from __future__ import annotations

import csv
import io

from api import i18n
from api.schemas.neighbours import Neighbour, NeighbourList, Owner
from geo.applications import hearing

BOM = "\ufeff"
COLUMNS = (
    "property_id",
    "relation",
    "reason",
    "owner",
    "contact",
    "address",
    "postal_code",
    "city",
)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet takes for a formula


def sheet_cell(value: object) -> str:
    """A cell a spreadsheet shows as text and never runs (CSV injection, OWASP).

    An owner's name from the register or an officer's reason could start with `=` or `@`:
    Excel would run it as a formula (`=HYPERLINK(...)`). Such a cell gets a `'` first, which
    Excel hides and reads as "text".
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _owner_cells(o: Owner | None, lang: str) -> list[str]:
    if o is None:
        return ["", "", "", "", ""]
    if o.withheld:
        return [i18n.text(lang, "csv.withheld"), "", "", "", ""]
    return [o.name or "", o.contact_name or "", o.address or "", o.postal_code or "", o.city or ""]


def _rows(n: Neighbour, lang: str) -> list[list[str]]:
    rel = i18n.text(lang, f"relation.{hearing.shown_relation(n.relation, n.reason_code)}")
    head = [n.property_id_short, rel, n.reason]  # the reason whole, as the letters say it
    owners: list[Owner | None] = list(n.owners) or [None]
    return [head + _owner_cells(o, lang) for o in owners]


def neighbours_csv(doc: NeighbourList, lang: str, sep: str = ";") -> str:
    """The neighbour list as CSV: a BOM, headers and relations in `lang`, one row per owner."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    w.writerow([i18n.text(lang, f"csv.{c}") for c in COLUMNS])
    for n in doc.neighbours:
        w.writerows([sheet_cell(c) for c in row] for row in _rows(n, lang))
    return BOM + buf.getvalue()
