"""Benchmarks of /ogc (pygeoapi) and of imports from it, over uvicorn on a real socket.

Usage: .venv/bin/python bench/ogc.py  [PARCELS=100000 SAMPLES=30]
Runs in the benchmark database (rajapiste_bench, filled with a generated town of PARCELS
parcels when it holds fewer), or in RAJAPISTE_DB_NAME when that is set.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RAJAPISTE_DB_NAME", "rajapiste_bench")

import httpx  # noqa: E402
import pyogrio  # noqa: E402
from local_server import serving  # noqa: E402
from pyogrio import raw  # noqa: E402
from sqlalchemy import text  # noqa: E402

from api.ingest import services  # noqa: E402
from api.ingest.demo import loader as demo_loader  # noqa: E402
from api.settings import get_settings  # noqa: E402
from api.storage import cluster  # noqa: E402
from api.storage import engine as db  # noqa: E402
from api.storage.migrations import migrate  # noqa: E402

N = int(os.environ.get("PARCELS", "100000"))
SAMPLES = int(os.environ.get("SAMPLES", "30"))
EPSG3067 = "http://www.opengis.net/def/crs/EPSG/0/3067"


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def line(name: str, xs: list[float]) -> None:
    print(f"{name:<52} p50 {pct(xs, 50):8.1f} ms   p95 {pct(xs, 95):8.1f} ms   n={len(xs)}")


def timed(client: httpx.Client, url: str) -> tuple[float, int]:
    t = time.perf_counter()
    r = client.get(url)
    ms = (time.perf_counter() - t) * 1000
    assert r.status_code == 200, r.text
    return ms, len(r.json()["features"])


def main() -> None:
    settings = get_settings()
    if not settings.database_url:
        cluster.start(settings)  # creates the database when it is missing
    eng = db.make_engine(settings)
    migrate(eng)
    with eng.connect() as conn:
        have = conn.execute(text("SELECT count(*) FROM parcel")).scalar_one()
    if os.environ["RAJAPISTE_DB_NAME"] == "rajapiste_bench" and have < N * 0.9:
        demo_loader.reset(eng)
        demo_loader.load(eng, N, "244", 1)
        with eng.connect() as conn:
            have = conn.execute(text("SELECT count(*) FROM parcel")).scalar_one()
    print(f"# /ogc benchmark, {have:,} parcels, {os.cpu_count()} cores")
    rnd = random.Random(1)
    with serving() as root:
        base = root + "/ogc"
        items = f"{base}/collections/parcels/items?limit=1000"
        with httpx.Client(timeout=120) as client:
            client.get(items)  # builds pygeoapi's configuration
            for name, extra in (("CRS84", ""), ("EPSG:3067", f"&crs={EPSG3067}")):
                runs = [
                    timed(client, f"{items}&offset={rnd.randrange(max(have - 1000, 1))}{extra}")[0]
                    for _ in range(SAMPLES)
                ]
                line(f"items, 1 000 a page, {name}", runs)
        t = time.perf_counter()
        meta, _f, wkb, _d = raw.read(f"OAPIF:{base}", layer="parcels", max_features=20_000)
        s = time.perf_counter() - t
        print(f"GDAL OAPIF reads 20 000 parcels ({meta['crs']}): {len(wkb) / s:,.0f} features/s")
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            n = services._fetch_collection(
                base, "parcels", Path(tmp) / "p.geojson", 1000, print_none
            )
            s = time.perf_counter() - t
        print(f"import's download of every parcel (pages of 1 000): {n / s:,.0f} features/s")
        print(f"GDAL {pyogrio.__gdal_version_string__}")


def print_none(stage: str, done: int, total: int) -> None:
    return None


if __name__ == "__main__":
    main()
