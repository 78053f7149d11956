"""The frontage's outline segments (geo/opposite.py `_segments`) on the real NLS parcels.

Checked against GEOS's own segmentize (shapely): the same segments, cut alike, and the part
read within a box holds every segment that meets the box.
"""

from __future__ import annotations

import numpy as np
import pyogrio
import shapely

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
    dense = shapely.segmentize(shapely.orient_polygons(geoms), STEP)
    parts, part_of = shapely.get_parts(dense, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    xy, point_of = shapely.get_coordinates(rings, return_index=True)
    same = point_of[:-1] == point_of[1:]
    want_a, want_b = xy[:-1][same], xy[1:][same]
    want_owner = part_of[ring_of[point_of[:-1][same]]]

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
