"""Hearing letters as PDF: one per addressee, in Finnish or Swedish, each with its site map.

`letters_pdf` is pure: the letters' data in, the PDF's bytes out (ReportLab, vendored fonts;
no browser). A letter says who is heard about what, why (each of the recipient's units and
its relation to the site), on which legal basis, by when and how to answer, with a reply
slip; the map shows the site and the recipient's units at a true scale.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from shapely.geometry.base import BaseGeometry

from api.documents import fonts, sitemap
from api.documents.texts import LETTER, Planned, buildings, day, kind_label, scrub
from geo import regime

MARGIN_X, MARGIN_Y = 20 * mm, 16 * mm
# what a page's frame holds: the page less its margins and the frame's own 6 pt padding each way
FRAME_WIDTH, FRAME_HEIGHT = A4[0] - 2 * MARGIN_X - 12, A4[1] - 2 * MARGIN_Y - 12
MAP_W_MM, MAP_H_MM = 170.0, 105.0
# The shortest map a letter gets so that its reply slip stays on its page: a letter whose
# reasons or description run longer than the full map allows has its map made shorter, down
# to this; one longer still goes on to a second page with the full map.
MAP_MIN_H_MM = 70.0
DESCRIPTION_MAX = 1200  # characters of the project's description in a letter
SLIP_UNITS = 12  # units named on the reply slip (the letter's body lists them all)


@dataclass(frozen=True)
class Letter:
    """One letter's content (already cut to what may be printed)."""

    language: str  # "fi" or "sv"
    municipality: str  # the municipality's name in that language
    reply_address: str  # where remarks go by post, from the rule file ("": the office alone)
    reply_email: str  # and by e-mail ("": none)
    application_id: int
    kind: str
    regime: str | None  # "MRL" or "RakL": the filing date's (the permit's name depends on it)
    site_ids: tuple[str, ...]  # the site's units, short form
    description: str | None
    name: str | None
    contact_name: str | None
    address: str | None
    postal_code: str | None
    city: str | None
    property_ids: tuple[str, ...]  # the recipient's units, short form
    reasons: str
    legal_basis: str
    sent: dt.date
    deadline: dt.date
    n: int
    total: int
    map: sitemap.MapData
    draft: bool = False  # printed before the send is recorded: its date and deadline may not hold
    buildings: tuple[Planned, ...] = ()
    applicants: tuple[str, ...] = ()  # who applies, by name (none: the letter names no one)
    map_height_mm: float = MAP_H_MM  # map_height_mm(): shorter where the letter needs the room


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in the vendored font."""
    regular, bold = fonts.register()
    base = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, spaceAfter=3)
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444")
        ),
        # a heading stays with what it heads (never last on a page)
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName=bold,
            fontSize=10.5,
            spaceBefore=5,
            spaceAfter=2,
            keepWithNext=1,
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=bold, fontSize=15, leading=18, spaceAfter=6
        ),
        "box": ParagraphStyle("box", parent=base, fontName=bold, fontSize=10.5, leading=13),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _header(x: Letter, t: dict[str, str], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    who = [x.name or t["unknown_recipient"]]
    if x.contact_name:
        who.append(x.contact_name)
    who += [v for v in (x.address, " ".join(p for p in (x.postal_code, x.city) if p)) if v]
    meta = f"{x.municipality}, {t['office']}<br/>{t['application']} {x.application_id}<br/>{t['date']} {day(x.sent, x.language)}"
    head = Table(
        [[Paragraph("<br/>".join(escape(w) for w in who), st["box"]), Paragraph(meta, st["body"])]],
        colWidths=[95 * mm, 75 * mm],
    )
    head.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    out: list[Flowable] = [head, Spacer(1, 6 * mm), _p(t["title"], st["title"])]
    if x.draft:
        out.insert(0, Paragraph(f'<font color="#b00020">{escape(t["draft"])}</font>', st["box"]))
    return out


def _body(x: Letter, t: dict[str, str], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    kind = kind_label(x.language, x.kind, x.regime)
    out: list[Flowable] = [
        _p(t["subject"].format(kind=kind, site=", ".join(x.site_ids)), st["body"])
    ]
    if x.applicants:
        label = t["applicant_name"] if len(x.applicants) == 1 else t["applicant_names"]
        out.append(_p(f"{label}: {scrub(', '.join(x.applicants))}", st["body"]))
    if x.description:
        out.append(_p(f"{t['description']}: {_cut(scrub(x.description))}", st["body"]))
    if x.buildings:
        out.append(
            _p(f"{t['buildings']}: {_cut(scrub(buildings(x.language, x.buildings)))}", st["body"])
        )
    out += [
        _p(t["why"], st["head"]),
        _p(f"{t['your_units']}: {', '.join(x.property_ids) or '–'}", st["body"]),
        _p(scrub(x.reasons), st["body"]),
        _p(f"{t['basis']}: {regime.said_in(x.language, x.legal_basis)}", st["body"]),
    ]
    return out


def _cut(text: str, most: int = DESCRIPTION_MAX) -> str:
    """At most `most` characters, cut between words and marked (the office has the whole)."""
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0].rstrip(" ,.;:") + " …"


def _map(
    x: Letter, t: dict[str, str], st: dict[str, ParagraphStyle], drawn: bool = True
) -> list[Flowable]:
    """The map and its note; not `drawn`: a space of its height (to measure the letter by)."""
    if drawn:
        data = sitemap.labelled(x.map, t["map"], ", ".join(x.site_ids))
        drawing: Flowable = sitemap.draw(data, MAP_W_MM, x.map_height_mm)[0]
    else:
        drawing = Spacer(MAP_W_MM * mm, x.map_height_mm * mm)
    return [Spacer(1, 2 * mm), drawing, _p(t["map_note"], st["small"])]


def _letter(x: Letter, st: dict[str, ParagraphStyle], drawn: bool = True) -> list[Flowable]:
    """One letter's flowables, from its header to its number under the reply slip."""
    t = LETTER[x.language]
    return [
        *_header(x, t, st),
        *_body(x, t, st),
        *_map(x, t, st, drawn),
        *_answer(x, t, st),
        _p(f"{t['letter']} {x.n}/{x.total}", st["small"]),
    ]


