"""Each opposite pair keeps its shortest sight line that runs through crossing areas (geo/opposite.py).

The lines of a pair are checked shortest first until one is clear; the answer must be that of
checking every line, worked out here with shapely (a line inside the areas grown by the
tolerance) and a plain minimum.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, box

from geo import opposite

TOL = 0.5
# two road pieces with a 20 m gap between them (x 20..40): a unit stands there
PIECES = [box(0, 0, 20, 30), box(40, 0, 100, 30)]
# (site, unit, line): pair (0, 0) has a blocked shortest line, (0, 1) two clear ones,
# (1, 0) only blocked ones, (1, 1) one clear line behind two blocked shorter ones
LINES: list[tuple[int, int, tuple[float, float, float, float]]] = [
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


Row = tuple[int, int, tuple[float, float, float, float]]


def _lines(rows: list[Row]) -> opposite._Lines:
    xy = np.array([line for _, _, line in rows], dtype=np.float64)
    n = len(rows)
    return opposite._Lines(
        site=np.array([s for s, _, _ in rows], np.int64),
        unit=np.array([u for _, u, _ in rows], np.int64),
        across=np.zeros(n, np.int8),
        line=xy,
        length=np.hypot(xy[:, 2] - xy[:, 0], xy[:, 3] - xy[:, 1]),
        raw=xy.copy(),
        hint1=np.zeros(n, np.int64),
        hint2=np.ones(n, np.int64),
    )


def _areas() -> opposite.Areas:
    return opposite.Areas(
        geoms=np.array(PIECES, dtype=object),
        kinds=np.zeros(2, np.int8),
        sources=np.array(["road_area:1", "road_area:2"], dtype=object),
        ids=np.arange(2, dtype=np.int64),
        tolerance_m=TOL,
    )


def _chosen(rows: list[Row]) -> dict[tuple[int, int], tuple[float, ...]]:
    """Each pair's line as `_shortest_clear` chooses it."""
    found = opposite._shortest_clear(_lines(rows), _areas())
    return {
        (int(s), int(u)): tuple(map(float, line))
        for s, u, line in zip(found.site, found.unit, found.line, strict=True)
    }


def test_each_pair_keeps_its_shortest_clear_line() -> None:
    got = _chosen(LINES)

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


def test_a_late_clear_line_is_found_as_checking_one_line_at_a_time_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pairs with hundreds of blocked lines (a unit between them on a real cadastre).

    Their lines are checked in rounds of growing size, capped by CLEAR_BATCH (here small, so
    the cap is reached): each pair must still keep its shortest clear line, worked out with
    shapely line by line.
    """
    monkeypatch.setattr(opposite, "CLEAR_BATCH", 50)
    rng = np.random.default_rng(7)
    rows: list[Row] = []
    for pair in range(40):
        for _ in range(int(rng.integers(1, 300))):
            gap = rng.random() < 0.97  # through the gap between the pieces: blocked
            clear = rng.uniform(0, 20) if rng.random() < 0.3 else rng.uniform(40, 100)
            x = rng.uniform(21, 39) if gap else clear
            rows.append((pair // 8, pair % 8, (x, 0.0, x, rng.uniform(5, 30))))

    grown = shapely.union_all([p.buffer(TOL) for p in PIECES])
    expected: dict[tuple[int, int], tuple[float, ...]] = {}
    late = 0  # how far down its list (shortest first) a pair's clear line was
    for key in {(s, u) for s, u, _ in rows}:
        mine = sorted((ln for s, u, ln in rows if (s, u) == key), key=lambda ln: ln[3])
        for k, ln in enumerate(mine):
            if grown.covers(LineString([ln[:2], ln[2:]])):
                expected[key] = ln
                late = max(late, k)
                break
    assert late >= 60  # some pair's line is found only after several growing rounds
    assert len(expected) < 40  # some pairs have no clear line at all

    rounds: list[int] = []  # lines checked in each round
    check = opposite._clear

    def counted(areas: opposite.Areas, p: Any, *args: Any) -> Any:
        rounds.append(len(p))
        return check(areas, p, *args)

    monkeypatch.setattr(opposite, "_clear", counted)
    assert _chosen(rows) == expected
    # the rounds: far fewer than the lines of the latest pair, none above the cap (all 40
    # pairs are in the first)
    assert len(rounds) < late / 3 and max(rounds) <= 50, rounds


def test_of_two_clear_lines_checked_in_one_round_the_first_is_kept() -> None:
    """Three blocked lines, then two clear ones: rounds of 1, 2 and 4 lines check both clear
    lines in the third round, and the shorter one is kept."""
    blocked = [(0, 0, (25.0 + k, 0.0, 25.0 + k, 10.0 + k)) for k in range(3)]
    clear = [(0, 0, (60.0, 0.0, 60.0, 14.0)), (0, 0, (50.0, 0.0, 50.0, 13.0))]
    assert _chosen([*clear, *blocked]) == {(0, 0): (50.0, 0.0, 50.0, 13.0)}
