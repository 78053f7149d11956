"""Opposite neighbours (domain.md N3), computed in bulk: units seen across a road, park or water.

The definition (README "Neighbours", figure docs/opposite.svg):

* A unit's **frontage** is the part of its outline that borders a road, park or water area
  (a crossing area within the adjacent tolerance of the outline) that is not the unit's own.
  It is cut into pieces of at most ``FRONTAGE_STEP_M``.
* A **sight line** joins a frontage piece of the site to a frontage piece of another unit:
  from the middle of either piece to the nearest point of the other, or the shortest line
  between the two. It must leave the site's frontage *and* reach the other unit's frontage
  at an angle of at least ``min_angle_deg`` (across the area, not along one side of it),
  it must run through crossing areas all the way (checked every ``SAMPLE_STEP_M``, within
  the tolerance: possibly several adjoining ones, a park strip and the street beyond; never
  over another unit), and it must be no
  longer than the cap of the area it crosses (the larger cap where the two frontages face
  different kinds of area: behind a park strip, the street's cap applies).
* A unit is **opposite** when one sight line qualifies; the shortest one is its evidence.
  Units touching the site (adjacent) or the site's own units are not opposite. A line to
  a unit of the very kind it crosses does not qualify (a street across a street is part
  of the crossing), though another line to that unit, across another kind, may.

Pure: shapely and numpy only. The same function answers one drawn site live and every
unit of an imported area in bulk, so the two always agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
import shapely
from numpy.typing import NDArray

FRONTAGE_STEP_M = 20.0  # sight lines leave the frontage at least every 20 m
KINDS = ("road", "park", "water")  # kind codes 0, 1, 2 (-1: not a crossing area)
ROAD, PARK, WATER = 0, 1, 2
Codes = NDArray[np.int8]
PAIR_CHUNK = 2_000_000  # candidate pairs tested at a time (bounds memory)
SAMPLE_STEP_M = 8.0  # a sight line is checked to run through crossing areas every 8 m
# Lines checked in one round of `_shortest_clear`: at most this many, or one per pair still
# unanswered where there are more (bounds memory). A pair blocked by a unit between (real
# cadastres have many) has its lines checked in rounds of 1, 2, 4, ... lines, not one round
# per line (a speed setting, not a rule).
CLEAR_BATCH = 20_000
GRID_CELL_M = 25.0  # bucket size for points near crossing areas (a speed setting, not a rule)

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Objects = NDArray[np.object_]


@dataclass(frozen=True)
class Rules:
    """The rule-file values the definition uses (one municipality, one date)."""

    tolerance_m: float
    road_max_m: float
    park_max_m: float
    water_max_m: float
    min_angle_deg: float
    include_public: bool

    def cap(self, kind: str) -> float:
        """The cap of crossing a kind of area."""
        return float(self.caps[KINDS.index(kind)])

    @property
    def caps(self) -> Floats:
        """The caps by kind code."""
        return np.array([self.road_max_m, self.park_max_m, self.water_max_m])

    @property
    def reach_m(self) -> float:
        """How far any sight line can reach: the largest cap."""
        return max(self.road_max_m, self.park_max_m, self.water_max_m)

    def reach_across(self, kinds: Codes) -> float:
        """How far a sight line can reach where only these kinds of area lie: their largest cap.

        A line's cap is the larger of the kinds its two frontages face, and a frontage faces
        an area that is there. No area: no frontage, no line.
        """
        return float(self.caps[np.unique(kinds)].max()) if len(kinds) else 0.0


class _PickledAsWkb:
    """Pickled with its `geoms` as one WKB array, without what is derived from them.

    The bulk build sends tiles to worker processes: pickled one by one, the geometries of
    the import bench's 25 tiles took 2.9 s (a fifth of their computation); one vectorised
    conversion costs a small part of that. What `DERIVED` names is computed again where used.
    """

    DERIVED: ClassVar[tuple[str, ...]] = ()

    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k not in self.DERIVED}
        return {**state, "geoms": shapely.to_wkb(state["geoms"])}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({**state, "geoms": shapely.from_wkb(state["geoms"])})


@dataclass
class Units(_PickledAsWkb):
    """Units that can be opposite: ids, geometries (EPSG:3067), crossing kind code (-1: none)."""

    ids: Objects
    geoms: Objects
    crossing: Codes
    public: NDArray[np.bool_]


@dataclass
class Areas(_PickledAsWkb):
    """Crossing area pieces, and each piece grown by the tolerance, prepared.

    Per piece: geometry, kind code, source (the unit's id, or another key) and id (a stable
    order for ties).
    """

    DERIVED = ("grown", "bounds")
    geoms: Objects
    kinds: Codes
    sources: Objects
    ids: Ints
    tolerance_m: float

    @cached_property
    def grown(self) -> Objects:
        """Each piece grown by the tolerance, prepared (computed where it is first used)."""
        grown: Objects = shapely.buffer(self.geoms, self.tolerance_m)
        shapely.prepare(grown)
        return grown

    @cached_property
    def bounds(self) -> Floats:
        """The grown pieces' bounds (n x 4)."""
        bounds: Floats = shapely.bounds(self.grown).reshape(-1, 4)
        return bounds

    def near(self, xy: Floats, hint: Ints | None = None) -> tuple[Ints, Ints]:
        """(point, piece) of every point within the tolerance of a piece (inside it, grown).

        With a hint (one piece per point), only that piece is tried.
        """
        if hint is not None:
            ok = shapely.intersects_xy(self.grown[hint], xy[:, 0], xy[:, 1])
            return np.flatnonzero(ok).astype(np.int64), hint[ok]
        piece, point = _grid_pairs(self.bounds, xy, xy, GRID_CELL_M)
        ok = shapely.intersects_xy(self.grown[piece], xy[point, 0], xy[point, 1])
        return point[ok], piece[ok]


