"""Each opposite line is capped by the larger cap of the two kinds its frontages face.

A municipality may set the water cap below the road cap (domain.md N3: across water about
50–100 m in Kirkkonummi, across a road 60 m). A site facing water, with a lot 55 m away facing
the road beyond that water, is then opposite under the road's 60 m, and must be found.
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import box

from geo import opposite

SITE = box(0, 0, 20, 20)
WATER = box(-30, 20, 50, 40)  # the bay in front of the site
ROAD = box(-30, 40, 50, 75)  # the road beyond it
LOT = box(0, 75, 20, 95)  # faces the road


def _found(water_max_m: float, road_max_m: float) -> set[tuple[str, str, float]]:
    units = opposite.Units(
        ids=np.array(["site", "lot"], dtype=object),
        geoms=np.array([SITE, LOT], dtype=object),
        crossing=np.full(2, -1, np.int8),
        public=np.zeros(2, bool),
    )
    areas = opposite.Areas(
        geoms=np.array([WATER, ROAD], dtype=object),
        kinds=np.array([opposite.WATER, opposite.ROAD], np.int8),
        sources=np.array(["water_area:1", "road:1"], dtype=object),
        ids=np.arange(2, dtype=np.int64),
        tolerance_m=0.5,
    )
    rules = opposite.Rules(
        tolerance_m=0.5,
        road_max_m=road_max_m,
        park_max_m=30.0,
        water_max_m=water_max_m,
        min_angle_deg=45.0,
        include_public=False,
    )
    f = opposite.find(np.array([SITE], dtype=object), [frozenset({"site"})], units, areas, rules)
    return {
        (str(units.ids[u]), opposite.KINDS[a], round(float(np.hypot(*(ln[2:] - ln[:2]))), 1))
        for u, a, ln in zip(f.unit, f.across, f.line, strict=True)
    }


def test_a_water_cap_below_the_road_cap_still_finds_the_lot_across_the_road() -> None:
    # independently: the lot lies 55 m beyond the site's front, straight across; the line
    # counts where 55 m is within the larger cap of the two kinds faced, named by that kind
    assert _found(water_max_m=200.0, road_max_m=60.0) == {("lot", "water", 55.0)}
    assert _found(water_max_m=50.0, road_max_m=60.0) == {("lot", "road", 55.0)}
    assert _found(water_max_m=50.0, road_max_m=54.0) == set()
    assert _found(water_max_m=54.0, road_max_m=50.0) == set()
