"""Boxes of changed units are grouped before the derived tables are rebuilt (api/ingest/derive.py)."""

from __future__ import annotations

import random

import shapely

from api.ingest import derive

BY = 200.0


def test_near_boxes_share_a_group_far_ones_do_not_and_each_lies_inside_its_group() -> None:
    rnd = random.Random(3)
    # three sites of changes 5 km apart, each a few lots within 50 m of the next
    boxes = []
    for cx, cy in ((400_000.0, 7_000_000.0), (405_000.0, 7_000_000.0), (400_000.0, 7_005_000.0)):
        for k in range(5):
            x, y = cx + 40.0 * k + rnd.uniform(0, 5), cy + rnd.uniform(0, 5)
            boxes.append((x, y, x + 20.0, y + 25.0))
    groups = derive.clusters(boxes, BY)

    # independently: boxes grown by half the distance touch within a site, not across sites
    grown = [shapely.box(*b).buffer(BY / 2, join_style="mitre") for b in boxes]
    sites = shapely.get_parts(shapely.union_all(grown))
    assert len(sites) == 3
    assert len(groups) == 3
    for b in boxes:
        inside = [g for g in groups if shapely.box(*g).contains(shapely.box(*b))]
        assert len(inside) == 1
    for site in sites:
        members = [b for b, g in zip(boxes, grown, strict=True) if site.contains(g)]
        assert len(members) == 5
        x0, y0, x1, y1 = shapely.total_bounds([shapely.box(*b) for b in members])
        assert (x0, y0, x1, y1) in groups  # the group is exactly the extent of its boxes


def test_no_boxes_no_groups() -> None:
    assert derive.clusters([], BY) == []