@dataclass
class Frontage:
    """Frontage pieces: start and end (interior on the left), owner index, kind, area piece."""

    a: Floats
    b: Floats
    owner: Ints
    kind: Codes
    area: Ints

    def __post_init__(self) -> None:
        self.normal = _normal(self.a, self.b)  # once per piece, not once per pair


@dataclass
class Found:
    """Opposite pairs: site index, unit index, kind code crossed, sight line (x1, y1, x2, y2)."""

    site: Ints
    unit: Ints
    across: Codes
    line: Floats


def _segments(
    geoms: Objects, within: tuple[float, float, float, float] | None = None
) -> tuple[Floats, Floats, Ints]:
    """Every outline segment of the geometries, at most FRONTAGE_STEP_M long, interior on the left.

    Each edge longer than the step is cut into equal parts, as few as keep them within it, as
    GEOS's segmentize cuts a valid polygon (tests/geo/test_frontage_segments.py), in numpy:
    only the edges wanted are cut, and an invalid ring is cut as it lies, not repaired.
    `within`: only the edges whose box meets this box are kept, before they are cut (a live
    site reads whole streets of thousands of edges around it, most of them out of reach).
    """
    oriented = shapely.orient_polygons(geoms)
    parts, part_of = shapely.get_parts(oriented, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    xy, point_of = shapely.get_coordinates(rings, return_index=True)
    same = point_of[:-1] == point_of[1:]
    a, b = xy[:-1][same], xy[1:][same]
    owner = part_of[ring_of[point_of[:-1][same]]].astype(np.int64)
    d = b - a
    length = np.hypot(d[:, 0], d[:, 1])
    keep = length > 0
    if within is not None:
        keep &= meeting_box(np.hstack([np.minimum(a, b), np.maximum(a, b)]), within)
    a, b, d, owner = a[keep], b[keep], d[keep], owner[keep]
    n = np.maximum(1, np.ceil(length[keep] / FRONTAGE_STEP_M)).astype(np.int64)
    edge, k = _runs(n)  # each part's edge, and its number on the edge
    start = a[edge] + (k / n[edge])[:, None] * d[edge]  # the first part starts at a exactly
    last = (k + 1 == n[edge])[:, None]
    end = np.where(last, b[edge], a[edge] + ((k + 1) / n[edge])[:, None] * d[edge])
    return start, end, owner[edge]


def _nearest(a: Floats, b: Floats, seg: Ints, piece: Ints, areas: Areas) -> tuple[Ints, Ints]:
    """One crossing piece per segment.

    The nearest to its middle where pieces of several kinds are near it (ties: the lower
    id); any (the lowest id) where they are all of one kind.
    """
    order = np.lexsort((areas.ids[piece], seg))
    seg, piece = seg[order], piece[order]
    start = np.r_[True, seg[1:] != seg[:-1]] if len(seg) else np.zeros(0, bool)
    group = np.cumsum(start) - 1
    first_kind = areas.kinds[piece[start]][group]
    mixed = np.zeros(int(start.sum()), bool)
    np.logical_or.at(mixed, group, areas.kinds[piece] != first_kind)
    pick = start.copy()
    rows = np.flatnonzero(mixed[group])
    if len(rows):
        m = shapely.points((a[seg[rows]] + b[seg[rows]]) / 2)
        d = shapely.distance(m, areas.geoms[piece[rows]])
        o = np.lexsort((areas.ids[piece[rows]], d, seg[rows]))
        best = rows[o][np.r_[True, seg[rows][o][1:] != seg[rows][o][:-1]]]
        pick[np.flatnonzero(start)[mixed]] = False
        pick[best] = True
    return seg[pick], piece[pick]


def frontage(
    geoms: Objects,
    own: list[frozenset[str]],
    own_kind: Codes,
    areas: Areas,
    tol: float,
    within: tuple[float, float, float, float] | None = None,
) -> Frontage:
    """The frontage of each geometry: segments whose middle lies near a crossing area.

    Near: within the areas' tolerance. The areas of the geometry's own units (`own[i]`) do
    not count, nor, for a crossing area itself (`own_kind[i]` >= 0), areas of its own kind:
    a street meeting a street is road on both sides, not a frontage. `within`: only the
    segments of the edges meeting this box (`_segments`); each is what it is in the whole.
    """
    a, b, owner = _segments(geoms, within)
    seg, piece = areas.near((a + b) / 2)
    keep = areas.kinds[piece] != own_kind[owner[seg]]
    seg, piece = seg[keep], piece[keep]
    sources = areas.sources[piece]
    if all(len(o) == 1 for o in own):
        single = np.array([next(iter(o)) for o in own], dtype=object)
        keep = sources != single[owner[seg]]
    else:
        keep = np.array([s not in own[owner[i]] for i, s in zip(seg, sources, strict=True)], bool)
    seg, piece = _nearest(a, b, seg[keep], piece[keep], areas)
    return Frontage(a[seg], b[seg], owner[seg], areas.kinds[piece], piece.astype(np.int64))


def _front_boxes(f: Frontage, reach: Floats) -> Floats:
    """Boxes (xmin, ymin, xmax, ymax) around the region in front of each piece within `reach`."""
    d = f.b - f.a
    u = d / np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-12)[:, None]
    n = np.stack([u[:, 1], -u[:, 0]], axis=1)
    r = reach[:, None]
    corners = [f.a - r * u, f.b + r * u, f.a - r * u + r * n, f.b + r * u + r * n]
    xs = np.stack([c[:, 0] for c in corners], axis=1)
    ys = np.stack([c[:, 1] for c in corners], axis=1)
    return np.stack([xs.min(1), ys.min(1), xs.max(1), ys.max(1)], axis=1)


