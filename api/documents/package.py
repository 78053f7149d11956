"""The hearing package as PDF: the case, its hearing, the map by status, each addressee.

The package shows the case, the hearing's totals, the map coloured by status and
every addressee's status (names only as the reader may see them). Pure: data in, bytes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from api.documents import sitemap
from api.documents.letters import FRAME_HEIGHT, build, styles
from api.documents.texts import (
    PACKAGE,
    RELATION,
    STATUS,
    Planned,
    area,
    buildings,
    day,
    kind_label,
    money,
    scrub,
)
from geo import regime
from geo.applications import hearing


@dataclass(frozen=True)
class Row:
    """One addressee's line."""

    n: int
    property_ids: tuple[str, ...]
    relation: str
    name: str | None  # None: withheld or unknown
    withheld: bool
    status: str
    status_on: dt.date | None
    deadline: dt.date | None
    non_responder: bool
    address: str | None = None  # street, postal code and city, where known and shown to the reader
    reason: str = ""  # why it is heard, in the package's language (each unit's, for several)


@dataclass(frozen=True)
class Package:
    """What the package shows."""

    language: str
    application_id: int
    kind: str
    municipality: str
    reply_to: str  # the rule file's address and e-mail for remarks, joined ("": none set)
    site_ids: tuple[str, ...]
    filed_on: dt.date | None
    regime: str | None
    legal_basis: str | None
    heard_by: str
    letters: int
    cost_eur: Decimal
    deadline: dt.date | None
    earliest: dt.date | None
    complete: bool
    neighbours: int  # units heard
    notice_over: int  # the rule file's limit of a hearing by letters
    notice_basis: str  # the section a public notice cites (the filing date's regime)
    unknown: int  # addressees without a known address
    rows: tuple[Row, ...]
    map: sitemap.MapData
    printed_on: dt.date | None = None
    applicants: tuple[str, ...] = ()  # by name: the applicant, then the co-applicants
    filed_by: str | None = None  # the filing account's e-mail address
    description: str | None = None
    buildings: tuple[Planned, ...] = ()
    # the units (not the applicant's) the drawn site reaches into: short id and m² on it
    reaches: tuple[tuple[str, float], ...] = ()


def _notice(p: Package, t: Mapping[str, Any]) -> str:
    key = (
        "notice_unknown"
        if p.unknown
        else ("notice_over" if p.neighbours > p.notice_over else "notice_none")
    )
    fields = {"unknown": p.unknown, "n": p.neighbours, "over": p.notice_over}
    return str(t[key]).format(**fields, basis=regime.said_in(p.language, p.notice_basis))


def cited(lang: str, citation: str | None) -> str:
    """A citation (or a regime's code) in the document's language; '–' for none."""
    return regime.said_in(lang, citation) if citation else "–"


def _facts(p: Package, t: Mapping[str, Any]) -> Table:
    lang = p.language
    rows = [
        (t["printed"], day(p.printed_on, lang)),
        (t["case"], f"{kind_label(lang, p.kind, p.regime)}, {p.municipality}"),
        (
            t["applicant_name"] if len(p.applicants) <= 1 else t["applicant_names"],
            scrub(", ".join(x for x in (*p.applicants, p.filed_by) if x)) or "–",
        ),
        (t["description"], scrub(p.description) or "–"),
        (t["buildings"], scrub(buildings(lang, p.buildings)) or "–"),
        (t["site"], ", ".join(p.site_ids)),
        *(
            [
                (
                    t["reaches_many" if len(p.reaches) > 1 else "reaches"],
                    ", ".join(f"{u} ({area(m2, lang)})" for u, m2 in p.reaches),
                )
            ]
            if p.reaches
            else []
        ),
        (t["filed"], f"{day(p.filed_on, lang)} ({t['regime']}: {cited(lang, p.regime)})"),
        (t["basis"], cited(lang, p.legal_basis)),
        (t["heard_by"], t[p.heard_by]),
        (t["letters"], f"{p.letters} · {t['cost']} {money(p.cost_eur, lang)}"),
        (t["deadline"], f"{day(p.deadline, lang)} · {t['earliest']} {day(p.earliest, lang)}"),
        (t["complete"], t["yes"] if p.complete else t["no"]),
        (t["notice"], _notice(p, t)),
        (
            t["reply"],
            str(t["reply_text"]).format(
                id=p.application_id,
                deadline=day(p.deadline, lang),
                municipality=p.municipality + (f", {p.reply_to}" if p.reply_to else ""),
            ),
        ),
    ]
    st = styles()
    table = Table(
        [
            [Paragraph(escape(str(k)), st["box"]), Paragraph(escape(str(v)), st["body"])]
            for k, v in rows
        ],
        colWidths=[45 * mm, 125 * mm],
        splitInRow=1,  # a long description goes on over the page
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    )
    return table


