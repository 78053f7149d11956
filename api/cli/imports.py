"""`rajapiste import KIND FILE`: one command per kind of data, all whole-or-nothing.

Every command shares the file argument and --skip-invalid; GIS kinds add --layer
and --source-crs; some kinds add their own options. The commands are built from
one table so that their options and reports cannot drift apart.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import psycopg
import typer
from sqlalchemy import exc as sa

from api import ingest
from api.cli.common import Bar, console, database_error, engine, fail
from api.storage.migrations import migrate
from geo.errors import DomainError
from geo.siteplan import PLAN_KINDS

app = typer.Typer(help="Import data files (whole or not at all).")

_P = inspect.Parameter


def _opt(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return _P(name, _P.KEYWORD_ONLY, default=default, annotation=annotation)


FILE = _P(
    "file",
    _P.POSITIONAL_OR_KEYWORD,
    annotation=Annotated[Path, typer.Argument(help="GeoPackage, GeoJSON, Shapefile or GML file")],
)
# GIS kinds also take a service: typer would fold a URL's // as a Path, so it stays a string.
SOURCE = _P(
    "file",
    _P.POSITIONAL_OR_KEYWORD,
    annotation=Annotated[
        str,
        typer.Argument(
            metavar="FILE|URL",
            help="GeoPackage, GeoJSON, Shapefile or GML file, or an OGC API - Features or WFS "
            "URL (OAPIF:https://…, WFS:https://…, https://…/collections/ID)",
        ),
    ],
)
PAGE_SIZE = _opt(
    "page_size",
    Annotated[int, typer.Option("--page-size", min=1, help="features per request from a service")],
    1000,
)
CSV_FILE = _P(
    "file",
    _P.POSITIONAL_OR_KEYWORD,
    annotation=Annotated[Path, typer.Argument(help="CSV: property_id,kind,name,...")],
)
LAYER = _opt(
    "layer",
    Annotated[
        str | None,
        typer.Option("--layer", help="layer to read (a service's collections, comma-separated)"),
    ],
)
SOURCE_CRS = _opt(
    "source_crs",
    Annotated[str | None, typer.Option("--source-crs", help="override the file's CRS, EPSG:N")],
)
SKIP = _opt(
    "skip_invalid",
    Annotated[
        bool, typer.Option("--skip-invalid", help="import the rest when features are rejected")
    ],
    False,
)
ID_FIELD = _opt(
    "id_field",
    Annotated[
        str | None,
        typer.Option("--id-field", help="the field of the ids (parcels, owners: the property id)"),
    ],
)
WATER_KIND = _opt(
    "water_kind",
    Annotated[str | None, typer.Option("--water-kind", help="sea, lake, river or pond")],
)
AREA_KIND = _opt(
    "kind",
    Annotated[str, typer.Option("--kind", help="|".join(PLAN_KINDS))],
    inspect.Parameter.empty,
)
FIELD_MAP = _opt(
    "field_map",
    Annotated[str | None, typer.Option("--field-map", help="ours=theirs,... e.g. name=kaavanimi")],
)


@dataclass(frozen=True)
class Kind:
    """One import command: the importer it runs, its help, and its parameters.

    `prefer` names the collections a service import takes when no --layer is given (all
    those present with `multi`).
    """

    run: Callable[..., ingest.Summary]
    help: str
    params: tuple[inspect.Parameter, ...]
    prefer: tuple[str, ...] = ()
    multi: bool = False


GIS = (SOURCE, LAYER, SOURCE_CRS, PAGE_SIZE)
KINDS: dict[str, Kind] = {
    "parcels": Kind(
        ingest.import_parcels,
        "Import parcels (property units and their palstat).",
        (*GIS, ID_FIELD, SKIP),
        ("property_borders", "parcels"),
    ),
    "buildings": Kind(
        ingest.import_buildings,
        "Import building footprints.",
        (*GIS, ID_FIELD, SKIP),
        ("buildings", "building"),
    ),
    "roads": Kind(
        ingest.import_roads,
        "Import road centrelines (names, class, state roads).",
        (*GIS, ID_FIELD, SKIP),
        ("road_link", "roads"),
    ),
    "water": Kind(
        ingest.import_water,
        "Import water areas and shorelines.",
        (*GIS, ID_FIELD, WATER_KIND, SKIP),
        ("water_areas", "shorelines"),
        multi=True,
    ),
    "areas": Kind(
        ingest.import_areas,
        "Import plan areas, building areas, planning-need or shore areas.",
        (SOURCE, AREA_KIND, LAYER, SOURCE_CRS, PAGE_SIZE, FIELD_MAP, SKIP),
    ),
    "owners": Kind(ingest.import_owners, "Import owners from CSV.", (CSV_FILE, ID_FIELD, SKIP)),
}


def report(summary: ingest.Summary) -> None:
    """Print what an import committed, repaired and rejected."""
    s = summary
    console.print(
        f"[green]committed[/] {s.kind} from {s.source}"
        + (f" (layer {s.layer})" if s.layer else "")
        + f": read {s.read:,}, imported {s.imported:,}, repaired {s.repaired:,}, rejected {s.rejected:,}"
        + (
            f"; {s.unchanged_units:,} units unchanged, left as they were"
            if s.unchanged_units
            else ""
        )
        + (f"; replaced {s.replaced:,} rows of an earlier import of it" if s.replaced else ""),
        highlight=False,
    )
    for r in s.repairs[:20]:
        console.print(f"  repaired {r.describe()}", highlight=False)
    for r in s.rejections[:20]:
        console.print(f"  rejected {r.describe()}", highlight=False)
    if s.held:
        more = f" and {len(s.held) - 20:,} more" if len(s.held) > 20 else ""
        console.print(
            f"  kept as stored (a feature or row of theirs was rejected): {', '.join(s.held[:20])}"
            + more,
            highlight=False,
        )


def _run_kind(eng: Any, kind: Kind, kwargs: dict[str, Any], bar: Bar) -> ingest.Summary:
    """Import a file, or fetch a service's features and import them."""
    source = kwargs.pop("path")
    page_size = kwargs.pop("page_size", 1000)
    if isinstance(source, str) and ingest.is_service(source):
        return ingest.import_from_service(
            kind.run,
            eng,
            source,
            layer=kwargs.pop("layer", None),
            prefer=kind.prefer,
            multi=kind.multi,
            page_size=page_size,
            progress=bar,
            **kwargs,
        )
    return kind.run(eng, path=Path(source), progress=bar, **kwargs)