def _runs(n: Ints) -> tuple[Ints, Ints]:
    """Runs of n[0], n[1], ... elements laid end to end: each element's run and place in it.

    Plain numpy: no Python per element (`np.repeat` of each run's start, subtracted).
    """
    run = np.repeat(np.arange(len(n)), n)
    place: Ints = np.arange(len(run)) - np.repeat(np.cumsum(n) - n, n)
    return run, place


def covered_cells(lo: Ints, hi: Ints) -> tuple[Ints, Ints, Ints]:
    """Every grid cell of some ranges of cells: (range index, column, row), one per cell.

    `lo`, `hi`: n x 2 integer cell coordinates, the first and last cell of each range on each
    axis (inclusive). Plain numpy: no Python per cell.
    """
    ny = hi[:, 1] - lo[:, 1] + 1
    n = (hi[:, 0] - lo[:, 0] + 1) * ny
    rows, k = _runs(n)
    return rows, lo[rows, 0] + k // ny[rows], lo[rows, 1] + k % ny[rows]


def _grid_pairs(boxes: Floats, a: Floats, b: Floats, cell: float) -> tuple[Ints, Ints]:
    """(box index, segment index) of every segment a-b whose bounding box meets a box.

    Segments are bucketed by the grid cell of their midpoint; a box looks in the cells it
    covers, grown by the longest half segment. Plain numpy: no per-pair Python. Used for
    points (a = b), where it is twice as fast as an STRtree, which needs a shapely point for
    each (measured: 384 000 frontage midpoints, 0.14 s against 0.30 s).
    """
    mid = (a + b) / 2
    half = float(np.max(np.abs(b - a)) / 2) if len(a) else 0.0
    key = np.floor(mid / cell).astype(np.int64)
    skey = key[:, 0] * 4_000_000 + key[:, 1]
    order = np.argsort(skey, kind="stable")
    sorted_keys = skey[order]
    lo = np.floor((boxes[:, :2] - half) / cell).astype(np.int64)
    hi = np.floor((boxes[:, 2:] + half) / cell).astype(np.int64)
    rows, cx, cy = covered_cells(lo, hi)
    ckey = cx * 4_000_000 + cy
    start = np.searchsorted(sorted_keys, ckey, "left")
    count = np.searchsorted(sorted_keys, ckey, "right") - start
    run, k = _runs(count)
    i, j = rows[run], order[start[run] + k]
    lo_j, hi_j = np.minimum(a[j], b[j]), np.maximum(a[j], b[j])
    meet = (
        (lo_j[:, 0] <= boxes[i, 2])
        & (hi_j[:, 0] >= boxes[i, 0])
        & (lo_j[:, 1] <= boxes[i, 3])
        & (hi_j[:, 1] >= boxes[i, 1])
    )
    return i[meet].astype(np.int64), j[meet].astype(np.int64)


