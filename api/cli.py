"""The `rajapiste` command line."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from api import cluster, db, importer
from api.settings import get_settings
from geo.errors import DomainError

app = typer.Typer(
    help="Rajapiste: spatial permit service for Finnish municipalities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database: embedded cluster or RAJAPISTE_DATABASE_URL.")
import_app = typer.Typer(help="Import data files (whole or not at all).")
demo_app = typer.Typer(help="Generated demo municipality.")
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(demo_app, name="demo")

console = Console(stderr=True)
out = Console()


def fail(message: str, code: int = 1) -> None:
    """Print an error to stderr and exit non-zero."""
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def engine() -> Any:
    """Return an engine for the configured database, starting the embedded one if needed."""
    settings = get_settings()
    try:
        if not settings.database_url and not cluster.is_running(settings):
            cluster.start(settings)
        return db.make_engine(settings)
    except cluster.ClusterError as exc:
        fail(str(exc))


class _Bar:
    """A rich progress bar fed by importer callbacks."""

    def __init__(self, title: str) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.completed:,}/{task.total:,}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.title = title
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(
                f"{self.title}: {stage}", total=max(total, 1)
            )
        self.progress.update(self.tasks[stage], completed=done, total=max(total, 1))


@db_app.command("up")
def db_up() -> None:
    """Create (if needed) and start the embedded PostGIS cluster, then migrate it."""
    settings = get_settings()
    if settings.database_url:
        console.print("RAJAPISTE_DATABASE_URL is set: using that database, no cluster started")
    else:
        try:
            created = cluster.init(settings)
            cluster.start(settings)
        except cluster.ClusterError as exc:
            fail(str(exc))
        st = cluster.status(settings)
        console.print(
            f"{'created and ' if created else ''}started embedded PostGIS in {st['data_dir']}"
            f" on 127.0.0.1:{st['port']}"
        )
    applied = db.migrate(db.make_engine(settings))
    console.print(f"migrations applied: {', '.join(applied) if applied else 'none pending'}")


@db_app.command("down")
def db_down() -> None:
    """Stop the embedded cluster."""
    cluster.stop(get_settings())
    console.print("embedded PostGIS stopped")


@db_app.command("status")
def db_status() -> None:
    """Show where the database is and whether it runs."""
    settings = get_settings()
    if settings.database_url:
        out.print(f"database: RAJAPISTE_DATABASE_URL ({settings.database_url.split('@')[-1]})")
        return
    for k, v in cluster.status(settings).items():
        out.print(f"{k}: {v}")


@db_app.command("migrate")
def db_migrate() -> None:
    """Apply pending migrations to the configured database."""
    applied = db.migrate(engine())
    console.print(f"migrations applied: {', '.join(applied) if applied else 'none pending'}")


def _report(summary: importer.Summary) -> None:
    s = summary
    console.print(
        f"[green]committed[/] {s.kind} from {s.source}"
        + (f" (layer {s.layer})" if s.layer else "")
        + f": read {s.read:,}, imported {s.imported:,}, repaired {s.repaired:,}, rejected {s.rejected:,}",
        highlight=False,
    )
    for r in s.repairs[:20]:
        console.print(f"  repaired {r.describe()}", highlight=False)
    for r in s.rejections[:20]:
        console.print(f"  rejected {r.describe()}", highlight=False)


def _run_import(what: str, fn: Any, **kwargs: Any) -> None:
    eng = engine()
    db.migrate(eng)
    try:
        with _Bar(f"import {what}") as bar:
            summary = fn(eng, progress=bar, **kwargs)
    except DomainError as exc:
        fail(f"{exc.message}\nnothing was imported (the import commits whole or not at all)")
    _report(summary)


FileArg = Annotated[Path, typer.Argument(help="GeoPackage, GeoJSON, Shapefile or GML file")]
LayerOpt = Annotated[str | None, typer.Option("--layer", help="layer to read")]
CrsOpt = Annotated[str | None, typer.Option("--source-crs", help="override the file's CRS, EPSG:N")]
SkipOpt = Annotated[
    bool, typer.Option("--skip-invalid", help="import the rest when features are rejected")
]


@import_app.command("parcels")
def import_parcels(
    file: FileArg,
    layer: LayerOpt = None,
    id_field: Annotated[str | None, typer.Option("--id-field")] = None,
    source_crs: CrsOpt = None,
    skip_invalid: SkipOpt = False,
) -> None:
    """Import parcels (property units and their palstat)."""
    _run_import(
        "parcels",
        importer.import_parcels,
        path=file,
        layer=layer,
        id_field=id_field,
        source_crs=source_crs,
        allow_rejections=skip_invalid,
    )


@import_app.command("buildings")
def import_buildings(
    file: FileArg, layer: LayerOpt = None, source_crs: CrsOpt = None, skip_invalid: SkipOpt = False
) -> None:
    """Import building footprints."""
    _run_import(
        "buildings",
        importer.import_buildings,
        path=file,
        layer=layer,
        source_crs=source_crs,
        allow_rejections=skip_invalid,
    )


@import_app.command("roads")
def import_roads(
    file: FileArg, layer: LayerOpt = None, source_crs: CrsOpt = None, skip_invalid: SkipOpt = False
) -> None:
    """Import road centrelines (names, class, state roads)."""
    _run_import(
        "roads",
        importer.import_roads,
        path=file,
        layer=layer,
        source_crs=source_crs,
        allow_rejections=skip_invalid,
    )


@import_app.command("water")
def import_water(
    file: FileArg,
    layer: LayerOpt = None,
    source_crs: CrsOpt = None,
    kind: Annotated[str | None, typer.Option("--water-kind", help="sea, lake, river")] = None,
    skip_invalid: SkipOpt = False,
) -> None:
    """Import water areas and shorelines."""
    _run_import(
        "water",
        importer.import_water,
        path=file,
        layer=layer,
        source_crs=source_crs,
        water_kind=kind,
        allow_rejections=skip_invalid,
    )


@import_app.command("areas")
def import_areas(
    file: FileArg,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="detailed-plan|building-area|master-plan|shore-plan|planning-need|shore-area",
        ),
    ],
    layer: LayerOpt = None,
    source_crs: CrsOpt = None,
    field_map: Annotated[
        str | None, typer.Option("--field-map", help="ours=theirs,... e.g. name=kaavanimi")
    ] = None,
    skip_invalid: SkipOpt = False,
) -> None:
    """Import plan areas, building areas, planning-need or shore areas."""
    _run_import(
        "areas",
        importer.import_areas,
        path=file,
        kind=kind,
        layer=layer,
        source_crs=source_crs,
        field_map=field_map,
        allow_rejections=skip_invalid,
    )


@import_app.command("owners")
def import_owners(
    file: Annotated[Path, typer.Argument(help="CSV: property_id,kind,name,...")],
    skip_invalid: SkipOpt = False,
) -> None:
    """Import owners from CSV."""
    _run_import("owners", importer.import_owners, path=file, allow_rejections=skip_invalid)


@demo_app.command("generate")
def demo_generate(
    parcels: Annotated[int, typer.Option("--parcels", min=1000, max=4_000_000)] = 5000,
    municipality: Annotated[str, typer.Option("--municipality")] = "244",
    seed: Annotated[int, typer.Option("--seed")] = 1,
) -> None:
    """Generate and load a realistic demo municipality (replaces that municipality's data)."""
    from api import demo_loader

    eng = engine()
    db.migrate(eng)
    with _Bar("demo") as bar:
        counts = demo_loader.load(eng, parcels, municipality, seed, progress=bar)
    console.print("loaded demo town: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


@demo_app.command("sample")
def demo_sample(
    nls: Annotated[Path, typer.Option("--nls", help="folder of the NLS Helsinki sample")] = Path(
        "../shared/data/nls-helsinki"
    ),
    parcels: Annotated[int, typer.Option("--parcels", help="size of the generated town")] = 20000,
    force: Annotated[bool, typer.Option("--force", help="reload even if loaded")] = False,
) -> None:
    """Load the demo data of `make run`: the NLS sample if present, a generated town otherwise."""
    from sqlalchemy import text

    from api import demo_loader

    eng = engine()
    db.migrate(eng)
    source = "nls" if (nls / "parcels.gpkg").exists() else "generated"
    with eng.connect() as conn:
        loaded = conn.execute(
            text("SELECT string_agg(DISTINCT source, ',') FROM property_unit")
        ).scalar()
    wanted = "parcels.gpkg" if source == "nls" else "demo"
    if loaded and wanted in loaded.split(",") and not force:
        console.print(
            f"demo data already loaded ({'NLS Helsinki sample' if source == 'nls' else 'generated town'})"
        )
        return
    demo_loader.reset(eng)
    if source == "nls":
        console.print(
            f"loading the real NLS Helsinki sample from {nls} (© Maanmittauslaitos, CC BY 4.0)"
        )
        try:
            with _Bar("NLS sample") as bar:
                importer.import_parcels(eng, nls / "parcels.gpkg", progress=bar)
                importer.import_buildings(eng, nls / "buildings.gpkg", progress=bar)
                importer.import_roads(eng, nls / "roads.gpkg", progress=bar)
                for water in ("sea_shoreline.gpkg", "lakes_shoreline.gpkg"):
                    if (nls / water).exists():
                        importer.import_water(eng, nls / water, progress=bar)
        except DomainError as exc:
            fail(exc.message)
        n = demo_loader.sample_owners(eng, "091")
        console.print(f"loaded NLS Helsinki sample; {n:,} generated demo owners (marked '(demo)')")
    else:
        console.print(f"{nls} not found: loading a generated town of {parcels:,} parcels")
        with _Bar("demo") as bar:
            counts = demo_loader.load(eng, parcels, "244", 1, progress=bar)
        console.print(
            "loaded generated town: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        )


@app.command("neighbours")
def neighbours_cmd(
    property_id: Annotated[str, typer.Argument(help="property id in any form")],
    fmt: Annotated[str, typer.Option("--format", help="json, csv or table")] = "table",
    date: Annotated[str | None, typer.Option("--date", help="application date YYYY-MM-DD")] = None,
) -> None:
    """List who must be heard about a property's building site."""
    from api.services import sites

    if fmt not in ("json", "csv", "table"):
        fail("--format must be json, csv or table")
    try:
        day = dt.date.fromisoformat(date) if date else None
    except ValueError:
        fail(f"--date {date!r} is not YYYY-MM-DD")
    settings = get_settings()
    eng = engine()
    try:
        with eng.connect() as conn:
            doc = sites.neighbours_of_property(conn, settings, property_id, day, None)
    except DomainError as exc:
        fail(exc.message)
    if fmt == "json":
        out.print_json(json.dumps(doc, ensure_ascii=False, default=str))
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(
            [
                "property_id",
                "property_id_short",
                "relation",
                "contact_or_across",
                "shared_boundary_m",
                "crossing_distance_m",
                "owners",
                "reason",
            ]
        )
        for n in doc["neighbours"]:
            w.writerow(
                [
                    n["property_id"],
                    n["property_id_short"],
                    n["relation"],
                    n.get("contact") or n.get("across"),
                    n.get("shared_boundary_m", ""),
                    n.get("crossing_distance_m", ""),
                    "; ".join(o["name"] for o in n["owners"]),
                    n["reason"],
                ]
            )
    else:
        t = Table(title=f"Neighbours of {doc['property_id_short']} ({doc['legal_basis']})")
        for col in ("property", "relation", "how", "owners"):
            t.add_column(col)
        for n in doc["neighbours"]:
            t.add_row(
                n["property_id_short"],
                n["relation"],
                n["reason"],
                ", ".join(o["name"] for o in n["owners"]) or "unknown",
            )
        out.print(t)
        tot = doc["totals"]
        out.print(
            f"letters {tot['letters']}, hearing cost {tot['hearing_cost_eur']:.2f} €, "
            f"earliest decision {tot['earliest_decision_date']}"
        )
        for a in doc["authorities"]:
            out.print(f"authority: {a['name']}: {a['reason']}")


excavation_app = typer.Typer(help="Street-excavation permits.")
app.add_typer(excavation_app, name="excavation")


def _read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"{file}: no such file")
    except json.JSONDecodeError as exc:
        fail(f"{file}: not JSON: {exc}")


@excavation_app.command("check")
def excavation_check(
    file: Annotated[Path, typer.Argument(help="request JSON, as POST /api/v1/excavations/check")],
) -> None:
    """Check a dig-permit draft: findings and fee."""
    from api.schemas import ExcavationIn
    from api.services import excavations

    _json_request(file, _read_json(file), ExcavationIn, excavations.check)


def _json_request(file: Path, data: Any, model: Any, service: Any) -> None:
    """Validate a request document, run one service on it, print its JSON answer."""
    from pydantic import ValidationError

    try:
        body = model.model_validate(data)
    except ValidationError as exc:
        fail(f"{file}: {exc}")
    try:
        with engine().connect() as conn:
            doc = service(conn, get_settings(), body)
    except DomainError as exc:
        fail(f"{file}: {exc.message}")
    out.print_json(json.dumps(doc, ensure_ascii=False, default=str))


@app.command("analyse")
def analyse_cmd(
    file: Annotated[Path, typer.Argument(help="request JSON, as POST /api/v1/analysis/site")],
) -> None:
    """Analyse a building site: plans, exception flags, setbacks, neighbours, fees."""
    from api.schemas import SiteAnalysisIn
    from api.services import analysis

    doc_in = _read_json(file)
    if isinstance(doc_in, dict) and doc_in.get("type") in (
        "Feature",
        "FeatureCollection",
        "Polygon",
        "MultiPolygon",
    ):
        doc_in = {"site": doc_in}  # a bare drawing is the site
    _json_request(file, doc_in, SiteAnalysisIn, analysis.analyse)


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option("--host")] = None,
    port: Annotated[int | None, typer.Option("--port")] = None,
    workers: Annotated[int, typer.Option("--workers")] = 1,
) -> None:
    """Serve the API and the map (OpenAPI at /docs)."""
    import uvicorn

    settings = get_settings()
    eng = engine()
    db.migrate(eng)
    eng.dispose()
    h, p = host or settings.host, port or settings.port
    console.print(f"serving Rajapiste on http://{h}:{p} (API docs at /docs)")
    uvicorn.run(
        "api.app:create_app", factory=True, host=h, port=p, workers=workers, log_level="warning"
    )


def main() -> None:
    """Entry point of the `rajapiste` command."""
    app()


if __name__ == "__main__":
    main()
