"""`rajapiste db`: the embedded cluster or RAJAPISTE_DATABASE_URL."""

from __future__ import annotations

import re

import typer

from api.cli.common import console, engine, fail, out
from api.settings import Settings, get_settings
from api.storage import cluster
from api.storage import replicas as replica_mod
from api.storage.engine import make_engine
from api.storage.migrations import migrate

app = typer.Typer(help="The database: embedded cluster or RAJAPISTE_DATABASE_URL.")


def _applied(versions: list[str]) -> None:
    console.print(f"migrations applied: {', '.join(versions) if versions else 'none pending'}")


@app.command("up")
def db_up(
    replicas: int = typer.Option(0, "--replicas", min=0, max=8, help="hot-standby replicas"),
) -> None:
    """Create (if needed) and start the embedded PostGIS cluster, then migrate it."""
    settings = get_settings()
    if settings.database_url and replicas:
        fail(
            "--replicas makes replicas of the embedded cluster; RAJAPISTE_DATABASE_URL names "
            "another database: add its replicas with PostgreSQL's own streaming replication "
            "(and list them in RAJAPISTE_READ_DATABASE_URLS)"
        )
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
    _applied(migrate(make_engine(settings)))
    if replicas and not settings.database_url:
        _replicas(settings, replicas)


def _replicas(settings: Settings, count: int) -> None:
    """Start `count` hot standbys and print how to read from them."""
    try:
        started = replica_mod.start(settings, count)
    except cluster.ClusterError as exc:
        fail(str(exc))
    ports = ", ".join(str(r.port) for r in started)
    console.print(
        f"{len(started)} hot-standby replica(s) on 127.0.0.1 port(s) {ports}; read from them with"
    )
    out.print(f"RAJAPISTE_READ_DATABASE_URLS={replica_mod.read_urls(settings, started)}")


@app.command("down")
def db_down() -> None:
    """Stop the embedded cluster (and its replicas)."""
    for r in replica_mod.existing(get_settings()):
        replica_mod.stop(r)
    cluster.stop(get_settings())
    console.print("embedded PostGIS stopped")


@app.command("status")
def db_status() -> None:
    """Show where the database is and whether it runs."""
    settings = get_settings()
    if settings.database_url:
        out.print(f"database: RAJAPISTE_DATABASE_URL ({settings.database_url.split('@')[-1]})")
        return
    for k, v in cluster.status(settings).items():
        out.print(f"{k}: {v}")


@app.command("migrate")
def db_migrate() -> None:
    """Apply pending migrations to the configured database."""
    _applied(migrate(engine()))


@app.command("doctor")
def db_doctor() -> None:
    """Report the server settings that matter for speed (as the service's sessions see them)."""
    from api.ingest import derive
    from api.services import doctor
    from api.storage.engine import fetch_all

    with engine().connect() as conn:
        findings = doctor.report(conn)
        builds = [(r["municipality"], r["rules_key"]) for r in fetch_all(conn, "relation_builds")]
    stale = derive.stale_municipalities(builds)
    findings.append(
        doctor.Finding(
            "stored opposite neighbours",
            f"{derive.STALE_WHY}: {', '.join(stale)}" if stale else "current",
            not stale,
            "answered live (right, but slower) until `rajapiste db relations --stale`"
            if stale
            else "",
        )
    )
    for f in findings:
        mark = "ok  " if f.ok else "WARN"
        out.print(f"{mark} {f.name}: {f.value}" + (f"\n     {f.advice}" if f.advice else ""))
    bad = sum(not f.ok for f in findings)
    out.print(f"{bad} finding(s) to look at" if bad else "all settings that matter are fine")


@app.command("relations")
def db_relations(
    municipality: str | None = typer.Option(
        None, "--municipality", help="only this municipality's units (its 3-digit code)"
    ),
    stale: bool = typer.Option(
        False,
        "--stale",
        help="only municipalities whose relations are stale: not built, or built under other"
        " rules, by an older version or mixed",
    ),
) -> None:
    """Rebuild the stored opposite neighbours, e.g. after an upgrade or a change of rules.

    Until then a municipality whose relations are stale (`derive.STALE_WHY`) is answered
    live: right, but slower. One transaction: all or nothing.
    """
    from api.cli.common import Bar
    from api.ingest import derive
    from api.storage.engine import raw_cursor

    if municipality is not None and not re.fullmatch(r"[0-9]{3}", municipality):
        fail(f"--municipality {municipality!r}: a municipality code is three digits, e.g. 091")
    with raw_cursor(engine()) as cur:  # one transaction: fail() below rolls it back
        try:
            codes = [municipality] if municipality else None
            if stale:
                codes = [c for c in derive.stale_in(cur) if municipality in (None, c)]
                if not codes:
                    if municipality:  # not stale: current, or it has no units (NoUnits)
                        derive.units_extent(cur, municipality)
                    of = f" of {municipality}" if municipality else ""
                    out.print(f"opposite neighbours{of} are current: nothing to rebuild")
                    return
                out.print(f"rebuilding the opposite neighbours of {', '.join(codes)}")
            with Bar("relations") as bar:
                counts = derive.rebuild_municipalities(cur, codes, bar)
        except derive.NoUnits as exc:
            fail(str(exc))
    for code, n in counts.items():
        around = f" around {code}" if code else ""
        out.print(f"opposite neighbours rebuilt{around}: {n:,} units within reach have some")
