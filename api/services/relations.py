"""Opposite neighbours (geo/opposite.py): built in bulk for an imported area, or live for a site.

Both ways fetch the same data with the same named queries (units and crossing areas in a
box) and run the same computation, so a property's stored neighbours equal what a live
computation of its site gives. The stored ones are used only while the municipality's rules
in force are those they were built with (`relation_build.rules_key`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from api import finland
from api.gcpause import gc_paused
from geo import opposite
from geo.rules import NeighbourRules

KIND_CODE = {"road": opposite.ROAD, "park": opposite.PARK, "water": opposite.WATER}
UNIT_CROSSING = {"street": opposite.ROAD, "traffic": opposite.ROAD, "park": opposite.PARK}
UNIT_CROSSING["water"] = opposite.WATER
KIND_TEXT = np.array([str(c) for c in range(len(opposite.KINDS))], dtype=object)  # COPY text
TILE_M = 3000.0  # the bulk build works tile by tile (bounded memory)
TILE_SLACK_M = 250.0  # how far a tile's sites may stick out and still share its one read

Box = tuple[float, float, float, float]
Fetch = Callable[[str, dict[str, Any]], list[tuple[Any, ...]]]  # (named query, params) -> rows
TileRows = list[tuple[str, str, str | None]]  # (property id, municipality, COPY fields or None)


@dataclass(frozen=True)
class Opposite:
    """One opposite unit of a site: its id, the kind of area crossed and the sight line."""

    property_id: str
    across: str
    line: tuple[float, float, float, float]  # x1, y1 (on the site), x2, y2 (on the unit)

    @property
    def length_m(self) -> float:
        """The sight line's length."""
        x1, y1, x2, y2 = self.line
        return float(np.hypot(x2 - x1, y2 - y1))


def _line(v: Any) -> tuple[float, float, float, float]:
    return (float(v[0]), float(v[1]), float(v[2]), float(v[3]))


def opposite_rules(nr: NeighbourRules) -> opposite.Rules:
    """The rule-file values the opposite computation uses."""
    return opposite.Rules(
        tolerance_m=nr.adjacent_tolerance_m,
        road_max_m=nr.opposite_road_max_m,
        park_max_m=nr.opposite_park_max_m,
        water_max_m=nr.opposite_water_max_m,
        min_angle_deg=nr.opposite_min_angle_deg,
        include_public=nr.include_opposite_public_areas,
    )


def rules_key(nr: NeighbourRules) -> str:
    """A fingerprint of the rules (and of the computation's version) the relations depend on."""
    doc = {**asdict(opposite_rules(nr)), "step": opposite.FRONTAGE_STEP_M, "version": 3}
    return hashlib.sha1(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]


def grow(box: Box, by: float) -> Box:
    """A box grown by `by` metres on every side."""
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _params(box: Box) -> dict[str, float]:
    return {"xmin": box[0], "ymin": box[1], "xmax": box[2], "ymax": box[3]}


@dataclass
class Area:
    """The units and crossing areas in a box, as arrays for geo/opposite.py."""

    units: opposite.Units
    municipality: np.ndarray[Any, np.dtype[np.object_]]
    areas: opposite.Areas


def _units(rows: list[tuple[Any, ...]]) -> tuple[opposite.Units, np.ndarray[Any, Any]]:
    """Units (and their municipalities) from `units_in_box` rows."""
    units = opposite.Units(
        ids=np.array([r[0] for r in rows], dtype=object),
        geoms=shapely.from_wkb([bytes(r[4]) for r in rows]),
        crossing=np.array([UNIT_CROSSING.get(r[3] or "", -1) for r in rows], np.int8),
        public=np.array([r[2] == "public" for r in rows], bool),
    )
    return units, np.array([r[1] for r in rows], dtype=object)


