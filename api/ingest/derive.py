"""Derived tables of an imported area, rebuilt in bulk only inside its box (and within reach).

Crossing areas and the shore zone are rebuilt in SQL for the sources meeting the box; the
opposite neighbours of every unit within reach of it are recomputed tile by tile
(api/services/relations.py) and replace the stored ones, all inside the import's transaction.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from api import rulesets
from api.gcpause import gc_paused
from api.services import relations
from api.settings import get_settings
from api.storage.copy import Progress, into_empty, is_empty
from api.storage.engine import run_named
from geo import opposite, street_names
from geo.rules import NeighbourRules

Box = relations.Box


@lru_cache(maxsize=64)
def _rules(directory: Path, municipality: str, day: dt.date) -> NeighbourRules:
    return rulesets.rules_for(directory, municipality, day).neighbours


def rules_of(municipality: str) -> NeighbourRules:
    """The neighbour rules in force today for a municipality (the national default if none)."""
    return _rules(get_settings().rulesets_dir, municipality, relations.today())


def max_reach() -> float:
    """How far any municipality's opposite neighbours can reach (its largest cap + tolerance)."""
    codes = rulesets.known_codes(get_settings().rulesets_dir) + ["000"]
    return max(
        relations.opposite_rules(nr).reach_m + nr.adjacent_tolerance_m
        for nr in map(rules_of, codes)
    )


# Why a municipality's stored relations are stale (db doctor, db relations --stale, make run).
STALE_WHY = "not built, or built under other rules, by an older version or mixed"


class NoUnits(LookupError):
    """A municipality asked for has no property units."""


def stale_municipalities(builds: list[tuple[str, str | None]]) -> list[str]:
    """Of (municipality, rules key or None: never built) records, those not built under today's rules.

    Built under other rules, by an older version of the computation (an upgrade), 'mixed'
    (a partial re-import under other rules) or never (no record: units loaded before relations
    were stored): answered live, right but slower, until rebuilt (`rebuild_municipalities`).
    The records come from `relation_builds.sql`.
    """
    return [m for m, key in builds if key != current_key(m)]


def current_key(municipality: str) -> str:
    """The rules key a municipality's relations are built with today."""
    return relations.rules_key(rules_of(municipality))


def record_built(cur: Any, municipalities: Iterable[str]) -> None:
    """Record these municipalities' relations as built with today's rules (relation_built.sql)."""
    for mun in municipalities:
        run_named(cur, "relation_built", municipality=mun, rules_key=current_key(mun))


def stale_in(cur: Any) -> list[str]:
    """The municipalities of this database whose stored opposite neighbours are stale."""
    return stale_municipalities(run_named(cur, "relation_builds").fetchall())


def units_extent(cur: Any, code: str | None) -> Box:
    """The box of a municipality's units (None: of every unit); NoUnits when it has none."""
    where, params = ("WHERE municipality = %s", (code,)) if code else ("", ())
    box = extent(cur, f"SELECT geom AS g FROM property_unit {where}", params)
    if box is None:
        raise NoUnits(f"no property units{f' in municipality {code}' if code else ''}")
    return box


def rebuild_municipalities(
    cur: Any, codes: list[str] | None, progress: Progress
) -> dict[str | None, int]:
    """Rebuild the stored opposite neighbours of these municipalities' units (None: every unit).

    Each one's build record is forgotten first, so that its whole rebuild is recorded as
    current (not as 'mixed'), and recorded after it even when none of its units has an opposite
    neighbour (the build only records municipalities it found some for). Only a whole
    municipality may be recorded so: a partial rebuild leaves the rest of it unbuilt. Returns,
    for each, how many units within reach of it have any.
    """
    counts: dict[str | None, int] = {}
    for code in [None] if codes is None else codes:
        box = units_extent(cur, code)
        run_named(cur, "relation_forget", municipality=code)
        counts[code] = rebuild_relations(cur, [box], progress)
        whole = [code] if code else [m for m, _ in run_named(cur, "relation_builds").fetchall()]
        record_built(cur, whole)
    return counts


def extent(cur: Any, sql: str, params: tuple[Any, ...] = ()) -> Box | None:
    """The box of a query's geometries (one column named g), None when it has none."""
    row = cur.execute(
        f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(g) AS e FROM ({sql}) q) x",
        params,
    ).fetchone()
    return None if row is None or row[0] is None else (row[0], row[1], row[2], row[3])


def bounds(geoms: Any) -> Box | None:
    """The box of some geometries, None when there are none."""
    arr = np.asarray(list(geoms), dtype=object)
    if not len(arr):
        return None
    x0, y0, x1, y1 = shapely.total_bounds(arr)
    return (float(x0), float(y0), float(x1), float(y1))


def union(a: Box | None, b: Box | None) -> Box | None:
    """The box covering both (either may be None)."""
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


CLUSTER_CELLS = 512  # at most this many grid cells along a side when grouping boxes (speed)