def _box_pairs(boxes: Floats, geoms: Objects) -> tuple[Ints, Ints]:
    """(box index, geometry index) of every geometry whose bounding box meets a box.

    GEOS's STRtree answers in C, about ten times faster here than bucketing segments by a
    grid in numpy (measured on a 3 km tile: 7.9 M pairs in 0.5 s, not 4.8 s).
    """
    if not len(boxes) or not len(geoms):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    found = shapely.STRtree(geoms).query(
        shapely.box(boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3])
    )
    return found[0].astype(np.int64), found[1].astype(np.int64)


def _lines(a: Floats, b: Floats) -> Objects:
    """The segments a-b as line strings."""
    out: Objects = shapely.linestrings(np.stack([a, b], axis=1))
    return out


def _pairs(site: Frontage, other: Frontage, rules: Rules) -> tuple[Ints, Ints]:
    """Candidate pairs (site piece, other piece) in front of each other.

    The other lies in front of the site's piece, within the cap that could apply: where
    water is on either side, the larger of the water's cap and the dry kinds' (a municipality
    may set the water cap below the road's); else the larger of the road's and the park's.
    """
    water = other.kind == WATER
    site_water = site.kind == WATER
    dry_reach = max(rules.road_max_m, rules.park_max_m)
    # a line with water on either side is capped by the larger cap of its two kinds: the
    # water's, or the other kind's where a municipality sets the water cap below it
    wet_reach = max(rules.water_max_m, dry_reach)
    reach = np.where(site_water, wet_reach, dry_reach)
    segments = _lines(other.a, other.b)
    i, j = _box_pairs(_front_boxes(site, reach), segments)
    keep = site_water[i] | ~water[j]
    out_i, out_j = [i[keep]], [j[keep]]
    dry = np.flatnonzero(~site_water)  # a dry frontage facing water across a road or park
    wet = np.flatnonzero(water)
    if len(dry) and len(wet):
        far = _front_boxes(site, np.full(len(site.a), wet_reach))[dry]
        wi, wj = _box_pairs(far, segments[wet])
        out_i.append(dry[wi])
        out_j.append(wet[wj])
    return np.concatenate(out_i), np.concatenate(out_j)


def _facing(
    a1: Floats, b1: Floats, n1: Floats, a2: Floats, b2: Floats, n2: Floats
) -> NDArray[np.bool_]:
    """A quick test: each piece has a point strictly in front of the other (outward side).

    n1, n2: the pieces' outward normals.
    """
    f1 = np.maximum(np.einsum("ij,ij->i", a2 - a1, n1), np.einsum("ij,ij->i", b2 - a1, n1))
    f2 = np.maximum(np.einsum("ij,ij->i", a1 - a2, n2), np.einsum("ij,ij->i", b1 - a2, n2))
    out: NDArray[np.bool_] = (f1 > 0) & (f2 > 0)
    return out


