"""Each opposite pair keeps its shortest sight line that runs through crossing areas (geo/opposite.py).

The lines of a pair are checked shortest first until one is clear; the answer must be that of
checking every line, worked out here with shapely (a line inside the areas grown by the
tolerance) and a plain minimum.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, box

from geo import opposite

TOL = 0.5
# two road pieces with a 20 m gap between them (x 20..40): a unit stands there
PIECES = [box(0, 0, 20, 30), box(40, 0, 100, 30)]
# (site, unit, line): pair (0, 0) has a blocked shortest line, (0, 1) two clear ones,
# (1, 0) only blocked ones, (1, 1) one clear line behind two blocked shorter ones
LINES = [
    (0, 0, (30.0, 0.0, 30.0, 30.0)),  # 30 m, through the gap
    (0, 0, (50.0, 0.0, 55.0, 30.0)),  # 30.4 m, clear
    (0, 0, (10.0, 0.0, 10.0, 31.0)),  # 31 m (0.5 m beyond the tolerance at its end)
    (0, 1, (70.0, 0.0, 70.0, 26.0)),
    (0, 1, (60.0, 0.0, 60.0, 25.0)),
    (1, 0, (25.0, 0.0, 25.0, 28.0)),
    (1, 0, (35.0, 0.0, 36.0, 29.0)),
    (1, 1, (21.0, 1.0, 39.0, 2.0)),  # along the gap
    (1, 1, (30.0, 5.0, 31.0, 25.0)),
    (1, 1, (15.0, 0.0, 15.0, 29.0)),
]


def _lines() -> opposite._Lines:
    xy = np.array([line for _, _, line in LINES], dtype=np.float64)
    n = len(LINES)
    return opposite._Lines(
        site=np.array([s for s, _, _ in LINES], np.int64),
        unit=np.array([u for _, u, _ in LINES], np.int64),
        across=np.zeros(n, np.int8),
        line=xy,
        length=np.hypot(xy[:, 2] - xy[:, 0], xy[:, 3] - xy[:, 1]),
        raw=xy.copy(),
        hint1=np.zeros(n, np.int64),
        hint2=np.ones(n, np.int64),
    )


def test_each_pair_keeps_its_shortest_clear_line() -> None:
    areas = opposite.Areas(
        geoms=np.array(PIECES, dtype=object),
        kinds=np.zeros(2, np.int8),
        sources=np.array(["road_area:1", "road_area:2"], dtype=object),
        ids=np.arange(2, dtype=np.int64),
        tolerance_m=TOL,
    )
    found = opposite._shortest_clear(_lines(), areas)
    got = {
        (int(s), int(u)): tuple(map(float, line))
        for s, u, line in zip(found.site, found.unit, found.line, strict=True)
    }

    # independently: every line inside the grown pieces, then the shortest of each pair
    grown = shapely.union_all([p.buffer(TOL) for p in PIECES])
    expected: dict[tuple[int, int], tuple[float, ...]] = {}
    for s, u, line in LINES:
        geom = LineString([line[:2], line[2:]])
        if not grown.covers(geom):
            continue
        best = expected.get((s, u))
        if best is None or geom.length < LineString([best[:2], best[2:]]).length:
            expected[(s, u)] = line

    assert got == expected
    assert got == {
        (0, 0): (50.0, 0.0, 55.0, 30.0),
        (0, 1): (60.0, 0.0, 60.0, 25.0),
        (1, 1): (15.0, 0.0, 15.0, 29.0),
    }