def _areas(fetch: Fetch, units_box: Box, tolerance_m: float) -> opposite.Areas:
    """Crossing area pieces meeting a units box grown by the tolerance."""
    return _areas_of(
        fetch("crossing_areas_in_box", _params(grow(units_box, tolerance_m))), tolerance_m
    )


def _areas_of(pieces: list[tuple[Any, ...]], tolerance_m: float) -> opposite.Areas:
    """Crossing area pieces from `crossing_areas_in_box` rows."""
    return opposite.Areas(
        geoms=shapely.from_wkb([bytes(r[3]) for r in pieces]),
        kinds=np.array([KIND_CODE[r[1]] for r in pieces], np.int8),
        sources=np.array([r[2] for r in pieces], dtype=object),
        ids=np.array([r[0] for r in pieces], np.int64),
        tolerance_m=tolerance_m,
    )


def _grouped(found: opposite.Found, ids: np.ndarray[Any, Any]) -> dict[int, list[Opposite]]:
    """The opposite units of each site index, nearest first."""
    out: dict[int, list[Opposite]] = {}
    lines = found.line.tolist()
    for s, u, a, line in zip(
        found.site.tolist(), found.unit.tolist(), found.across.tolist(), lines, strict=True
    ):
        out.setdefault(s, []).append(Opposite(str(ids[u]), opposite.KINDS[a], _line(line)))
    for rows in out.values():
        rows.sort(key=lambda o: (o.length_m, o.property_id))
    return out


def live(
    fetch: Fetch, site: BaseGeometry, own: list[str], own_kind: int, nr: NeighbourRules
) -> list[Opposite]:
    """The opposite units of one site, computed now from the data around it."""
    rules = opposite_rules(nr)
    lo = site.bounds
    areas = _areas(fetch, grow(lo, rules.reach_m + rules.tolerance_m), rules.tolerance_m)
    # units only as far as a line can reach across the areas there (a street's cap where no
    # water lies near, not the water's): the others cannot be opposite, nor be crossed
    reach = rules.reach_across(areas.kinds) + rules.tolerance_m
    units, _ = _units(fetch("units_in_box", _params(grow(lo, reach))))
    found = opposite.find(
        np.array([site], dtype=object),
        [frozenset(own)],
        units,
        areas,
        rules,
        site_kind=np.array([own_kind], np.int8),
    )
    return _grouped(found, units.ids).get(0, [])


def tiles(region: Box) -> Iterator[Box]:
    """The tiles (TILE_M square, aligned to a grid) covering a region."""
    x0, y0 = np.floor(region[0] / TILE_M), np.floor(region[1] / TILE_M)
    x1, y1 = np.floor(region[2] / TILE_M), np.floor(region[3] / TILE_M)
    for ix in range(int(x0), int(x1) + 1):
        for iy in range(int(y0), int(y1) + 1):
            yield (ix * TILE_M, iy * TILE_M, (ix + 1) * TILE_M, (iy + 1) * TILE_M)


def _sites(
    b: np.ndarray[Any, Any], tile: Box, regions: list[Box]
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]:
    """Units whose box centre lies in the tile and whose box meets a region, and that region.

    `b`: the units' boxes, rows xmin, ymin, xmax, ymax. Returns the units' indices and the
    index of the first region each meets.
    """
    cx, cy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
    inside = (cx >= tile[0]) & (cx < tile[2]) & (cy >= tile[1]) & (cy < tile[3])
    region = np.full(len(b), -1, np.int64)
    if len(b):  # only the regions that meet these units at all are tried on each
        around = np.array([[b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()]])
        for k, r in enumerate(regions):
            if opposite.meeting_box(around, r)[0]:
                region[(region < 0) & opposite.meeting_box(b, r)] = k
    sites = np.flatnonzero(inside & (region >= 0)).astype(np.int64)
    return sites, region[sites]


