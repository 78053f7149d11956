"""Commands that answer a case: neighbours, site analysis, excavation checks."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from api import i18n
from api.cli.common import (
    cli_caller,
    fail,
    json_request,
    out,
    print_json,
    read_json,
    with_connection,
)
from api.schemas.requests import ExcavationIn, SiteAnalysisIn
from api.services import analysis, excavations, office, privacy, sites, texts
from api.settings import get_settings

excavation_app = typer.Typer(help="Street-excavation permits.")
CSV_HEADER = (
    "property_id",
    "property_id_short",
    "relation",
    "contact_or_across",
    "shared_boundary_m",
    "crossing_distance_m",
    "owners",
    "reason",
)
DRAWING_TYPES = ("Feature", "FeatureCollection", "Polygon", "MultiPolygon")


def _csv(doc: Any) -> None:
    w = csv.writer(sys.stdout)
    w.writerow(CSV_HEADER)
    for n in doc.neighbours:
        text = (n.property_id, n.property_id_short, n.relation, n.contact or n.across)
        lengths = (n.shared_boundary_m, n.crossing_distance_m)
        names = "; ".join(o.name or "" for o in n.owners)
        w.writerow(
            [
                *(office.sheet_cell(c) for c in text),
                *("" if x is None else x for x in lengths),
                office.sheet_cell(names),
                office.sheet_cell(n.reason),
            ]
        )


def _table(doc: Any) -> None:
    t = Table(title=f"Neighbours of {doc.property_id_short} ({doc.legal_basis})")
    for col in ("property", "relation", "how", "owners"):
        t.add_column(col)
    for n in doc.neighbours:
        owners = ", ".join(o.name or "" for o in n.owners) or "unknown"
        t.add_row(n.property_id_short, n.relation, n.reason, owners)
    out.print(t)
    tot = doc.totals
    out.print(
        f"letters {tot.letters}, hearing cost {tot.hearing_cost_eur:.2f} €, "
        f"earliest decision {tot.earliest_decision_date}"
    )
    for a in doc.authorities:
        out.print(f"authority: {a.name}: {a.reason}")


def _day(option: str, value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        fail(f"{option} {value!r} is not YYYY-MM-DD")


def neighbours(
    property_id: Annotated[str, typer.Argument(help="property id in any form")],
    fmt: Annotated[
        str, typer.Option("--format", help="json, csv, office (; and BOM, for Excel) or table")
    ] = "table",
    date: Annotated[str | None, typer.Option("--date", help="filing date YYYY-MM-DD")] = None,
    kind: Annotated[
        str,
        typer.Option("--kind", help="building_permit, deviation, planning_need, minor_deviation"),
    ] = "building_permit",
    letters_sent: Annotated[
        str | None, typer.Option("--letters-sent", help="day the letters are sent (default today)")
    ] = None,
    heard_by: Annotated[
        str, typer.Option("--heard-by", help="authority or applicant")
    ] = "authority",
    lang: Annotated[str, typer.Option("--lang", help="fi, sv or en (texts)")] = "en",
) -> None:
    """List who must be heard about a property's building site."""
    if fmt not in ("json", "csv", "office", "table"):
        fail("--format must be json, csv, office or table")
    if lang not in i18n.LANGS:
        fail("--lang must be fi, sv or en")
    day, sent = _day("--date", date), _day("--letters-sent", letters_sent)
    settings = get_settings()
    caller = cli_caller("neighbours")  # local admin use: owners shown, and audited
    doc = with_connection(
        lambda conn: privacy.disclose_list(
            conn,
            caller,
            sites.neighbours_of_property(
                conn, settings, property_id, day, None, sites.hearing_case(kind, heard_by, sent)
            ),
        )
    )
    doc = texts.neighbour_list(doc, lang)
    if fmt == "office":
        sys.stdout.write(office.neighbours_csv(doc, lang))
        return
    {"json": print_json, "csv": _csv, "table": _table}[fmt](doc)


def analyse(
    file: Annotated[Path, typer.Argument(help="request JSON, as POST /api/v1/analysis/site")],
) -> None:
    """Analyse a building site: plans, exception flags, setbacks, neighbours, fees."""
    doc_in = read_json(file)
    if isinstance(doc_in, dict) and doc_in.get("type") in DRAWING_TYPES:
        doc_in = {"site": doc_in}  # a bare drawing is the site
    caller = cli_caller("analyse")

    def audited(conn: Any, settings: Any, body: SiteAnalysisIn) -> Any:
        return privacy.disclose_analysis(conn, caller, analysis.analyse(conn, settings, body))

    json_request(file, doc_in, SiteAnalysisIn, audited)


@excavation_app.command("check")
def excavation_check(
    file: Annotated[Path, typer.Argument(help="request JSON, as POST /api/v1/excavations/check")],
) -> None:
    """Check a dig-permit draft: findings and fee."""
    json_request(file, read_json(file), ExcavationIn, excavations.check)
