"""Benchmarks: neighbour list via SQL, CLI and HTTP; import rate; whole-municipality graph.

Usage: make bench [PARCELS=1000000]  (prints a table; numbers go into the README by hand)
Runs in its own database (rajapiste_bench) of the embedded cluster, or in
RAJAPISTE_BENCH_DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ["RAJAPISTE_DB_NAME"] = "rajapiste_bench"
if os.environ.get("RAJAPISTE_BENCH_DATABASE_URL"):
    os.environ["RAJAPISTE_DATABASE_URL"] = os.environ["RAJAPISTE_BENCH_DATABASE_URL"]

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from sqlalchemy import text  # noqa: E402

from api import ingest as importer  # noqa: E402
from api import rulesets  # noqa: E402
from api.ingest.demo import loader as demo_loader  # noqa: E402
from api.ingest.demo import town as demo  # noqa: E402
from api.services import neighbours  # noqa: E402
from api.settings import get_settings  # noqa: E402
from api.storage import cluster  # noqa: E402
from api.storage import engine as db  # noqa: E402
from api.storage.migrations import migrate  # noqa: E402
from api.storage.sqlfiles import query  # noqa: E402

N = int(os.environ.get("PARCELS", "1000000"))
N_IMPORT = int(os.environ.get("IMPORT_PARCELS", str(min(N, 200_000))))
N_GRAPH = int(os.environ.get("GRAPH_PARCELS", "100000"))
SAMPLES = int(os.environ.get("SAMPLES", "500"))
ROOT = Path(__file__).resolve().parent.parent


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def line(name: str, xs: list[float], unit: str = "ms") -> None:
    print(
        f"{name:<46} p50 {pct(xs, 50):8.2f} {unit}   p95 {pct(xs, 95):8.2f} {unit}   n={len(xs)}",
        flush=True,
    )


def setup() -> object:
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


def progress(stage: str, done: int, total: int) -> None:
    print(f"\r  {stage}: {done:,}/{total:,}", end="", file=sys.stderr, flush=True)


def main() -> None:
    eng = setup()
    if os.environ.get("ONLY") == "graph":
        graph(eng)
        return
    settings = get_settings()
    print(f"# Rajapiste benchmark, {N:,} parcels, {os.cpu_count()} cores, {dt.date.today()}")
    with eng.connect() as conn:  # type: ignore[attr-defined]
        have = conn.execute(
            text("SELECT count(*) FROM parcel WHERE property_id LIKE '244%'")
        ).scalar_one()
    if abs(have - N) > N * 0.1:
        t = time.perf_counter()
        demo_loader.reset(eng)  # type: ignore[arg-type]
        counts = demo_loader.load(eng, N, "244", 1, progress=progress)  # type: ignore[arg-type]
        print(
            f"\ngenerated + loaded town: {counts['parcels']:,} parcels in {time.perf_counter() - t:.1f} s"
        )
    rules = rulesets.rules_for(settings.rulesets_dir, "244", dt.date.today())
    with eng.connect() as conn:  # type: ignore[attr-defined]
        ids = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT property_id FROM property_unit TABLESAMPLE SYSTEM (1) WHERE kind='private' LIMIT :n"
                ),
                {"n": SAMPLES},
            )
        ]
        random.Random(1).shuffle(ids)
        sql_ms: list[float] = []
        svc_ms: list[float] = []
        for pid in ids:
            _, site = neighbours.site_of_property(conn, pid)
            wkb = shapely.to_wkb(site)
            t = time.perf_counter()
            adj = db.fetch_all(
                conn, "neighbours_adjacent", site=wkb, site_ids=[pid], tolerance_m=0.5
            )
            nr = rules.neighbours
            opp = db.fetch_all(
                conn,
                "neighbours_opposite",
                site=wkb,
                site_ids=[pid],
                exclude=[a["property_id"] for a in adj],
                tolerance_m=0.5,
                road_max_m=nr.opposite_road_max_m,
                water_max_m=nr.opposite_water_max_m,
                park_max_m=nr.opposite_park_max_m,
                min_share=nr.opposite_min_inside_share,
                slack=nr.opposite_slack,
                include_public=True,
            )
            db.fetch_all(conn, "owners_of", ids=[r["property_id"] for r in adj + opp])
            db.fetch_all(conn, "state_road_near", site=wkb, tolerance_m=0.5)
            sql_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            neighbours.neighbour_list(
                conn, site, pid, rules, dt.date.today(), settings.rulesets_dir
            )
            svc_ms.append((time.perf_counter() - t) * 1000)
    line("neighbour list, SQL (adjacent+opposite+owners)", sql_ms)
    line("neighbour list, service (SQL + JSON document)", svc_ms)

    cli_ms = []
    for pid in ids[:10]:
        t = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv/bin/rajapiste"), "neighbours", pid, "--format", "json"],
            check=True,
            capture_output=True,
        )
        cli_ms.append((time.perf_counter() - t) * 1000)
    line("neighbour list, CLI (process start included)", cli_ms)

    port = 8765
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/rajapiste"), "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        http_ms: list[float] = []
        lock = threading.Lock()

        def worker(chunk: list[str]) -> None:
            with httpx.Client(base_url=base, timeout=30) as c:
                for pid in chunk:
                    t = time.perf_counter()
                    r = c.get(f"/api/v1/parcels/{pid}/neighbours")
                    ms = (time.perf_counter() - t) * 1000
                    assert r.status_code == 200, r.text
                    with lock:
                        http_ms.append(ms)

        excavation_bench(eng, base)
        analysis_bench(base, ids)
        layers_bench(base)

        clients = 4
        threads = [threading.Thread(target=worker, args=(ids[i::clients],)) for i in range(clients)]
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t0
        line(f"neighbour list, HTTP ({clients} concurrent clients)", http_ms)
        print(f"{'':<46} throughput {len(http_ms) / wall:8.1f} req/s")
    finally:
        server.terminate()
        server.wait()

    # Import rate: a generated town written as GeoPackage, imported with the importer.
    town = demo.generate(N_IMPORT, "998", 2, origin=(600_000.0, 7_500_000.0))
    with tempfile.TemporaryDirectory() as tmp:
        import geopandas as gpd

        path = Path(tmp) / "parcels.gpkg"
        gpd.GeoDataFrame(
            {"kiinteistotunnus": [p for p, _ in town.parcels]},
            geometry=[g for _, g in town.parcels],
            crs=3067,
        ).to_file(path, driver="GPKG")
        t = time.perf_counter()
        s = importer.import_parcels(eng, path, progress=progress)  # type: ignore[arg-type]
        secs = time.perf_counter() - t
    print(
        f"\n{'import parcels from GeoPackage':<46} {s.imported / secs:10,.0f} parcels/s   ({s.imported:,} in {secs:.1f} s, derived tables included)"
    )

    graph(eng)


def excavation_bench(eng: object, base: str) -> None:
    """Check a dig over HTTP with 100 000 stored works over ten years."""
    n = int(os.environ.get("EXCAVATIONS", "100000"))
    with eng.begin() as conn:  # type: ignore[attr-defined]
        have = conn.execute(
            text("SELECT count(*) FROM excavation_permit WHERE applicant = 'bench'")
        ).scalar_one()
        if have < n:
            conn.execute(text("DELETE FROM excavation_permit WHERE applicant = 'bench'"))
            t = time.perf_counter()
            conn.execute(query("bench_excavations"), {"n": n})
            print(f"stored {n:,} excavations in {time.perf_counter() - t:.1f} s", flush=True)
        conn.execute(text("ANALYZE excavation_area"))
        streets = [
            shapely.from_wkb(bytes(r[0]))
            for r in conn.execute(
                text(
                    "SELECT ST_AsBinary(ST_PointOnSurface(p.geom)) FROM parcel p JOIN property_unit u USING (property_id)"
                    " WHERE u.public_type = 'street' AND u.municipality = '244' ORDER BY random() LIMIT 200"
                )
            )
        ]
    from geo.crs import from_storage

    times: list[float] = []
    clashes = 0
    with httpx.Client(base_url=base, timeout=30) as c:
        for i, pt in enumerate(streets):
            area = from_storage(shapely.box(pt.x - 2, pt.y - 2, pt.x + 2, pt.y + 2), 4326)
            start = dt.date(2020, 1, 1) + dt.timedelta(days=(i * 37) % 3650)
            body = {
                "municipality": "244",
                "today": "2019-06-01",
                "phases": [
                    {
                        "areas": [shapely.geometry.mapping(area)],
                        "start": start.isoformat(),
                        "end": (start + dt.timedelta(days=14)).isoformat(),
                        "on_carriageway": True,
                        "traffic_plan": "LM-2",
                    }
                ],
            }
            t = time.perf_counter()
            r = c.post("/api/v1/excavations/check", json=body)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text
            clashes += sum(f["code"] == "clash" for f in r.json()["findings"])
    line(f"excavation check, HTTP ({n:,} stored works)", times)
    print(f"{'':<46} {clashes} clashes found in {len(times)} checks")


def analysis_bench(base: str, ids: list[str]) -> None:
    """Site analysis over HTTP: a property with one planned house, plans, shore and roads loaded."""
    times: list[float] = []
    with httpx.Client(base_url=base, timeout=30) as c:
        for pid in ids[:200]:
            site = c.get(f"/api/v1/parcels/{pid}/neighbours?crs=EPSG:3067").json()["site"][
                "geometry"
            ]
            shape = shapely.geometry.shape(site)
            g = shape.representative_point()
            house = shapely.box(g.x - 4, g.y - 4, g.x + 4, g.y + 4)
            if not shape.contains(house):
                continue  # a lot too small for the sample house
            fp = shapely.geometry.mapping(house)
            body = {
                "property_id": pid,
                "crs": "EPSG:3067",
                "buildings": [
                    {"footprint": fp, "use": "dwelling", "floor_area_m2": 64, "height_m": 4}
                ],
            }
            t = time.perf_counter()
            r = c.post("/api/v1/analysis/site", json=body)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text
    line("site analysis, HTTP (one client)", times)


def layers_bench(base: str) -> None:
    """Map layers by bbox: a street-level view (zoom 17) and a district view (zoom 14)."""
    ext = httpx.get(base + "/api/v1/config").json()["extent"]["coordinates"][0]
    lon0, lat0 = min(p[0] for p in ext), min(p[1] for p in ext)
    lon1, lat1 = max(p[0] for p in ext), max(p[1] for p in ext)
    rnd = random.Random(3)
    with httpx.Client(base_url=base, timeout=30) as c:
        for zoom, span in ((17, 0.006), (14, 0.05)):
            times: list[float] = []
            feats = 0
            for _ in range(60):
                x = rnd.uniform(lon0, max(lon0, lon1 - span))
                y = rnd.uniform(lat0, max(lat0, lat1 - span / 2))
                bbox = f"{x:.6f},{y:.6f},{x + span:.6f},{y + span / 2:.6f}"
                t = time.perf_counter()
                r = c.get(f"/api/v1/layers/parcels?bbox={bbox}&zoom={zoom}")
                times.append((time.perf_counter() - t) * 1000)
                feats += len(r.json()["features"])
            line(f"map layer parcels, zoom {zoom} ({feats // 60} features)", times)


def graph(eng: object) -> None:
    """Whole-municipality neighbour graph on GRAPH_PARCELS parcels, three ways."""
    with eng.connect() as conn:  # type: ignore[attr-defined]
        lo = conn.execute(
            text("SELECT min(id) FROM parcel WHERE property_id LIKE '244%'")
        ).scalar_one()
        hi = lo + N_GRAPH - 1
        t = time.perf_counter()
        # A table of its own with its own GiST index (built inside the timing): a
        # self-join over a CTE or an id range makes the planner loop over pairs.
        conn.execute(
            text("CREATE TEMP TABLE g AS SELECT id, geom FROM parcel WHERE id BETWEEN :lo AND :hi"),
            {"lo": lo, "hi": hi},
        )
        conn.execute(text("CREATE INDEX ON g USING gist (geom)"))
        conn.execute(text("ANALYZE g"))
        pairs = conn.execute(
            text(
                "SELECT count(*) FROM g a JOIN g b ON a.id < b.id AND ST_DWithin(a.geom, b.geom, 0.5)"
            )
        ).scalar_one()
        sql_graph = time.perf_counter() - t
        geoms = [
            shapely.from_wkb(bytes(r[0]))
            for r in conn.execute(
                text("SELECT ST_AsBinary(geom) FROM g ORDER BY id"),
            )
        ]
    arr = np.array(geoms)
    t = time.perf_counter()
    a, b = shapely.STRtree(arr).query(arr, predicate="dwithin", distance=0.5)
    strtree = time.perf_counter() - t
    t = time.perf_counter()
    import geopandas as gpd
    from libpysal import weights

    w = weights.Queen.from_dataframe(
        gpd.GeoDataFrame(geometry=arr), use_index=False, silence_warnings=True
    )
    pysal = time.perf_counter() - t
    print(
        f"{'neighbour graph, PostGIS ST_DWithin 0.5 m':<46} {sql_graph:8.2f} s   {pairs:,} pairs of {len(geoms):,} parcels"
    )
    print(
        f"{'neighbour graph, shapely STRtree dwithin 0.5':<46} {strtree:8.2f} s   {int((a < b).sum()):,} pairs"
    )
    print(
        f"{'neighbour graph, libpysal Queen (exact)':<46} {pysal:8.2f} s   {int(w.s0 // 2):,} pairs"
    )
    print(
        f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
