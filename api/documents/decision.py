"""The decision document (päätös) as PDF.

What was decided, how it was made known, when it stands, and how to seek a change, with a
map of the site.

One document serves every kind: a building case's decision is posted (julkipano) and runs
its claim or appeal from that day; a dig or area-use permit's is sent to its applicant and
runs from the day it is deemed received. Pure: data in, bytes out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
)

from api.documents import sitemap
from api.documents.letters import NumberedCanvas, PageFooter, build, styles
from api.documents.texts import DECISION, Planned, buildings, day, kind_label, scrub

MAP_MM = (170.0, 100.0)


@dataclass(frozen=True)
class Notice:
    """How the decision was made known, and from when its claim or appeal period runs.

    A building case's is posted; a dig's is sent to its applicant.
    """

    method: str  # "posted", "letter" or "electronic"
    on: dt.date  # posted or sent
    received_on: dt.date  # deemed known to the parties (the posting day for a posted one)


@dataclass(frozen=True)
class Terms:
    """What was decided, by whom and when, how it was made known, and when it stands."""

    outcome: str  # "granted" or "refused"
    decided_by: str  # "inspector" or "board"
    decided_on: dt.date
    notice: Notice
    conditions: tuple[str, ...] | None  # None: none recorded
    reason: str | None  # its reasons (a refusal's always)
    works: tuple[dt.date, dt.date] | None  # a dig's period
    appeal_kind: str  # "rectification" or "appeal"
    appeal_days: int
    appeal_ends_on: dt.date
    appeal_moved_from: dt.date | None
    legally_valid_on: dt.date | None  # None: a change was sought (`appealed_on`)
    appealed_on: dt.date | None = None
    ruling: tuple[str, dt.date, str | None] | None = (
        None  # who ruled on a claim or appeal, when, ref.
    )
    final: bool = False  # legally_valid_on is the day an appeal was settled, not a nominal one
    start_by: dt.date | None = None
    finish_by: dt.date | None = None
    valid_until: dt.date | None = None
    withdrawn_on: dt.date | None = None  # the applicant gave up a dig's permit after it


@dataclass(frozen=True)
class DecisionDoc:
    """What the decision document shows."""

    language: str
    application_id: int
    kind: str
    regime: str | None
    municipality: str
    claims_to: str  # the municipality's address for claims ("": none in the rule file)
    applicants: tuple[str, ...]
    site_ids: tuple[str, ...]
    description: str | None
    buildings: tuple[Planned, ...]
    filed_on: dt.date | None
    terms: Terms
    map: sitemap.MapData | None
    printed_on: dt.date


def _facts(x: DecisionDoc, t: Mapping[str, Any]) -> Table:
    lang = x.language
    d = x.terms
    rows: list[tuple[str, str]] = [
        (t["printed"], day(x.printed_on, lang)),
        (t["case"], f"{kind_label(lang, x.kind, x.regime)}, {x.municipality}"),
        (
            t["applicant_name"] if len(x.applicants) <= 1 else t["applicant_names"],
            scrub(", ".join(x.applicants)) or "–",
        ),
        (t["description"], scrub(x.description) or "–"),
    ]
    if x.buildings:
        rows.append((t["buildings"], scrub(buildings(lang, x.buildings))))
    if x.site_ids:
        rows.append((t["dig_site" if d.works else "site"], ", ".join(x.site_ids)))
    if d.works:
        rows.append((t["works"], f"{day(d.works[0], lang)} – {day(d.works[1], lang)}"))
    n = d.notice
    known = str(t[n.method]).format(
        posted=day(n.on, lang), sent=day(n.on, lang), received=day(n.received_on, lang)
    )
    rows += [
        (t["filed"], day(x.filed_on, lang)),
        (t["decision"], t[d.outcome]),
        (t["decided_by"], t[d.decided_by]),
        (t["decided_on"], day(d.decided_on, lang)),
        (t["made_known"], known),
    ]
    st = styles()
    table = Table(
        [[Paragraph(escape(str(k)), st["box"]), Paragraph(escape(v), st["body"])] for k, v in rows],
        colWidths=[45 * mm, 125 * mm],
        splitInRow=1,
    )
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP")])
    return table


def written(text: str, style: ParagraphStyle) -> list[Flowable]:
    """A text as its writer set it out: its blocks and line breaks kept.

    A paragraph for each block between blank lines, its lines broken where they were (a
    Paragraph alone runs every line into one), and half a line's height between blocks (the
    body's own spacing after a paragraph is a line's spacing, not a paragraph break's).
    """
    blocks = [b.strip() for b in re.split(r"\n\s*\n", scrub(text)) if b.strip()]
    out: list[Flowable] = []
    for b in blocks:
        if out:
            out.append(Spacer(1, style.leading / 2))
        out.append(Paragraph("<br/>".join(escape(line.strip()) for line in b.splitlines()), style))
    return out


def _terms(x: DecisionDoc, t: Mapping[str, Any]) -> list[Flowable]:
    """The reasons (a refusal's, a grant's when given), a grant's conditions and its limits."""
    st = styles()
    lang = x.language
    d = x.terms
    out: list[Flowable] = []
    if d.reason:
        out += [Paragraph(escape(str(t["reason"])), st["head"])]
        out += written(d.reason, st["body"])
    if d.outcome == "refused":
        return out
    if d.conditions is not None:
        out.append(Paragraph(escape(str(t["conditions"])), st["head"]))
        items = [ListItem(Paragraph(escape(scrub(c)), st["body"])) for c in d.conditions]
        out.append(
            ListFlowable(
                items,
                bulletType="1",
                bulletFormat="%s.",
                bulletFontName=st["body"].fontName,
                bulletFontSize=st["body"].fontSize,
            )
            if items
            else Paragraph(escape(str(t["no_conditions"])), st["body"])
        )
    limits = []
    if d.start_by and d.finish_by:
        limits.append(
            str(t["start_finish"]).format(
                start=day(d.start_by, lang), finish=day(d.finish_by, lang)
            )
        )
    if d.valid_until:
        limits.append(str(t["apply_by"]).format(until=day(d.valid_until, lang)))
    if limits:
        out.append(Paragraph(escape(str(t["limits"])), st["head"]))
        out += [Paragraph(escape(s), st["body"]) for s in limits]
    return out


