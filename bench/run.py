"""Benchmarks as a user meets them (issue 12): SQL, service and HTTP, with the raw floor.

Usage: make bench [PARCELS=1000000] [SAMPLES=300] [EXCAVATIONS=100000] [IMPORT_PARCELS=...]
Runs in its own database (rajapiste_bench) of the embedded cluster, or in
RAJAPISTE_BENCH_DATABASE_URL (any PostGIS). Prints one table: p50 / p95 of each measure and
its p95 as a multiple of the raw floor (one ST_DWithin probe on the parcels' GiST index).
HTTP runs `rajapiste serve` (uvicorn, one worker per CPU) on a real socket, 4 clients.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ["RAJAPISTE_DB_NAME"] = "rajapiste_bench"
if os.environ.get("RAJAPISTE_BENCH_DATABASE_URL"):
    os.environ["RAJAPISTE_DATABASE_URL"] = os.environ["RAJAPISTE_BENCH_DATABASE_URL"]

import local_server  # noqa: E402
import shapely  # noqa: E402
from local_server import serving  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402

from api import ingest as importer  # noqa: E402
from api import rulesets  # noqa: E402
from api.ingest import derive  # noqa: E402
from api.ingest.demo import loader as demo_loader  # noqa: E402
from api.ingest.demo import town as demo  # noqa: E402
from api.schemas.requests import ExcavationIn, SiteAnalysisIn  # noqa: E402
from api.services import analysis, excavations, neighbours, tiles  # noqa: E402
from api.settings import Settings, get_settings  # noqa: E402
from api.storage import cluster  # noqa: E402
from api.storage import engine as db  # noqa: E402
from api.storage.migrations import migrate  # noqa: E402
from api.storage.sqlfiles import query  # noqa: E402
from geo.crs import from_storage  # noqa: E402
from tests.web.mapkit import TOWN_MIDDLE_SQL  # noqa: E402  (on the path through local_server)

N = int(os.environ.get("PARCELS") or "1000000")
N_IMPORT = int(os.environ.get("IMPORT_PARCELS") or str(min(N, 200_000)))
SAMPLES = int(os.environ.get("SAMPLES") or "300")
N_WORKS = int(os.environ.get("EXCAVATIONS") or "100000")
CLIENTS = 4
RUN_DB = str(Settings.model_fields["db_name"].default)  # the database `make run` serves
HELSINKI_UNITS_SQL = (
    "SELECT property_id FROM property_unit WHERE kind = 'private' AND municipality = '091'"
    " ORDER BY md5(property_id) LIMIT :n"
)
HALF = 20037508.342789244  # half the Web Mercator world's width
HERE = Path(__file__).resolve().parent
ROWS: list[tuple[str, float, float, int]] = []  # name, p50, p95, n
# CPU ms per HTTP request: name, server, PostgreSQL (None: not the embedded cluster), clients
CPU_ROWS: list[tuple[str, float, float | None, float]] = []
WORKER_MIB: list[float] = []  # the server's peak resident memory, read while it ran


def pct(xs: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def record(name: str, xs: list[float]) -> None:
    """Keep one measure (milliseconds) and show it at once."""
    ROWS.append((name, pct(xs, 50), pct(xs, 95), len(xs)))
    print(f"  {name:<52} p50 {pct(xs, 50):8.2f} ms  p95 {pct(xs, 95):8.2f} ms", file=sys.stderr)


def timed(fn: Callable[[], Any]) -> float:
    """Milliseconds one call takes."""
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def progress(stage: str, done: int, total: int) -> None:
    """Import progress on stderr."""
    print(f"\r  {stage}: {done:,}/{total:,}   ", end="", file=sys.stderr, flush=True)


def setup() -> Engine:
    """The bench database (created in the embedded cluster when no URL is given), migrated."""
    import psycopg

    settings = get_settings()
    if not settings.database_url:
        cluster.start(settings)
        lay = cluster.layout(settings)
        with psycopg.connect(
            host="127.0.0.1",
            port=lay.port,
            user=cluster.DB_USER,
            password=lay.password_file.read_text().strip(),
            dbname="postgres",
            autocommit=True,
        ) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname='rajapiste_bench'"
            ).fetchone():
                conn.execute('CREATE DATABASE "rajapiste_bench"')
    eng = db.make_engine(settings)
    migrate(eng)
    return eng


def load_town(eng: Engine) -> None:
    """Generate and load the town unless the database holds it already (about N parcels)."""
    with eng.connect() as conn:
        have = conn.execute(
            text("SELECT count(*) FROM parcel WHERE property_id LIKE '244%'")
        ).scalar_one()
    if N * 0.9 <= have <= N * 1.3:  # the generated town has about 1.16 parcels per unit of N
        print(f"town of {have:,} parcels already loaded: generate + load not measured")
        return
    t = time.perf_counter()
    demo_loader.reset(eng)
    counts = demo_loader.load(eng, N, "244", 1, progress=progress)
    secs = time.perf_counter() - t
    print(
        f"\ngenerate + load town: {counts['parcels']:,} parcels in {secs:.1f} s ({counts['parcels'] / secs:,.0f}/s)"
    )


def sample(eng: Engine) -> tuple[list[str], list[Any]]:
    """SAMPLES private units of the town (random) and their sites."""
    with eng.connect() as conn:
        ids = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT property_id FROM property_unit WHERE kind = 'private'"
                    " AND municipality = '244' ORDER BY md5(property_id) LIMIT :n"
                ),
                {"n": SAMPLES},
            )
        ]
        sites = [neighbours.site_of_property(conn, pid)[1] for pid in ids]
    return ids, sites


def floor(eng: Engine, sites: list[Any]) -> None:
    """The raw floor: one ST_DWithin probe on the parcels' GiST index."""
    with eng.connect() as conn:
        ms = [
            timed(
                lambda s=s: conn.execute(
                    text(
                        "SELECT property_id FROM parcel WHERE ST_DWithin(geom, ST_GeomFromWKB(:g, 3067), 0.5)"
                    ),
                    {"g": shapely.to_wkb(s)},
                ).all()
            )
            for s in sites
        ]
    record("raw floor: one ST_DWithin probe (GiST)", ms)


