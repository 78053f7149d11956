"""Tiles of the bulk build travel to worker processes pickled (geo/opposite.py)."""

from __future__ import annotations

import pickle

import numpy as np
import shapely

from geo import opposite


def test_units_and_areas_survive_pickling_with_their_geometries_exact() -> None:
    boxes = shapely.box(np.arange(5) * 10.0, 0.0, np.arange(5) * 10.0 + 7.3, 9.1)
    units = opposite.Units(
        ids=np.array([f"u{k}" for k in range(5)], dtype=object),
        geoms=boxes,
        crossing=np.array([-1, 0, -1, 1, 2], np.int8),
        public=np.array([False, True, False, True, True]),
    )
    areas = opposite.Areas(
        geoms=boxes[1:],
        kinds=np.array([0, 1, 2, 0], np.int8),
        sources=np.array(["a", "b", "c", "d"], dtype=object),
        ids=np.arange(4, dtype=np.int64),
        tolerance_m=0.5,
    )
    xy = np.array([[11.0, 1.0], [9.7, 4.0], [5.0, 5.0], [47.5, 9.4]])
    before = areas.near(xy)  # computes the grown pieces, which are not pickled
    u2, a2 = pickle.loads(pickle.dumps((units, areas)))
    assert list(u2.ids) == list(units.ids) and u2.public.tolist() == units.public.tolist()
    assert bool(shapely.equals_exact(u2.geoms, units.geoms, 0.0).all())
    assert u2.crossing.tolist() == units.crossing.tolist()
    assert "grown" not in a2.__dict__
    assert bool(shapely.equals_exact(a2.geoms, areas.geoms, 0.0).all())
    after = a2.near(xy)
    assert [v.tolist() for v in after] == [v.tolist() for v in before]
    # by hand: (11, 1) is in piece 0 (box 10..17.3); (9.7, 4) is 0.3 m from it; (5, 5) is
    # in no piece (box 0 is a unit, not an area); (47.5, 9.4) is 0.36 m off piece 3
    assert sorted(zip(*[v.tolist() for v in after], strict=True)) == [(0, 0), (1, 0), (3, 3)]