def _closest(p: Floats, qa: Floats, qb: Floats) -> Floats:
    """The point of each segment qa-qb nearest to p."""
    d = qb - qa
    t = np.einsum("ij,ij->i", p - qa, d) / np.maximum(np.einsum("ij,ij->i", d, d), 1e-12)
    out: Floats = qa + np.clip(t, 0.0, 1.0)[:, None] * d
    return out


def _shortest(a1: Floats, b1: Floats, a2: Floats, b2: Floats) -> tuple[Floats, Floats]:
    """The shortest line between two segments (they do not cross: frontages of two units)."""
    best_p, best_q = a1, _closest(a1, a2, b2)
    best = np.einsum("ij,ij->i", best_q - best_p, best_q - best_p)
    for p, q in (
        (b1, _closest(b1, a2, b2)),
        (_closest(a2, a1, b1), a2),
        (_closest(b2, a1, b1), b2),
    ):
        d = np.einsum("ij,ij->i", q - p, q - p)
        w = d < best
        best_p, best_q = np.where(w[:, None], p, best_p), np.where(w[:, None], q, best_q)
        best = np.where(w, d, best)
    return best_p, best_q


def _normal(a: Floats, b: Floats) -> Floats:
    """The outward unit normal of each segment (the interior is on its left)."""
    d = b - a
    return (
        np.stack([d[:, 1], -d[:, 0]], axis=1)
        / np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-12)[:, None]
    )


def _sight(
    a1: Floats,
    b1: Floats,
    n1: Floats,
    a2: Floats,
    b2: Floats,
    n2: Floats,
    cap: Floats,
    rules: Rules,
) -> tuple[NDArray[np.bool_], Floats, Floats]:
    """The best qualifying sight line of each pair: (found, start on piece 1, end on piece 2).

    Every candidate line is returned when `found` is false for the caller to ignore.
    """
    sin_min = math.sin(math.radians(rules.min_angle_deg))
    m1, m2 = (a1 + b1) / 2, (a2 + b2) / 2
    found = np.zeros(len(a1), bool)
    best = np.full(len(a1), np.inf)
    p_out, q_out = m1.copy(), m2.copy()
    for p, q in ((m1, _closest(m1, a2, b2)), (_closest(m2, a1, b1), m2), _shortest(a1, b1, a2, b2)):
        v = q - p
        length = np.hypot(v[:, 0], v[:, 1])
        ok = (
            (length > rules.tolerance_m)
            & (length <= cap)
            & (np.einsum("ij,ij->i", v, n1) >= length * sin_min)
            & (-np.einsum("ij,ij->i", v, n2) >= length * sin_min)
            & (length < best)
        )
        p_out[ok], q_out[ok], best[ok] = p[ok], q[ok], length[ok]
        found |= ok
    return found, p_out, q_out


def _across(k1: Codes, k2: Codes, rules: Rules) -> tuple[Codes, Floats]:
    """The kind crossed (the larger cap where the two frontages face different kinds) and its cap."""
    caps = rules.caps
    c1, c2 = caps[k1], caps[k2]
    return np.where(c1 >= c2, k1, k2).astype(np.int8), np.maximum(c1, c2)


def _near_area(areas: Areas, xy: Floats, hint1: Ints, hint2: Ints) -> NDArray[np.bool_]:
    """Whether each point lies within the tolerance of a crossing area (two hints first)."""
    ok = np.zeros(len(xy), bool)
    ok[areas.near(xy, hint1)[0]] = True
    rest = np.flatnonzero(~ok)
    ok[rest[areas.near(xy[rest], hint2[rest])[0]]] = True
    rest = np.flatnonzero(~ok)
    if len(rest):
        ok[rest[areas.near(xy[rest])[0]]] = True
    return ok


def _clear(areas: Areas, p: Floats, q: Floats, hint1: Ints, hint2: Ints) -> NDArray[np.bool_]:
    """Whether each line runs through crossing areas all the way.

    Points every SAMPLE_STEP_M along it (the middle first) must each lie within `tol` of a
    road, park or water area: a line that passes over another unit is blocked.
    """
    ok = _near_area(areas, (p + q) / 2, hint1, hint2)
    length = np.hypot(*(q - p).T)
    n = np.maximum(1, np.ceil(length / SAMPLE_STEP_M).astype(np.int64)) | 1  # odd: the middle too
    more = np.flatnonzero(ok & (n > 1))
    run, k = _runs(n[more])
    line = more[run]
    t = ((k + 0.5) / n[line])[:, None]
    xy = p[line] + t * (q[line] - p[line])
    near = _near_area(areas, xy, hint1[line], hint2[line])
    ok[line[~near]] = False
    return ok