def clusters(boxes: list[Box], by: float) -> list[Box]:
    """Boxes around groups of the given ones: boxes within about `by` of each other share one.

    Each given box lies inside the box of its group. The boxes, grown by `by`, are laid on a
    grid of cells (`by` wide, coarser over a large extent) and touching cells merged; a group
    is the extent of the boxes whose centre's cell lies in one merged part. Rebuilding each
    group's box gives what rebuilding each given box would: the groups only spare work.
    """
    b = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if not len(b):
        return []
    origin = b[:, :2].min(axis=0)
    span = float((b[:, 2:].max(axis=0) - origin).max())
    cell = max(by, span / CLUSTER_CELLS, 1.0)
    lo = np.floor((b[:, :2] - by - origin) / cell).astype(np.int64) + 1  # from 0
    hi = np.floor((b[:, 2:] + by - origin) / cell).astype(np.int64) + 1
    _, ix, iy = opposite.covered_cells(lo, hi)
    stride = int(hi[:, 1].max()) + 1
    cells = np.unique(ix * stride + iy)  # sorted keys of the cells covered
    cx, cy = cells // stride - 1, cells % stride - 1
    squares = shapely.box(
        origin[0] + cx * cell,
        origin[1] + cy * cell,
        origin[0] + (cx + 1) * cell,
        origin[1] + (cy + 1) * cell,
    )
    parts = shapely.get_parts(shapely.union_all(squares))
    centres = shapely.points(origin + (np.stack([cx, cy], 1) + 0.5) * cell)
    cell_at, part = shapely.STRtree(parts).query(centres, predicate="intersects")
    part_of = np.empty(len(cells), np.int64)
    part_of[cell_at] = part
    # each box's centre cell is one its grown box covers
    mid = np.floor(((b[:, :2] + b[:, 2:]) / 2 - origin) / cell).astype(np.int64) + 1
    group = part_of[np.searchsorted(cells, mid[:, 0] * stride + mid[:, 1])]
    order = np.argsort(group, kind="stable")
    start = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
    low = np.minimum.reduceat(b[order, :2], start)
    high = np.maximum.reduceat(b[order, 2:], start)
    return [
        (float(x0), float(y0), float(x1), float(y1))
        for (x0, y0), (x1, y1) in zip(low.tolist(), high.tolist(), strict=True)
    ]


def _finished(value: relations.TileRows) -> Future[relations.TileRows]:
    """A future that already holds its value (a tile with nothing to compute)."""
    f: Future[relations.TileRows] = Future()
    f.set_result(value)
    return f


# From this many tiles the computation runs in worker processes: threads share one core for
# the most part (shapely and numpy hold the GIL between their short calls), and a process
# pool's start (about a second) is worth it only for a large area.
PROCESS_TILES = 8


def compute_pool(tiles: int, workers: int) -> Executor:
    """Where the tiles are computed: `workers` processes for a large area, else threads.

    The processes are forked from a fresh server process (multiprocessing's forkserver, with
    the computation's modules preloaded), never from this one: it may hold threads and open
    connections.
    """
    if tiles >= PROCESS_TILES and workers > 1:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([relations.__name__])
        return ProcessPoolExecutor(workers, mp_context=ctx)
    return ThreadPoolExecutor(workers, thread_name_prefix="relations")


def _fetch(cur: Any) -> relations.Fetch:
    return lambda name, params: list(run_named(cur, name, **params).fetchall())


@gc_paused()
def rebuild_relations(cur: Any, boxes: list[Box], progress: Progress) -> int:
    """Recompute the opposite neighbours of every unit within reach of any of some boxes.

    Returns how many units have any.
    """
    reach = max_reach()
    regions = [relations.grow(b, reach) for b in boxes]
    # every unit meeting a region is computed again (and exactly those are cleared below):
    # the tiles cover the whole of each (a large unit's centre may lie outside the region)
    meeting = (
        "SELECT geom AS g FROM property_unit WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 3067)"
    )
    covered: set[Box] = set()
    for region in regions:
        covered.update(relations.tiles(union(region, extent(cur, meeting, region)) or region))
    tiles = sorted(covered)
    fetch = _fetch(cur)
    # Reading stays on this connection (the import's uncommitted rows are visible only here);
    # the computation runs in workers (one per CPU) meanwhile, a few tiles at most waiting
    # (bounded memory). Each tile's rows are written as soon as it is done, between reads:
    # the database takes them while the workers compute the next tiles, not all at the end.
    # Into an empty table (a first build) they go to a staging table first, and into the
    # table at the end with its index and key made once: nothing is locked meanwhile.
    empty = is_empty(cur, "opposite_relation")
    if empty:
        cur.execute("CREATE TEMP TABLE stage_opposite (LIKE opposite_relation) ON COMMIT DROP")
    target = "stage_opposite" if empty else "opposite_relation"
    workers = max(1, os.cpu_count() or 1)
    pending: deque[Future[relations.TileRows]] = deque()
    done = stored = 0
    municipalities: set[str] = set()

    def finish_one() -> None:
        nonlocal done, stored
        found = pending.popleft().result()
        stored += _store_relations(cur, found, target, clear=not empty)
        municipalities.update(m for _, m, _ in found)
        done += 1
        progress("neighbours", done, len(tiles))

    with compute_pool(len(tiles), workers) as pool:
        for tile in tiles:
            work = relations.tile_work(fetch, tile, regions, rules_of, reach)
            if work is None:
                pending.append(_finished([]))
            else:
                pending.append(pool.submit(relations.tile_relations, work))
            while len(pending) > 2 * workers or (pending and pending[0].done()):
                finish_one()
        while pending:
            finish_one()
    if empty:
        with into_empty(cur, ("opposite_relation",)):
            cur.execute("INSERT INTO opposite_relation SELECT * FROM stage_opposite")
        cur.execute("DROP TABLE stage_opposite")
    record_built(cur, sorted(municipalities))
    return stored