def neighbour_sql(conn: Any, pid: str, site: Any, rules: Any) -> None:
    """The neighbour list's SQL: adjacent, stored opposite with their details, owners, roads."""
    wkb = shapely.to_wkb(site)
    adj = db.fetch_all(conn, "neighbours_adjacent", site=wkb, site_ids=[pid], tolerance_m=0.5)
    opp = neighbours.opposite_rows(conn, rules, [pid], stored_for=pid)
    assert opp[0]["stored"], "the town's relations were not built with today's rules"
    ids = [r["property_id"] for r in adj] + [r["property_id"] for r in opp if r["property_id"]]
    db.fetch_all(conn, "owners_of", ids=ids)
    nr = rules.neighbours
    db.fetch_all(conn, "state_road_near", site=wkb, tolerance_m=0.5, reach_m=nr.opposite_road_max_m)


def in_process(eng: Engine, ids: list[str], sites: list[Any], bodies: dict[str, list[Any]]) -> None:
    """SQL and service timings of neighbour lists, site analysis and excavation checks."""
    settings = get_settings()
    rules = rulesets.rules_for(settings.rulesets_dir, "244", dt.date.today())
    today = dt.date.today()
    with eng.connect() as conn:
        record(
            "neighbour list, SQL",
            [
                timed(lambda p=p, s=s: neighbour_sql(conn, p, s, rules))
                for p, s in zip(ids, sites, strict=True)
            ],
        )
        record(
            "neighbour list, service (SQL + document)",
            [
                timed(
                    lambda p=p, s=s: neighbours.neighbour_list(
                        conn, s, p, rules, today, settings.rulesets_dir
                    )
                )
                for p, s in zip(ids, sites, strict=True)
            ],
        )
        an = [SiteAnalysisIn.model_validate(b) for b in bodies["analysis"]]
        record(
            "site analysis, SQL (what lies around the site)",
            [
                timed(lambda s=s, p=p: analysis.context(conn, s, [p], 100.0, 50.0))
                for p, s in zip(ids, sites, strict=True)
            ],
        )
        record(
            "site analysis, service",
            [timed(lambda b=b: analysis.analyse(conn, settings, b)) for b in an],
        )
        ex = [ExcavationIn.model_validate(b) for b in bodies["excavations"]]
        record(
            "excavation check, service",
            [timed(lambda b=b: excavations.check(conn, settings, b)) for b in ex],
        )
        conn.rollback()


