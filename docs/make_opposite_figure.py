"""Draw docs/opposite.svg: the opposite neighbours of one site, computed by geo/opposite.py.

Run once (`.venv/bin/python docs/make_opposite_figure.py`); the SVG is committed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import box

from geo import opposite

RULES = opposite.Rules(0.5, 60.0, 30.0, 200.0, 15.0, True)
# A street running east-west (y 40..60), a crossing street north-south (x 120..140), a park
# strip (y 60..70) in front of the west half of the north side; lots of 30 x 40 m.
UNITS = {
    "street": (box(-20, 40, 200, 60), opposite.ROAD),
    "cross street": (box(120, -40, 140, 140), opposite.ROAD),
    "park strip": (box(-20, 60, 60, 70), opposite.PARK),
    "SITE": (box(60, 0, 90, 40), -1),
    "left": (box(30, 0, 60, 40), -1),
    "right": (box(90, 0, 120, 40), -1),
    "far left": (box(-20, 0, 30, 40), -1),
    "behind park": (box(30, 70, 60, 110), -1),
    "far behind park": (box(-20, 70, 30, 110), -1),
    "opposite": (box(60, 60, 90, 100), -1),
    "opposite right": (box(90, 60, 120, 100), -1),
    "diagonal": (box(140, 60, 170, 100), -1),
    "across cross street": (box(140, 0, 170, 40), -1),
    "far along": (box(170, 60, 200, 100), -1),
}


def main() -> None:
    """Compute and draw."""
    names = list(UNITS)
    geoms = np.array([UNITS[n][0] for n in names], dtype=object)
    kinds = np.array([UNITS[n][1] for n in names], np.int8)
    public = kinds >= 0
    units = opposite.Units(np.array(names, dtype=object), geoms, kinds, public)
    crossing = np.flatnonzero(public)
    areas = opposite.Areas(
        geoms[crossing], kinds[crossing], units.ids[crossing], crossing.astype(np.int64), 0.5
    )
    site = names.index("SITE")
    found = opposite.find(geoms[[site]], [frozenset({"SITE"})], units, areas, RULES)
    hits = {names[u]: (opposite.KINDS[a], line) for u, a, line in zip(found.unit, found.across, found.line, strict=True)}
    adjacent = {n for n in names if n != "SITE" and geoms[names.index(n)].distance(geoms[site]) <= 0.5}
    print("opposite:", sorted(hits), "adjacent:", sorted(adjacent))
    Path(__file__).with_name("opposite.svg").write_text(svg(names, geoms, kinds, hits, adjacent))


def svg(names, geoms, kinds, hits, adjacent) -> str:  # type: ignore[no-untyped-def]
    """The scene as SVG (y up turned y down)."""
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    pad, s = 10, 3.0
    w, h = (x1 - x0 + 2 * pad) * s, (y1 - y0 + 2 * pad) * s + 60

    def pt(x: float, y: float) -> str:
        return f"{(x - x0 + pad) * s:.1f},{(y1 - y + pad) * s:.1f}"

    fills = {opposite.ROAD: "#d9d9d9", opposite.PARK: "#b7dfa5"}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" font-family="sans-serif" font-size="11">']
    for n, g, k in zip(names, geoms, kinds, strict=True):
        fill = fills.get(int(k), "#fff")  # roads and parks in their own colour
        if n == "SITE":
            fill = "#f4a261"
        elif n in hits and k < 0:
            fill = "#8ecae6"
        elif n in adjacent and k < 0:
            fill = "#ffe08a"
        ring = " ".join(pt(x, y) for x, y in g.exterior.coords)
        out.append(f'<polygon points="{ring}" fill="{fill}" stroke="#333" stroke-width="1"/>')
        c = g.centroid
        out.append(f'<text x="{pt(c.x, c.y).split(",")[0]}" y="{pt(c.x, c.y).split(",")[1]}" text-anchor="middle">{n}</text>')
    for _, line in hits.values():
        a, b = pt(line[0], line[1]).split(","), pt(line[2], line[3]).split(",")
        out.append(f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" stroke="#c1121f" stroke-width="2" stroke-dasharray="5,3"/>')
    legend = [
        ("#f4a261", "site"),
        ("#8ecae6", "opposite (sight line dashed)"),
        ("#ffe08a", "adjacent"),
        ("#d9d9d9", "road (street: adjacent)"),
        ("#b7dfa5", "park (the strip is opposite)"),
    ]
    for i, (c, t) in enumerate(legend):
        y = h - 45 + (i // 3) * 20
        x = 10 + (i % 3) * 200
        out.append(f'<rect x="{x}" y="{y - 10}" width="14" height="12" fill="{c}" stroke="#333"/><text x="{x + 20}" y="{y}">{t}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
