"""The frontage's outline segments (geo/opposite.py `_segments`) on the real NLS parcels.

Checked against GEOS's own segmentize (shapely): the same segments, cut alike, and the part
read within a box holds every segment that meets the box.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyogrio
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from geo import opposite
from tests.conftest import NLS, needs_nls

STEP = opposite.FRONTAGE_STEP_M


def _geoms() -> opposite.Objects:
    df = pyogrio.read_dataframe(NLS / "parcels.gpkg", layer="property_borders")
    return np.asarray(shapely.force_2d(df.geometry.values), dtype=object)


@needs_nls
def test_segments_are_those_of_geos_segmentize() -> None:
    geoms = _geoms()
    a, b, owner = opposite._segments(geoms)

    # independently: GEOS cuts each edge into equal parts within the step (its repeated
    # points dropped), interior on the left after orienting
    want_a, want_b, want_owner = _geos_segments(geoms)

    assert len(geoms) > 2000 and len(a) > 50_000
    assert np.array_equal(owner, want_owner)
    assert np.abs(a - want_a).max() < 1e-6 and np.abs(b - want_b).max() < 1e-6
    assert np.hypot(*(b - a).T).max() <= STEP + 1e-9
    assert np.array_equal(a[0], want_a[0])


@needs_nls
def test_segments_within_a_box_are_all_that_meet_it() -> None:
    geoms = _geoms()
    a, b, owner = opposite._segments(geoms)
    x, y = np.median(a, axis=0)
    box = (x - 300.0, y - 200.0, x + 300.0, y + 200.0)
    wa, wb, wowner = opposite._segments(geoms, within=box)

    whole = {(*map(tuple, p), o) for p, o in zip(zip(a, b, strict=True), owner, strict=True)}
    part = {(*map(tuple, p), o) for p, o in zip(zip(wa, wb, strict=True), wowner, strict=True)}
    lines = shapely.linestrings(np.stack([a, b], axis=1))
    meeting = shapely.intersects(lines, shapely.box(*box))
    assert part <= whole  # each segment as it is in the whole
    assert len(part) < len(whole) / 10
    # every segment that meets the box (those of its edges meeting it are kept whole)
    for p, q, o in zip(a[meeting], b[meeting], owner[meeting], strict=True):
        assert (tuple(p), tuple(q), o) in part


def _geos_segments(geoms: opposite.Objects) -> tuple[Any, Any, Any]:
    """The segments as GEOS cuts them (valid input: GEOS repairs nothing)."""
    dense = shapely.segmentize(shapely.orient_polygons(geoms), STEP)
    parts, part_of = shapely.get_parts(dense, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    xy, point_of = shapely.get_coordinates(rings, return_index=True)
    same = point_of[:-1] == point_of[1:]
    return xy[:-1][same], xy[1:][same], part_of[ring_of[point_of[:-1][same]]]


def test_segments_of_holes_parts_repeated_points_and_nothing() -> None:
    """Without the NLS data: a hole, a unit of two parts, a repeated point, None and empty."""
    holed = Polygon([(0, 0), (100, 0), (100, 100), (0, 100)], [[(30, 30), (30, 70), (70, 70)]])
    two = MultiPolygon([box(200, 0, 245, 10), box(300, 0, 301, 1)])
    repeated = Polygon([(400, 0), (450, 0), (450, 0), (450, 33), (400, 0)])
    geoms = np.array([holed, None, two, Polygon(), repeated], dtype=object)
    a, b, owner = opposite._segments(geoms)
    want_a, want_b, want_owner = _geos_segments(geoms)
    assert np.array_equal(owner, want_owner) and set(owner.tolist()) == {0, 2, 4}
    assert np.abs(a - want_a).max() < 1e-9 and np.abs(b - want_b).max() < 1e-9
    assert np.hypot(*(b - a).T).min() > 0  # the repeated point gives no empty segment
    # interior on the left, the hole's ring too: a point just left of each middle is land
    d = (b - a) / np.hypot(*(b - a).T)[:, None]
    x, y = ((a + b) / 2 + 0.01 * np.stack([-d[:, 1], d[:, 0]], axis=1)).T
    assert shapely.contains_xy(geoms[owner], x, y).all()


def test_an_edge_crossing_the_box_is_kept_whole() -> None:
    """An edge whose ends both lie outside the box, crossing it: all its parts are kept."""
    long_lot = np.array([box(0, 0, 1000, 10), box(0, 500, 10, 510)], dtype=object)
    a, b, owner = opposite._segments(long_lot, within=(490.0, -5.0, 510.0, 5.0))
    assert set(owner.tolist()) == {0}  # the far lot has no edge meeting the box
    bottom = (a[:, 1] == 0) & (b[:, 1] == 0)
    assert bottom.sum() == 50  # the bottom edge: 1 000 m in 50 parts of 20 m
    assert np.isclose(np.hypot(*(b - a)[bottom].T), 20.0).all()
    assert not ((a[:, 1] == 10) & (b[:, 1] == 10)).any()  # the top edge lies outside the box