def _seeking_change(x: DecisionDoc, t: Mapping[str, Any]) -> list[Flowable]:
    """The claim or appeal instructions with their last day, and when the decision stands."""
    st = styles()
    lang = x.language
    d = x.terms
    to = x.municipality + (f", {x.claims_to}" if x.claims_to else "")
    said = str(t[d.appeal_kind]).format(days=d.appeal_days, ends=day(d.appeal_ends_on, lang), to=to)
    out: list[Flowable] = [
        Paragraph(escape(str(t["seek_change"])), st["head"]),
        Paragraph(escape(said), st["body"]),
    ]
    if d.appeal_moved_from:
        moved = str(t["moved"]).format(nominal=day(d.appeal_moved_from, lang))
        out.append(Paragraph(escape(moved), st["small"]))
    if d.ruling:
        by, on, ref = d.ruling
        ruled = str(t["ruled"]).format(by=by, on=day(on, lang), ref=f" ({ref})" if ref else "")
        out.append(Paragraph(escape(scrub(ruled)), st["body"]))
    if d.legally_valid_on:
        said_valid = str(t["final" if d.final else "valid"])
        out.append(
            Paragraph(escape(said_valid.format(valid=day(d.legally_valid_on, lang))), st["body"])
        )
    elif d.appealed_on:
        pending = str(t["under_appeal"]).format(on=day(d.appealed_on, lang))
        out.append(Paragraph(escape(pending), st["body"]))
    if d.withdrawn_on:
        gone = str(t["withdrawn"]).format(on=day(d.withdrawn_on, lang))
        out.append(Paragraph(escape(gone), st["body"]))
    return out


def decision_pdf(x: DecisionDoc) -> bytes:
    """The decision as PDF bytes, its pages numbered."""
    t = DECISION[x.language]
    st = styles()
    title = str(t["title"]).format(id=x.application_id)
    story: list[Flowable] = [
        PageFooter(str(t["footer"]).format(id=x.application_id)),
        Paragraph(escape(title), st["title"]),
        _facts(x, t),
        *_terms(x, t),
        *_seeking_change(x, t),
    ]
    if x.map is not None:
        data = sitemap.labelled(x.map, "", ", ".join(x.site_ids))
        drawing, _ = sitemap.draw(data, *MAP_MM)
        heading = Paragraph(escape(str(t["map"])), st["head"])
        story += [Spacer(1, 3 * mm), KeepTogether([heading, drawing])]
    return build(story, title, NumberedCanvas)