def _flat(parts: list[Flowable]) -> list[Flowable]:
    """The flowables with each KeepTogether's content in its place.

    A KeepTogether says it is taller than any page, so that the frame splits it: its content
    is what stands on the page.
    """
    return [g for f in parts for g in (_flat(f._content) if isinstance(f, KeepTogether) else [f])]


def _stacked_height(parts: list[Flowable]) -> float:
    """How tall these flowables stand in a page's frame (a space between two: the larger)."""
    total, after = 0.0, 0.0
    scratch = Canvas(io.BytesIO())  # a table measures its cells on a canvas
    for i, f in enumerate(_flat(parts)):
        _, h = f.wrapOn(scratch, FRAME_WIDTH, FRAME_HEIGHT)
        total += h + (max(after, f.getSpaceBefore()) if i else 0.0)
        after = f.getSpaceAfter()
    return total


def map_height_mm(x: Letter, focus: BaseGeometry | None = None) -> float:
    """The map's height that keeps the letter and its reply slip on one page.

    The full height where the letter fits with it; shorter by what the reasons, the
    description or the planned buildings need (1 mm to spare), down to MAP_MIN_H_MM, where
    the `focus` (the site and the reader's units) still fits the shorter map whole. Else the
    full height: a letter that does not fit one page even so has room on its second page, and
    a shorter map would cut the reader's plot (walkthrough of stop 53).
    """
    full = replace(x, map_height_mm=MAP_H_MM)
    over = (_stacked_height(_letter(full, styles(), drawn=False)) - FRAME_HEIGHT) / mm
    if over <= 0:
        return MAP_H_MM
    shorter = MAP_H_MM - over - 1.0
    margin = x.map.margin_m
    if focus is not None and sitemap.choose_scale(focus.bounds, MAP_W_MM, shorter, margin) is None:
        return MAP_H_MM
    return shorter if shorter >= MAP_MIN_H_MM else MAP_H_MM


