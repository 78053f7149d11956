"""`rajapiste demo`: the generated town and the data `make run` loads."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine, text

from api import ingest
from api.cli.common import Bar, console, engine, fail
from api.ingest import derive
from api.ingest.demo import loader
from api.storage.engine import raw_cursor
from api.storage.migrations import migrate
from geo import property_id
from geo.errors import DomainError

app = typer.Typer(help="Generated demo municipality.")
NLS_FILES = (
    "parcels.gpkg",
    "buildings.gpkg",
    "roads.gpkg",
    "sea_shoreline.gpkg",
    "lakes_shoreline.gpkg",
)


@app.command("generate")
def demo_generate(
    parcels: Annotated[int, typer.Option("--parcels", min=1000, max=4_000_000)] = 5000,
    municipality: Annotated[str, typer.Option("--municipality")] = "244",
    seed: Annotated[int, typer.Option("--seed")] = 1,
) -> None:
    """Generate and load a realistic demo municipality (replaces that municipality's data)."""
    code = property_id.municipality_code(municipality)
    if code is None:
        fail(f"--municipality {municipality!r}: a municipality code, e.g. 244")
    eng = engine()
    migrate(eng)
    with Bar("demo") as bar:
        counts = loader.load(eng, parcels, code, seed, progress=bar)
    console.print("loaded demo town: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


def _loaded_sources(eng: Engine) -> list[str]:
    with eng.connect() as conn:
        loaded = conn.execute(
            text("SELECT string_agg(DISTINCT source, ',') FROM property_unit")
        ).scalar()
    return str(loaded).split(",") if loaded else []


def _nls_complete(eng: Engine, nls: Path) -> bool:
    """Whether every NLS file present was imported and the demo owners were given (the last step).

    A load stopped midway (an error, Ctrl-C) left its first files: `demo sample` loads again.
    """
    with eng.connect() as conn:
        logged = {
            Path(s).name for s in conn.execute(text("SELECT source FROM import_log")).scalars()
        }
        owners = conn.execute(
            text("SELECT EXISTS (SELECT 1 FROM personal.owner WHERE property_id LIKE '091%')")
        ).scalar()
    return bool(owners) and all(f in logged for f in NLS_FILES if (nls / f).exists())


def load_nls(eng: Engine, nls: Path) -> None:
    """Import the NLS Helsinki sample files that are present, with generated demo owners."""
    console.print(
        f"loading the real NLS Helsinki sample from {nls} (© Maanmittauslaitos, CC BY 4.0)"
    )
    importers = (
        ingest.import_parcels,
        ingest.import_buildings,
        ingest.import_roads,
        ingest.import_water,
        ingest.import_water,
    )
    try:
        with Bar("NLS sample") as bar:
            for name, run in zip(NLS_FILES, importers, strict=True):
                if (nls / name).exists():
                    run(eng, nls / name, progress=bar)
    except DomainError as exc:
        fail(exc.message)
    n = loader.sample_owners(eng, "091")
    console.print(f"loaded NLS Helsinki sample; {n:,} generated demo owners (marked '(demo)')")


def _refresh_relations(eng: Engine) -> None:
    """Rebuild stale opposite neighbours (`derive.STALE_WHY`), e.g. after an upgrade.

    Until rebuilt they are answered live: right, but many times slower.
    """
    with raw_cursor(eng) as cur:
        codes = derive.stale_in(cur)
        if codes:
            console.print(
                f"opposite neighbours of {', '.join(codes)}: {derive.STALE_WHY}: rebuilding"
            )
            with Bar("relations") as bar:
                derive.rebuild_municipalities(cur, codes, bar)


@app.command("sample")
def demo_sample(
    nls: Annotated[Path, typer.Option("--nls", help="folder of the NLS Helsinki sample")] = Path(
        "../shared/data/nls-helsinki"
    ),
    parcels: Annotated[int, typer.Option("--parcels", help="size of the generated town")] = 20000,
    force: Annotated[bool, typer.Option("--force", help="reload even if loaded")] = False,
) -> None:
    """Load the demo data of `make run`: the NLS sample if present, a generated town otherwise."""
    eng = engine()
    migrate(eng)
    have_nls = (nls / "parcels.gpkg").exists()
    wanted = "parcels.gpkg" if have_nls else "demo"
    loaded = _loaded_sources(eng)
    complete = wanted in loaded and (not have_nls or _nls_complete(eng, nls))
    if complete and not force:
        what = "NLS Helsinki sample" if have_nls else "generated town"
        console.print(f"demo data already loaded ({what})")
        _refresh_relations(eng)
        return
    if not have_nls and loaded and not force:  # a mistyped --nls must not replace the data
        console.print(
            f"{nls} not found; keeping the demo data already loaded ({', '.join(loaded)}); "
            "--force replaces it with a generated town"
        )
        _refresh_relations(eng)
        return
    if wanted in loaded:
        console.print("the demo data was loaded only in part (stopped midway): loading it again")
    loader.reset(eng)
    if have_nls:
        load_nls(eng, nls)
        return
    console.print(f"{nls} not found: loading a generated town of {parcels:,} parcels")
    with Bar("demo") as bar:
        counts = loader.load(eng, parcels, "244", 1, progress=bar)
    console.print("loaded generated town: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