def run(name: str, kind: Kind, options: dict[str, Any]) -> None:
    """Run one import with a progress bar; a refusal is an error naming the file and the reason."""
    eng = engine()
    migrate(eng)
    kwargs = {
        ("path" if k == "file" else "allow_rejections" if k == "skip_invalid" else k): v
        for k, v in options.items()
    }
    try:
        with Bar(f"import {name}") as bar:
            summary = _run_kind(eng, kind, kwargs, bar)
    except DomainError as exc:
        fail(f"{exc.message}\nnothing was imported (the import commits whole or not at all)")
    except (psycopg.DataError, psycopg.IntegrityError, sa.DataError, sa.IntegrityError) as exc:
        fail(_refused_value(exc, options.get("file") or name))
    report(summary)


def _refused_value(exc: Exception, source: object) -> str:
    """What to say of a value the database refused while loading a file (all rolled back).

    A value the checks let through is refused as the rows are copied in: psycopg's context
    names the row and column (COPY building, line 12, column floors). Refused elsewhere (the
    derived tables), it is no fault of the file's: said so, with the SQLSTATE.
    """
    orig, state, reason = database_error(exc)
    diag = getattr(orig, "diag", None)
    where = str(getattr(diag, "context", None) or "").strip().splitlines()
    if where and where[-1].startswith("COPY"):
        return (
            f"{source}: the database refused a value ({where[-1]}: the rows as copied, a "
            f"feature's parts one by one): {reason}\nnothing was imported"
        )
    return (
        f"{source}: the import failed in the database (SQLSTATE {state or '?'}): {reason}; an internal "
        "error, please report it\nnothing was imported"
    )


def _command(name: str, kind: Kind) -> Callable[..., None]:
    def command(**options: Any) -> None:
        run(name, kind, options)

    command.__signature__ = inspect.Signature(list(kind.params))  # type: ignore[attr-defined]
    command.__doc__ = kind.help
    command.__name__ = f"import_{name}"
    return command


for _name, _kind in KINDS.items():
    app.command(_name)(_command(_name, _kind))
