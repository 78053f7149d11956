"""Load: many concurrent clients on neighbour lists, map layers and site analysis.

Usage: make load [CLIENTS=100] [SECONDS=60]  (a script, not a test; numbers go into the README)

Serves the database `make run` loaded (rajapiste, the NLS Helsinki sample) with
`rajapiste serve` on a free port, runs CLIENTS concurrent clients for SECONDS, then the same
again beside one client sending large drawings (19 000 vertices) without pause, and prints
errors, p50/p95/p99 and throughput of both runs and the ratio of the p95s. The rate limit
is lifted for the run (every client is 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import os
import random
import time

import httpx
import shapely
from local_server import serving
from shapely.geometry import mapping
from sqlalchemy import text

from api.settings import get_settings
from api.storage.engine import make_engine

CLIENTS = int(os.environ.get("CLIENTS", "100"))
SECONDS = float(os.environ.get("SECONDS", "60"))


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def sample_units(n: int = 200) -> list[tuple[str, tuple[float, float]]]:
    """Property ids and lon/lat centres of units to ask about."""
    eng = make_engine(get_settings())
    with eng.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT property_id, ST_X(c), ST_Y(c) FROM (SELECT property_id,"
                " ST_Transform(ST_PointOnSurface(geom), 4326) AS c FROM property_unit"
                " WHERE public_type IS NULL ORDER BY property_id LIMIT 5000) s"
            )
        ).all()
    eng.dispose()
    random.Random(1).shuffle(rows)
    return [(r[0], (r[1], r[2])) for r in rows[:n]]


def request_for(
    rnd: random.Random, units: list[tuple[str, tuple[float, float]]]
) -> tuple[str, str, dict | None]:
    """One request of the mix: neighbours, a parcel layer tile-sized bbox, a site analysis."""
    pid, (lon, lat) = rnd.choice(units)
    kind = rnd.choice(("neighbours", "layer", "analysis"))
    if kind == "neighbours":
        return kind, f"/api/v1/parcels/{pid}/neighbours", None
    if kind == "layer":
        d = 0.004
        return (
            kind,
            f"/api/v1/layers/parcels?bbox={lon - d},{lat - d / 2},{lon + d},{lat + d / 2}&zoom=16",
            None,
        )
    return kind, "/api/v1/analysis/site", {"property_id": pid}


async def client(base: str, units: list, until: float, seed: int, out: list) -> None:
    rnd = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        while time.monotonic() < until:
            kind, path, body = request_for(rnd, units)
            t = time.perf_counter()
            try:
                r = await (c.post(path, json=body) if body else c.get(path))
                ok: bool | str = r.status_code < 400 or f"{r.status_code} {r.json().get('code')}"
            except httpx.HTTPError as exc:
                ok = type(exc).__name__
            out.append((kind, time.perf_counter() - t, ok))


async def big_drawings(base: str, centre: tuple[float, float], until: float, out: list) -> None:
    lon, lat = centre
    ring = shapely.Point(lon, lat).buffer(0.0008, quad_segs=4750)  # ~19 000 vertices
    body = {"site": mapping(ring)}
    async with httpx.AsyncClient(base_url=base, timeout=120) as c:
        while time.monotonic() < until:
            t = time.perf_counter()
            r = await c.post("/api/v1/neighbours", json=body)
            out.append(("big", time.perf_counter() - t, r.status_code < 400))


async def run(base: str, units: list, with_big: bool) -> list:
    out: list = []
    until = time.monotonic() + SECONDS
    tasks = [client(base, units, until, i, out) for i in range(CLIENTS)]
    if with_big:
        tasks.append(big_drawings(base, units[0][1], until, out))
    await asyncio.gather(*tasks)
    return out


def report(name: str, out: list) -> float:
    lat = [t * 1000 for k, t, _ in out if k != "big"]
    failed = [ok for k, _, ok in out if ok is not True and k != "big"]
    errors = len(failed)
    big = [t for k, t, _ in out if k == "big"]
    print(
        f"{name:<22} requests {len(lat):6d}  errors {errors:4d}  p50 {pct(lat, 50):7.0f} ms"
        f"  p95 {pct(lat, 95):7.0f} ms  p99 {pct(lat, 99):7.0f} ms  {len(lat) / SECONDS:6.1f} req/s"
        + (f"  (large drawings: {len(big)}, p50 {pct(big, 50):.1f} s)" if big else ""),
        flush=True,
    )
    if failed:
        kinds = {f: failed.count(f) for f in set(failed)}
        print(f"{'':<22} errors by kind: {kinds}", flush=True)
    return pct(lat, 95)


def main() -> None:
    units = sample_units()
    with serving() as base:
        print(f"{CLIENTS} clients, {SECONDS:.0f} s each run, {base}", flush=True)
        p95 = report("baseline", asyncio.run(run(base, units, with_big=False)))
        p95_big = report("beside large drawings", asyncio.run(run(base, units, with_big=True)))
        print(f"p95 ratio with large drawings beside: {p95_big / p95:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