def _answer(x: Letter, t: dict[str, str], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    regular, _ = fonts.register()
    deadline = day(x.deadline, x.language)
    units = ", ".join(x.property_ids[:SLIP_UNITS])
    if len(x.property_ids) > SLIP_UNITS:  # the slip stays on one page
        units += " " + t["more_units"].format(n=len(x.property_ids) - SLIP_UNITS)
    slip = Table(
        [
            [Paragraph(escape(t["reply"].format(id=x.application_id) + f" – {units}"), st["box"])],
            [_p(f"☐ {t['no_remarks']}    ☐ {t['remarks']}    ☐ {t['consent']}", st["body"])],
            [
                _p(
                    f"\n\n____________________________________________   {t['signature']}",
                    st["small"],
                )
            ],
        ],
        colWidths=[170 * mm],
    )
    slip.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                ("FONTNAME", (0, 0), (-1, -1), regular),
                ("TOPPADDING", (0, 2), (0, 2), 12),
            ]
        )
    )
    to = [x.reply_address] if x.reply_address else []
    to += [t["email"].format(email=x.reply_email)] if x.reply_email else []
    how = t["how_text"].format(
        office=t["office"],
        municipality=x.municipality,
        to="".join(f", {v}" for v in to),
        id=x.application_id,
    )
    # the deadline, how to answer and the slip stay together: a letter too long for one page
    # goes on to its second page with all of them, not with a slip alone under a heading
    return [
        KeepTogether(
            [
                _p(t["deadline"], st["head"]),
                Paragraph(f"<b>{escape(t['deadline_text'].format(date=deadline))}</b>", st["body"]),
                _p(t["delivery"], st["small"]),
                _p(t["how"], st["head"]),
                _p(how, st["body"]),
                Spacer(1, 3 * mm),
                slip,
            ]
        )
    ]


class PageFooter(Flowable):  # type: ignore[misc]
    """Marks where a letter (or a document) begins: the pages from here on are its pages."""

    def __init__(self, footer: str) -> None:
        super().__init__()
        self.footer = footer  # "Hakemus nro 7 · kirje 2/5 · sivu {page}/{pages}"

    def wrap(self, *_: Any) -> tuple[float, float]:
        """Takes no room."""
        return 0.0, 0.0

    def draw(self) -> None:
        """Marks the page it lands on as the document's."""
        self.canv.rp_letter = self


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Numbers each letter's pages on their own: a recipient gets their letter's pages alone.

    The pages are kept until the end (ReportLab's "page X of Y" recipe), when every letter's
    page count is known; each page's footer names the application, the letter and its page.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rp_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        """Keeps the page until the end, when the pages are counted."""
        self.rp_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Draws each page's footer with its number among its document's pages."""
        letters = [state.get("rp_letter") for state in self.rp_pages]
        regular, _ = fonts.register()
        for i, state in enumerate(self.rp_pages):
            self.__dict__.update(state)
            mark = letters[i]
            if mark is not None:
                pages = [j for j, x in enumerate(letters) if x is mark]
                self.setFont(regular, 7)
                text = mark.footer.format(page=pages.index(i) + 1, pages=len(pages))
                self.drawRightString(A4[0] - 20 * mm, 10 * mm, text)
            super().showPage()
        super().save()


def letters_pdf(letters: list[Letter]) -> bytes:
    """The letters as one PDF, each starting on a new page and numbering its own pages."""
    st = styles()
    story: list[Flowable] = []
    for i, x in enumerate(letters):
        t = LETTER[x.language]
        if i:
            story.append(PageBreak())
        footer = f"{t['application']} {x.application_id} · {t['letter']} {x.n}/{x.total}"
        story.append(PageFooter(footer + f" · {t['page']} {{page}}/{{pages}}"))
        story += _letter(x, st)
    if not story:
        story.append(_p("–", st["body"]))
    return build(story, "Naapurin kuuleminen / Hörande av granne", NumberedCanvas)


def build(story: list[Flowable], title: str, canvas: type[Canvas] = Canvas) -> bytes:
    """The story as an A4 PDF with the documents' margins (on this canvas: page numbers)."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_Y,
        bottomMargin=MARGIN_Y,
        title=title,
        author="Rajapiste",
    )
    doc.build(story, canvasmaker=canvas)
    return buf.getvalue()