def _fits(bounds: np.ndarray[Any, Any], box: Box) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Which boxes (rows xmin, ymin, xmax, ymax) lie inside a box."""
    out: np.ndarray[Any, np.dtype[np.bool_]] = (
        (bounds[:, 0] >= box[0])
        & (bounds[:, 1] >= box[1])
        & (bounds[:, 2] <= box[2])
        & (bounds[:, 3] <= box[3])
    )
    return out


def _part_boxes(geoms: np.ndarray[Any, Any], by: float) -> list[Box]:
    """Boxes covering every part of some geometries grown by `by` (overlapping ones merged)."""
    b = shapely.bounds(shapely.get_parts(geoms)).reshape(-1, 4)
    grown = shapely.box(b[:, 0] - by, b[:, 1] - by, b[:, 2] + by, b[:, 3] + by)
    merged = shapely.bounds(shapely.get_parts(shapely.union_all(grown))).reshape(-1, 4)
    return [(float(r[0]), float(r[1]), float(r[2]), float(r[3])) for r in merged]


def fetch_boxes(fetch: Fetch, boxes: list[Box], tolerance_m: float) -> Area:
    """Units meeting any of some boxes, crossing areas meeting any grown by the tolerance.

    Each once: the boxes are those around a scattered unit's parts.
    """
    rows: dict[str, tuple[Any, ...]] = {}
    pieces: dict[int, tuple[Any, ...]] = {}
    for box in boxes:
        rows.update((r[0], r) for r in fetch("units_in_box", _params(box)))
        grown = grow(box, tolerance_m)
        pieces.update((r[0], r) for r in fetch("crossing_areas_in_box", _params(grown)))
    units, municipality = _units([rows[k] for k in sorted(rows)])
    return Area(units, municipality, _areas_of([pieces[k] for k in sorted(pieces)], tolerance_m))


@dataclass
class TileWork:
    """What one tile's bulk build computes on: groups of its sites, each with its area."""

    groups: list[tuple[Area, list[tuple[str, str]]]]  # sites: (property id, municipality)
    rules: dict[str, NeighbourRules]  # by municipality


def tile_work(
    fetch: Fetch,
    tile: Box,
    regions: list[Box],
    rules_of: Callable[[str], NeighbourRules],
    reach: float,
) -> TileWork | None:
    """Read what a tile's build needs (None: no unit is assigned to the tile).

    One read of the units within `reach` (the farthest any municipality's rules reach) and
    TILE_SLACK_M of the tile serves its sites: a group for the sites of each region, with
    the units within their reach. A site sticking out farther (a long street, a
    unit of scattered parcels) goes to a second group, read around each of its parts. Any
    area covering a site's reach gives the same result: units and crossing areas farther
    out can be neither opposite nor crossed.
    """
    box = grow(tile, reach + TILE_SLACK_M)
    units, municipality = _units(fetch("units_in_box", _params(box)))
    bounds = shapely.bounds(units.geoms).reshape(-1, 4)
    sites, region = _sites(bounds, tile, regions)
    if not len(sites):
        return None
    nrs = {m: rules_of(m) for m in set(municipality[sites])}
    need = max(opposite_rules(nr).reach_m + nr.adjacent_tolerance_m for nr in nrs.values())
    tolerance = max(n.adjacent_tolerance_m for n in nrs.values())
    fits = _fits(bounds[sites] + np.array([-need, -need, need, need]), box)
    groups = []
    pairs = list(zip(units.ids[sites].tolist(), municipality[sites].tolist(), strict=True))
    for r in np.unique(region[fits]).tolist():
        # the sites of one region (a rebuild of scattered changes has several), with only the
        # units within their reach: the rest of the box is slack
        mine = fits & (region == r)
        b = bounds[sites[mine]]
        extent = (
            float(b[:, 0].min()),
            float(b[:, 1].min()),
            float(b[:, 2].max()),
            float(b[:, 3].max()),
        )
        wanted = grow(extent, need)
        near = opposite.meeting_box(bounds, wanted)
        kept = opposite.Units(
            units.ids[near], units.geoms[near], units.crossing[near], units.public[near]
        )
        area = Area(kept, municipality[near], _areas(fetch, wanted, tolerance))
        groups.append((area, [p for p, f in zip(pairs, mine.tolist(), strict=True) if f]))
    if not fits.all():
        boxes = _part_boxes(units.geoms[sites[~fits]], need)
        big = [p for p, f in zip(pairs, fits.tolist(), strict=True) if not f]
        groups.append((fetch_boxes(fetch, boxes, tolerance), big))
    return TileWork(groups, nrs)