def _store_relations(cur: Any, found: relations.TileRows, table: str, *, clear: bool) -> int:
    """Write the rows of the units of one tile into `table`; how many.

    With `clear`, the units' stored rows are forgotten first, each of them. Each unit is
    computed in one tile only (`relations.tiles` and `_sites`: the tile its box's centre lies
    in), so no tile clears what another wrote.
    """
    if clear and found:
        run_named(cur, "opposite_clear_units", ids=[pid for pid, _, _ in found])
    rows = [f"{pid}\t{fields}\n" for pid, _, fields in found if fields]
    if rows:
        with cur.copy(f"COPY {table} (property_id, neighbours, across, lines) FROM STDIN") as cp:
            for k in range(0, len(rows), 5000):  # a few large writes, not one per unit
                cp.write("".join(rows[k : k + 5000]))
    return len(rows)


FEW_PARCELS = 5_000  # street parcels whose centrelines are read one parcel at a time


def _street_names(cur: Any, box: Box) -> dict[str, Any]:
    """The names of the street parcels whose unit meets a box, as refresh_crossing_area's arrays.

    One tree query and vectorised intersections in this process (geo/street_names.py), on
    every core, instead of an index probe and a group per parcel in the statement.
    """
    parcels = run_named(cur, "crossing_street_parcels", **relations._params(box)).fetchall()
    ids = np.array([r[0] for r in parcels], np.int64)
    geoms = shapely.from_wkb([bytes(r[1]) for r in parcels])
    reach = bounds(geoms)
    if reach is None or len(ids) <= FEW_PARCELS:  # one probe each: their box may span a city
        lines = run_named(cur, "crossing_street_lines_of", ids=ids.tolist()).fetchall()
    else:  # every line in their box, read in one scan
        lines = run_named(cur, "crossing_street_lines", **relations._params(reach)).fetchall()
    named = street_names.longest_names(
        geoms,
        shapely.from_wkb([bytes(r[0]) for r in lines]),
        [r[1] for r in lines],
        np.array([r[2] for r in lines], bool),
        workers=os.cpu_count() or 1,
    )
    return {
        "named_parcel": ids[named.parcel].tolist(),
        "named_name": named.name,
        "named_state_road": named.state_road.tolist(),
    }


def _per_box(
    cur: Any,
    boxes: list[Box],
    progress: Progress,
    stage: str,
    named: str,
    more: Callable[[Any, Box], dict[str, Any]] | None = None,
) -> None:
    """Run one named query for each box (with `more`'s parameters too), with progress."""
    progress(stage, 0, len(boxes))
    for k, b in enumerate(boxes, 1):
        run_named(cur, named, **relations._params(b), **(more(cur, b) if more else {}))
        progress(stage, k, len(boxes))


def rebuild(
    cur: Any,
    box: Box | list[Box] | None,
    progress: Progress,
    *,
    shorelines: bool = False,
    shore_zone: bool = False,
    neighbours: bool = True,
    first_load: bool = False,
) -> None:
    """Rebuild what is derived from the data inside a box (or some), in bulk SQL (and numpy).

    `first_load`: the caller loaded into an empty register (its units' table was empty and is
    locked until the commit). The crossing areas of one box are then written as a first load
    is (`into_empty`: their indexes and keys made once at the end). Not for several boxes:
    from the second on, the statement would find the earlier boxes' rows without an index.
    """
    boxes = [] if box is None else box if isinstance(box, list) else [box]
    if not boxes:
        return
    if shorelines:
        _per_box(cur, boxes, progress, "shorelines", "derive_shorelines")
    with into_empty(cur, ("crossing_area",) if first_load and len(boxes) == 1 else ()):
        _per_box(cur, boxes, progress, "crossing areas", "refresh_crossing_area", _street_names)
    if shore_zone:
        _per_box(cur, boxes, progress, "shore zone", "refresh_shore_zone")
    cur.execute("ANALYZE crossing_area")
    if neighbours:
        rebuild_relations(cur, boxes, progress)