@dataclass
class _Lines:
    """Qualifying sight lines, not yet checked to run through crossing areas.

    Per line: site index, unit index, kind crossed, the line to the millimetre (x1, y1, x2,
    y2), its length, the line as computed, and the crossing pieces of its two frontages.
    """

    site: Ints
    unit: Ints
    across: Codes
    line: Floats
    length: Floats
    raw: Floats
    hint1: Ints
    hint2: Ints

    def take(self, k: Ints) -> _Lines:
        """The lines at positions k."""
        return _Lines(*(getattr(self, f)[k] for f in self.__dataclass_fields__))


def _test_chunk(
    sf: Frontage, uf: Frontage, i: Ints, j: Ints, crossing: Codes, rules: Rules
) -> _Lines:
    """Test candidate pairs (i in sf, j in uf): their qualifying sight lines.

    `crossing` is the crossing kind of each unit uf's owners index (-1: none).
    """
    facing = _facing(sf.a[i], sf.b[i], sf.normal[i], uf.a[j], uf.b[j], uf.normal[j])
    i, j = i[facing], j[facing]
    across, cap = _across(sf.kind[i], uf.kind[j], rules)
    # a unit of the very kind crossed is part of the crossing (a street across a street):
    # such a line does not count, though another line to the same unit may
    other = crossing[uf.owner[j]] != across
    i, j, across, cap = i[other], j[other], across[other], cap[other]
    found, p, q = _sight(sf.a[i], sf.b[i], sf.normal[i], uf.a[j], uf.b[j], uf.normal[j], cap, rules)
    i, j, across, p, q = i[found], j[found], across[found], p[found], q[found]
    raw = np.hstack([p, q])
    # to the millimetre: stored and live lines agree
    line: Floats = np.asarray(np.round(raw, 3), dtype=np.float64)
    length: Floats = np.hypot(line[:, 2] - line[:, 0], line[:, 3] - line[:, 1]).astype(np.float64)
    return _Lines(sf.owner[i], uf.owner[j], across, line, length, raw, sf.area[i], uf.area[j])