@gc_paused()
def tile_relations(work: TileWork) -> TileRows:
    """(property id, municipality, COPY fields or None) of every unit assigned to a tile.

    Pure computation (numpy and shapely): the bulk build computes tiles in worker processes
    (threads for a small area) while it reads the next ones.
    """
    out: TileRows = []
    for area, sites in work.groups:
        out += _group_relations(area, sites, work.rules)
    return out


def _group_relations(
    area: Area, sites: list[tuple[str, str]], rules_of: dict[str, NeighbourRules]
) -> TileRows:
    index = {pid: k for k, pid in enumerate(area.units.ids)}
    units = area.units
    # the sites are units of the area: their frontage is theirs among the units' (same inputs)
    front = opposite.frontage(
        units.geoms,
        [frozenset({u}) for u in units.ids],
        units.crossing,
        area.areas,
        area.areas.tolerance_m,
    )
    out: TileRows = []
    for mun, nr in sorted(rules_of.items()):
        mine = np.array([index[p] for p, m in sites if m == mun], dtype=np.int64)
        if not len(mine):
            continue
        rules = opposite_rules(nr)
        found = opposite.find(
            area.units.geoms[mine],
            [frozenset({p}) for p in area.units.ids[mine]],
            area.units,
            area.areas,
            rules,
            site_kind=area.units.crossing[mine],
            site_front=_part_of(front, mine, len(area.units.ids)),
            unit_front=front,
        )
        texts = _copy_fields(found, area.units.ids)
        out += [(str(area.units.ids[i]), mun, texts.get(k)) for k, i in enumerate(mine)]
    return out


def _part_of(front: opposite.Frontage, mine: np.ndarray[Any, Any], n: int) -> opposite.Frontage:
    """The frontage pieces of some units (`mine`, indices among n), owners renumbered."""
    pos = np.full(n, -1, np.int64)
    pos[mine] = np.arange(len(mine))
    keep = pos[front.owner] >= 0
    return opposite.Frontage(
        front.a[keep], front.b[keep], pos[front.owner[keep]], front.kind[keep], front.area[keep]
    )


def _copy_fields(found: opposite.Found, ids: np.ndarray[Any, Any]) -> dict[int, str]:
    """The COPY text fields (neighbours, across, lines) of each site index that has any.

    The order inside a row does not matter: `stored` sorts as `live` does. Kind codes are
    stored as they are (KIND_CODE is the identity on geo/opposite.py's codes).
    """
    if not len(found.site):
        return {}
    order = np.argsort(found.site, kind="stable")
    site = found.site[order]
    names = ids[found.unit[order]].tolist()
    across = KIND_TEXT[found.across[order]].tolist()
    # the lines are rounded to the millimetre: "%.3f" writes the very same doubles, three
    # times faster than repr, formatted a row at a time in C
    lines = found.line[order].ravel().tolist()
    starts: list[int] = np.flatnonzero(np.r_[True, site[1:] != site[:-1]]).tolist()
    ends = [*starts[1:], len(site)]
    out = {}
    for a, b in zip(starts, ends, strict=True):
        coords = ",".join(("%.3f",) * (4 * (b - a))) % tuple(lines[4 * a : 4 * b])
        out[int(site[a])] = f"{{{','.join(names[a:b])}}}\t{{{','.join(across[a:b])}}}\t{{{coords}}}"
    return out


def today() -> dt.date:
    """The day whose rules a bulk build uses."""
    return finland.today()