# the addressees' table: 170 mm; the relation's column carries the reason under it
COLUMNS_MM = tuple(w * mm for w in (8, 30, 42, 31, 19, 20, 20))


def _rows(p: Package, t: Mapping[str, Any]) -> Table:
    lang = p.language
    st = styles()
    # the headers in the rows' small size, bold: at the body's 10.5 pt "Määräaika", "Tidsfrist"
    # and "Deadline" were wider than their columns and broke inside the word
    head = ParagraphStyle("head_small", parent=st["small"], fontName=st["box"].fontName)
    header = [Paragraph(escape(str(c)), head) for c in t["columns"]]
    body = []
    for r in p.rows:
        who = r.name if r.name else (t["withheld"] if r.withheld else t["unknown"])
        if r.name and r.address:
            who = f"{who}, {r.address}"
        mark = " !" if r.non_responder else ""
        cells = [
            str(r.n),
            ", ".join(r.property_ids),
            RELATION[lang].get(r.relation, r.relation),
            scrub(str(who)),
            STATUS[lang].get(r.status, r.status) + mark,
            day(r.status_on, lang),
            day(r.deadline, lang),
        ]
        row: list[Any] = [Paragraph(escape(c), st["small"]) for c in cells]
        # the relation in bold, why it is heard under it (without saying the relation twice:
        # "vastapäätä / tien/kadun yli (Kumpulantie), 18,0 m")
        said = hearing.after_relation(r.reason, cells[2])
        if said:
            row[2] = [
                Paragraph(escape(cells[2]), head),
                Paragraph(escape(scrub(said)), st["small"]),
            ]
        body.append(row)
    table = Table([header, *body], repeatRows=1, colWidths=COLUMNS_MM)
    # A row moves whole to the next page, unless it is taller than a page (an addressee of
    # hundreds of units): only then does it go on over the page.
    table.wrap(sum(COLUMNS_MM), FRAME_HEIGHT)
    heights = list(table._rowHeights)
    table.splitInRow = int(heights[0] + max(heights[1:], default=0) > FRAME_HEIGHT)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("LEFTPADDING", (0, 0), (-1, 0), 3),
        ("RIGHTPADDING", (0, 0), (-1, 0), 3),
    ]
    style += [
        ("TEXTCOLOR", (4, i + 1), (4, i + 1), colors.HexColor(sitemap.NON_RESPONDER))
        for i, r in enumerate(p.rows)
        if r.non_responder
    ]
    table.setStyle(TableStyle(style))
    return table


def package_pdf(p: Package) -> bytes:
    """The hearing package as PDF bytes."""
    t = PACKAGE[p.language]
    st = styles()
    data = sitemap.labelled(p.map, "", ", ".join(p.site_ids))
    drawing, _ = sitemap.draw(data, 170.0, 120.0)
    story: list[Flowable] = [
        Paragraph(escape(str(t["title"]).format(id=p.application_id)), st["title"]),
        _facts(p, t),
        Spacer(1, 4 * mm),
        Paragraph(escape(str(t["map"])), st["head"]),
        drawing,
        Paragraph(escape(str(t["non_responder"])), st["small"]),
        Spacer(1, 4 * mm),
        _rows(p, t),
    ]
    return build(story, str(t["title"]).format(id=p.application_id))