def _shortest_clear(lines: _Lines, areas: Areas) -> Found:
    """One line per (site, unit): the shortest that runs through crossing areas all the way.

    Ties are broken by the line's coordinates, then the kind crossed (the lower code): the
    choice never depends on the order the pairs were found in. Each pair's lines are checked
    (`_clear`, the costly test) in that order until one is clear: the first one for most
    pairs, so most lines are never checked. The result is that of checking every line.

    A pair whose lines are blocked (a unit between the two on a real cadastre: hundreds of
    lines) has them checked in rounds of 1, 2, 4, ... lines (`CLEAR_BATCH`), the first clear
    one kept: one round per line made 1 895 rounds, most of a single line, for the NLS
    Helsinki sample's relations, over a third of their computation.
    """
    ln = lines.line
    order = np.lexsort(
        (lines.across, ln[:, 3], ln[:, 2], ln[:, 1], ln[:, 0], lines.length, lines.unit, lines.site)
    )
    s = lines.take(order)
    new_pair = (s.site[1:] != s.site[:-1]) | (s.unit[1:] != s.unit[:-1])
    start = np.flatnonzero(np.r_[True, new_pair]) if len(s.site) else np.zeros(0, np.int64)
    end = np.r_[start[1:], len(s.site)]
    nxt = start.copy()  # each pair's next line to check
    chosen = np.full(len(start), -1, np.int64)
    active = np.arange(len(start))
    width = 1  # lines checked per pair in a round: one first, twice as many each round after
    while len(active):
        n = np.minimum(width, end[active] - nxt[active])
        pair, place = _runs(n)
        k = nxt[active][pair] + place
        ok = _clear(areas, s.raw[k, :2], s.raw[k, 2:], s.hint1[k], s.hint2[k])
        # each pair's first clear line in its order (k ascends within a pair)
        hit, first = np.unique(pair[ok], return_index=True)
        chosen[active[hit]] = k[np.flatnonzero(ok)[first]]
        done = np.zeros(len(active), bool)
        done[hit] = True
        nxt[active] += n
        active = active[~done & (nxt[active] < end[active])]
        width = max(1, min(2 * width, CLEAR_BATCH // max(len(active), 1)))
    c = chosen[chosen >= 0]
    return Found(s.site[c], s.unit[c], s.across[c], s.line[c])


def _exclude(found: Found, site_geoms: Objects, units: Units, rules: Rules) -> Found:
    """Drop adjacent units and (if the rules say so) public ones."""
    adjacent = shapely.dwithin(site_geoms[found.site], units.geoms[found.unit], rules.tolerance_m)
    keep = ~adjacent
    if not rules.include_public:
        keep &= ~units.public[found.unit]
    return Found(found.site[keep], found.unit[keep], found.across[keep], found.line[keep])


def _front_within_reach(sf: Frontage, units: Units, areas: Areas, rules: Rules) -> Frontage:
    """The frontage of the units a sight line from the sites' frontage `sf` can reach.

    A sight line is no longer than the cap of the areas there, so the partner piece it ends
    on, its edge and its unit meet the box of the site's frontage grown by that reach; the
    other units' frontage is not computed, nor that of the other edges (one site, live: most
    units of the area fetched around it are beyond a street's cap where no water lies near,
    and most edges of a street unit reaching it). A piece does not depend on the other units
    or edges, so the pieces are those of all the units, less the unreachable ones.
    """
    reach = rules.reach_across(areas.kinds) + rules.tolerance_m
    ends = np.concatenate([sf.a, sf.b])
    x0, y0 = ends.min(axis=0) - reach
    x1, y1 = ends.max(axis=0) + reach
    near = np.flatnonzero(meeting_box(shapely.bounds(units.geoms).reshape(-1, 4), (x0, y0, x1, y1)))
    f = frontage(
        units.geoms[near],
        [frozenset({u}) for u in units.ids[near]],
        units.crossing[near],
        areas,
        rules.tolerance_m,
        within=(x0, y0, x1, y1),  # a piece beyond cannot hold a line's end (nor can its unit)
    )
    return Frontage(f.a, f.b, near[f.owner], f.kind, f.area)


def meeting_box(bounds: Floats, box: tuple[float, float, float, float]) -> NDArray[np.bool_]:
    """Which boxes (rows xmin, ymin, xmax, ymax) meet a box."""
    out: NDArray[np.bool_] = (
        (bounds[:, 2] >= box[0])
        & (bounds[:, 0] <= box[2])
        & (bounds[:, 3] >= box[1])
        & (bounds[:, 1] <= box[3])
    )
    return out


def find(
    site_geoms: Objects,
    site_own: list[frozenset[str]],
    units: Units,
    areas: Areas,
    rules: Rules,
    site_kind: Codes | None = None,
    site_front: Frontage | None = None,
    unit_front: Frontage | None = None,
) -> Found:
    """Every opposite unit of each site (site index, unit index, kind crossed, sight line).

    `site_own[k]` are the site's own unit ids (never opposite, their areas are not crossed).
    The frontages may be passed in when already computed (bulk: sites are units).
    """
    tol = rules.tolerance_m
    kinds = site_kind if site_kind is not None else np.full(len(site_geoms), -1, np.int8)
    sf = site_front or frontage(site_geoms, site_own, kinds, areas, tol)
    empty = Found(
        np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8), np.zeros((0, 4))
    )
    if len(sf.a) == 0:
        return empty
    uf = unit_front or _front_within_reach(sf, units, areas, rules)
    if len(uf.a) == 0:
        return empty
    i, j = _pairs(sf, uf, rules)
    own_id = np.array([next(iter(o)) if len(o) == 1 else None for o in site_own], dtype=object)
    keep = units.ids[uf.owner[j]] != own_id[sf.owner[i]]
    if any(len(o) > 1 for o in site_own):
        keep &= np.array(
            [
                units.ids[uf.owner[b]] not in site_own[sf.owner[a]]
                for a, b in zip(i, j, strict=True)
            ],
            bool,
        )
    i, j = i[keep], j[keep]
    parts = [
        _test_chunk(sf, uf, i[k : k + PAIR_CHUNK], j[k : k + PAIR_CHUNK], units.crossing, rules)
        for k in range(0, len(i), PAIR_CHUNK)
    ]
    if not parts:
        return empty
    lines = _Lines(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in _Lines.__dataclass_fields__)
    )
    return _exclude(_shortest_clear(lines, areas), site_geoms, units, rules)