def tile_addresses(eng: Engine, z: int, n: int) -> list[tuple[int, int, int]]:
    """n random tiles of zoom z inside the town."""
    with eng.connect() as conn:
        x0, y0, x1, y1 = conn.execute(
            text(
                "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Transform("
                "ST_SetSRID(ST_Extent(geom), 3067), 3857) AS e FROM property_unit WHERE municipality = '244') q"
            )
        ).one()
    size = 2 * HALF / 2**z
    rnd = random.Random(z)
    out = []
    for _ in range(n):
        x, y = rnd.uniform(x0, x1), rnd.uniform(y0, y1)
        out.append((z, int((x + HALF) // size), int((HALF - y) // size)))
    return out


def tiles_in_process(eng: Engine, addresses: dict[int, list[tuple[int, int, int]]]) -> None:
    """Tile rendering in the database (ST_AsMVT), parcels layer, by zoom."""
    with eng.connect() as conn:
        for z, addr in addresses.items():
            record(
                f"tile parcels z{z}, SQL (ST_AsMVT)",
                [timed(lambda a=a: tiles.render(conn, "parcels", *a)) for a in addr],
            )


def work_bodies(eng: Engine) -> list[dict[str, Any]]:
    """Store N_WORKS excavations (once) and make check requests on random streets."""
    with eng.begin() as conn:
        have = conn.execute(
            text("SELECT count(*) FROM excavation_permit WHERE applicant = 'bench'")
        ).scalar_one()
        if have < N_WORKS:
            conn.execute(text("DELETE FROM excavation_permit WHERE applicant = 'bench'"))
            t = time.perf_counter()
            conn.execute(query("bench_excavations"), {"n": N_WORKS})
            print(f"stored {N_WORKS:,} excavations in {time.perf_counter() - t:.1f} s", flush=True)
        conn.execute(text("ANALYZE excavation_area"))
        streets = [
            shapely.from_wkb(bytes(r[0]))
            for r in conn.execute(
                text(
                    "SELECT ST_AsBinary(ST_PointOnSurface(p.geom)) FROM parcel p JOIN property_unit u USING (property_id)"
                    " WHERE u.public_type = 'street' AND u.municipality = '244' ORDER BY md5(p.id::text) LIMIT :n"
                ),
                {"n": min(SAMPLES, 200)},
            )
        ]
    bodies = []
    for i, pt in enumerate(streets):
        area = from_storage(shapely.box(pt.x - 2, pt.y - 2, pt.x + 2, pt.y + 2), 4326)
        start = dt.date(2020, 1, 1) + dt.timedelta(days=(i * 37) % 3650)
        phase = {
            "areas": [shapely.geometry.mapping(area)],
            "start": start.isoformat(),
            "end": (start + dt.timedelta(days=14)).isoformat(),
            "on_carriageway": True,
            "traffic_plan": "LM-2",
        }
        bodies.append({"municipality": "244", "today": "2019-06-01", "phases": [phase]})
    return bodies


def analysis_bodies(ids: list[str], sites: list[Any]) -> list[dict[str, Any]]:
    """One planned 8 x 8 m house on each sampled lot that has room for it."""
    out = []
    for pid, shape in zip(ids, sites, strict=True):
        g = shape.representative_point()
        house = shapely.box(g.x - 4, g.y - 4, g.x + 4, g.y + 4)
        if shape.contains(house):
            fp = shapely.geometry.mapping(house)
            b = {"footprint": fp, "use": "dwelling", "floor_area_m2": 64, "height_m": 4}
            out.append({"property_id": pid, "crs": "EPSG:3067", "buildings": [b]})
    return out


def _ready(p: subprocess.Popen[str], who: str) -> int:
    """The local port of a bench client's connection, once it has connected."""
    assert p.stdout is not None
    word, _, port = p.stdout.readline().strip().partition(" ")
    if word != "ready":
        raise RuntimeError(f"{who} did not connect (see above)")
    return int(port)


def spread(base: str, procs: list[subprocess.Popen[str]], ports: list[int]) -> str:
    """Reconnect clients until each server worker holds an equal share of their connections.

    The workers share one listening socket and whichever is woken first takes a new
    connection, so 4 keep-alive clients landed on 2 workers as 2+2, 3+1 or 4+0 (8, 1 and 3
    times in 12 tries). A worker runs Python on one core at a time: at 4+0 one core serves
    all four clients (neighbour lists p50 18-26 ms, against 11-15 ms at 2+2, in alternating
    rounds): the runs' swings between two levels. Many clients spread themselves; four are
    spread here, as many clients would be (README, "How much the numbers move").
    """
    workers = min(os.cpu_count() or 1, len(ports))  # `rajapiste serve`'s default
    tries = 0
    while True:
        held = local_server.workers_of(base, ports)
        counts = {w: held.count(w) for w in set(held)}
        even = len(counts) >= workers and max(counts.values()) - min(counts.values()) <= 1
        # after 20: idle clients' connections are closed after uvicorn's 5 s keep-alive
        if even or None in counts or tries == 20:
            break
        busiest = max(counts, key=lambda w: counts[w])
        i = held.index(busiest)
        stdin = procs[i].stdin
        assert stdin is not None
        stdin.write("reconnect\n")
        stdin.flush()
        ports[i] = _ready(procs[i], f"bench client {i}")
        tries += 1
    split = "+".join(str(n) for n in sorted(counts.values(), reverse=True))
    if None in counts:
        return f"clients per worker: not found in /proc ({split})"
    state = "" if even else " (NOT balanced)"
    return f"clients per server worker: {split}{state}, after {tries} reconnection(s)"


def http(base: str, name: str, calls: list[tuple[str, str, Any]]) -> None:
    """Run (method, path, body) calls from CLIENTS concurrent client processes; record latencies.

    Each client is `bench/client.py`, a process of its own with one keep-alive connection:
    started and connected first, then all let go at once.
    """
    procs = [
        subprocess.Popen(
            [sys.executable, str(HERE / "client.py"), base],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(CLIENTS)
    ]
    settings = get_settings()
    pgdata = None if settings.database_url else cluster.layout(settings).pgdata

    def postgres() -> set[str]:  # the embedded cluster's processes (none: another server)
        return set() if pgdata is None else local_server.postgres_pids(pgdata)

    try:
        ports = []
        for i, p in enumerate(procs):
            assert p.stdin is not None and p.stdout is not None
            p.stdin.write(json.dumps(calls[i::CLIENTS]) + "\n")
            p.stdin.flush()
            ports.append(_ready(p, f"{name}: bench client {i}"))
        print(f"    ({spread(base, procs, ports)})", file=sys.stderr)
        before = local_server.cpu_s(local_server.server_pids(base)), local_server.cpu_s(postgres())
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        ms: list[float] = []
        clients_s = 0.0
        for i, p in enumerate(procs):
            out, _ = p.communicate()
            if p.returncode != 0:
                raise RuntimeError(f"{name}: bench client {i} failed (its message is above)")
            done = json.loads(out)
            ms += done["ms"]
            clients_s += done["cpu_s"]
        server_s = local_server.cpu_since(before[0], local_server.server_pids(base))
        pg_s = local_server.cpu_since(before[1], postgres())
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    record(f"{name}, HTTP ({CLIENTS} clients)", ms)
    per = 1000 / len(ms)
    CPU_ROWS.append((name, server_s * per, None if pgdata is None else pg_s * per, clients_s * per))


def over_http(
    ids: list[str],
    bodies: dict[str, list[Any]],
    addresses: dict[int, list[tuple[int, int, int]]],
    middle: str,
) -> None:
    """Every measure over HTTP against a real server."""
    with serving() as base:
        http(
            base, "neighbour list", [("GET", f"/api/v1/parcels/{p}/neighbours", None) for p in ids]
        )
        http(
            base,
            "site analysis",
            [("POST", "/api/v1/analysis/site", b) for b in bodies["analysis"]],
        )
        http(
            base,
            f"excavation check ({N_WORKS:,} works)",
            [("POST", "/api/v1/excavations/check", b) for b in bodies["excavations"]],
        )
        for z, addr in addresses.items():
            http(
                base,
                f"tile parcels z{z}",
                [("GET", f"/api/v1/tiles/parcels/{a}/{b}/{c}.mvt", None) for a, b, c in addr],
            )
        town_map(base, middle)
        WORKER_MIB.append(local_server.worker_peak_mib(base))


def helsinki() -> None:
    """Neighbour lists over HTTP on the NLS Helsinki sample that `make run` serves (its database).

    Measured only in the embedded cluster, when `make run` has loaded the sample there; the row
    says so when that database's opposite neighbours are stale (answered live).
    """
    settings = get_settings()
    if settings.database_url:
        print("\nHelsinki sample: not measured (the bench runs in another PostGIS, not make run's)")
        return
    eng = db.make_engine(settings.model_copy(update={"db_name": RUN_DB}))
    try:
        with eng.connect() as conn:
            ids = [r[0] for r in conn.execute(text(HELSINKI_UNITS_SQL), {"n": SAMPLES})]
            builds = [(r[0], r[1]) for r in conn.execute(query("relation_builds"))]
    except DBAPIError:  # make run has not made or migrated its database
        ids, builds = [], []
    finally:
        eng.dispose()
    if not ids:
        print("\nHelsinki sample: not measured (make run's database has none: run `make run` once)")
        return
    stale = ", stale: answered live" if derive.stale_municipalities(builds) else ""
    with serving(RAJAPISTE_DB_NAME=RUN_DB) as base:
        http(
            base,
            f"neighbour list, Helsinki sample ({len(ids)} units of make run's database{stale})",
            [("GET", f"/api/v1/parcels/{p}/neighbours", None) for p in ids],
        )


def town_map(base: str, middle: str) -> None:
    """The web map at zoom 14 over the town in Chromium: tiles load, parcels everywhere in view.

    The browser test's own check (tests/web/mapkit.py), on this town; skipped without Chromium.
    """
    from playwright.sync_api import sync_playwright

    from tests.web.mapkit import CHROMIUM, TOWN_VIEW, Watch, town_at_zoom_14

    if not Path(CHROMIUM).exists():
        print("map at zoom 14: not checked (Debian's chromium is not installed)")
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        pg = browser.new_context(viewport=TOWN_VIEW).new_page()
        watch = Watch(pg)
        seen = town_at_zoom_14(pg, base, middle)
        browser.close()
    wrong = seen.problems() + watch.errors + watch.failed + watch.external
    drawn = sum(seen.painted)
    print(
        f"map at zoom 14 over the town (Chromium): {len(seen.at14)} parcel tiles,"
        f" parcels drawn at {drawn}/{len(seen.points)} points of the view"
        + ("" if not wrong else f"; PROBLEMS: {wrong}")
    )


IMPORT_MUNICIPALITY = "998"  # the import bench's town, away from the others


def import_rate(eng: Engine) -> None:
    """A generated town written as GeoPackage, imported (derived tables included).

    Into an empty area first (its units from an earlier run are removed and the tables
    vacuumed, untimed): every unit is written and every derived table computed. Then the
    same file again, as a monthly re-import of an unchanged register would be: nothing is
    written (each unit's parcels are compared with those stored) and nothing derived.
    """
    import geopandas as gpd

    town = demo.generate(N_IMPORT, IMPORT_MUNICIPALITY, 2, origin=(600_000.0, 7_500_000.0))
    with eng.begin() as conn:
        conn.execute(
            text("DELETE FROM property_unit WHERE municipality = :m"), {"m": IMPORT_MUNICIPALITY}
        )
    with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(
            text("VACUUM (ANALYZE) property_unit, parcel, opposite_relation, crossing_area")
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "parcels.gpkg"
        gpd.GeoDataFrame(
            {"kiinteistotunnus": [p for p, _ in town.parcels]},
            geometry=[g for _, g in town.parcels],
            crs=3067,
        ).to_file(path, driver="GPKG")
        for what in ("into an empty area", "the same file again"):
            t = time.perf_counter()
            s = importer.import_parcels(eng, path, progress=progress)
            secs = time.perf_counter() - t
            print(
                f"\nimport parcels from GeoPackage, {what}: {s.imported / secs:,.0f} parcels/s"
                f" ({s.imported:,} in {secs:.1f} s, derived tables included;"
                f" {s.unchanged_units:,} units unchanged)"
            )


def table(floor_ms: float) -> None:
    """The results, each p95 as a multiple of the raw floor's p50; then each HTTP request's CPU.

    The CPU a request costs (the server's processes, PostgreSQL's, the clients') says what its
    latency is made of: with two cores and four clients, a request's p50 is about twice its CPU.
    """
    print(f"\n{'measure':<56} {'p50 ms':>9} {'p95 ms':>9} {'n':>5} {'p95/floor':>10}")
    for name, p50, p95, n in ROWS:
        print(f"{name:<56} {p50:9.2f} {p95:9.2f} {n:5d} {p95 / max(floor_ms, 1e-9):10.1f}")
    print(f"\n{'CPU per HTTP request, ms':<56} {'server':>9} {'postgres':>9} {'clients':>9}")
    for name, server, pg, clients in CPU_ROWS:
        shown = "n/a" if pg is None else f"{pg:.2f}"
        print(f"{name:<56} {server:9.2f} {shown:>9} {clients:9.2f}")
    if any(pg is None for _, _, pg, _ in CPU_ROWS):
        print("(postgres: measured for the embedded cluster only)")


def main() -> None:
    """Run everything and print one table."""
    eng = setup()
    where = (
        "RAJAPISTE_BENCH_DATABASE_URL"
        if os.environ.get("RAJAPISTE_BENCH_DATABASE_URL")
        else "embedded cluster"
    )
    print(
        f"# Rajapiste benchmark: {N:,} parcels, {os.cpu_count()} cores, {where}, {dt.date.today()}"
    )
    load_town(eng)
    ids, sites = sample(eng)
    bodies = {"excavations": work_bodies(eng), "analysis": analysis_bodies(ids, sites)}
    addresses = {z: tile_addresses(eng, z, min(SAMPLES, 200)) for z in (14, 16, 17, 18)}
    service = db.make_engine(get_settings(), service=True)  # measured as the service runs
    floor(service, sites)
    in_process(service, ids, sites, bodies)
    tiles_in_process(service, addresses)
    with eng.connect() as conn:
        middle = conn.execute(text(TOWN_MIDDLE_SQL)).scalar_one()
    over_http(ids, bodies, addresses, middle)
    helsinki()
    import_rate(eng)
    table(ROWS[0][1])
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = max(WORKER_MIB, default=0.0)
    print(f"peak memory: this process {own:,.0f} MiB, largest server process {worker:,.0f} MiB")
    print("(the database server's own memory is not included)")


if __name__ == "__main__":
    main()
