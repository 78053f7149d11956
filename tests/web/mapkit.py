"""The map checks the browser tests share with `make bench`: no test fixtures, no test settings.

Importing tests.conftest sets the test database's environment; the bench must not get it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class Watch:
    """Collects console errors, failed requests and requests that leave this machine."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.external: list[str] = []
        self.log: list[str] = []  # every API answer, for the record a failed test leaves
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", self._failed)
        page.on(
            "request",
            lambda r: (
                self.external.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
                else None
            ),
        )

        page.on(
            "response",
            lambda r: (
                self.log.append(f"{r.status} {r.request.method} {r.url}")
                if "/api/" in r.url
                else None
            ),
        )

    def _failed(self, r: Any) -> None:
        # a tile the map no longer needs (it moved on before the tile came) is cancelled by
        # the tile layer, as it should be; any other failure counts
        if not (".mvt" in r.url and r.failure == "net::ERR_ABORTED"):
            self.failed.append(f"{r.url} {r.failure}")

    def clean(self) -> None:
        found = {"errors": self.errors, "failed": self.failed, "external": self.external}
        assert self.errors == [] and self.failed == [] and self.external == [], found


def find(pg: Any, q: str) -> None:
    pg.fill("#search", q)
    pg.click("#search-form button[type=submit]")
    pg.click("#search-results button >> nth=0")
    pg.wait_for_timeout(600)
    settled(pg)


# True once the map's panes have kept their place for 300 ms and no zoom animation runs: on a
# busy machine the move to a search result can outlast a fixed wait, and a drawing made while
# the map still moves lands somewhere else.
_SETTLED = """() => {
  const t = [...document.querySelectorAll('.leaflet-map-pane, .leaflet-proxy')]
    .map((e) => e.style.transform).join('|');
  const now = performance.now();
  if (window.__mapT !== t) { window.__mapT = t; window.__mapSince = now; return false; }
  return now - window.__mapSince > 300 && !document.querySelector('.leaflet-zoom-anim');
}"""


def settled(pg: Any) -> None:
    """Wait until the map has stopped moving."""
    pg.wait_for_function(_SETTLED, polling=100)


TOWN_VIEW = {"width": 340, "height": 560}  # a phone-sized map that lies inside a generated town

PAINTED = """(pts) => {
  // the parcels tile layer: is a drawn pixel near each point of the view?
  const canvases = [...document.querySelectorAll('.tiles-parcels canvas')];
  return pts.map(([x, y]) => canvases.some((c) => {
    const r = c.getBoundingClientRect();
    if (x < r.left || x >= r.right || y < r.top || y >= r.bottom) return false;
    const k = c.width / r.width;
    const px = c.getContext('2d').getImageData(Math.max(0, (x - r.left) * k - 6), Math.max(0, (y - r.top) * k - 6), 12, 12).data;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) return true;
    return false;
  }));
}"""


# The private unit nearest the middle of the generated town (municipality 244).
TOWN_MIDDLE_SQL = (
    "WITH b AS (SELECT ST_SetSRID(ST_Centroid(ST_Extent(geom)), 3067) AS c FROM property_unit"
    " WHERE municipality = '244') SELECT property_id FROM property_unit, b"
    " WHERE municipality = '244' AND kind = 'private' ORDER BY geom <-> b.c LIMIT 1"
)


@dataclass
class TownMap:
    """What the map showed at zoom 14: parcel tiles requested there, and parcels in view."""

    last_zoom: int | None  # the zoom of the last parcel tile requested
    at14: list[tuple[int, str]]  # (status, URL) of each parcel tile of zoom 14
    points: list[tuple[float, float]]  # 6 x 8 points spread over the view
    painted: list[bool]  # parcels drawn near each point

    def problems(self) -> list[str]:
        """Why the map did not show the town at zoom 14 (empty: it did)."""
        out = [] if self.last_zoom == 14 else [f"the map ended at zoom {self.last_zoom}"]
        out += [f"{status} {url}" for status, url in self.at14 if status != 200]
        out += [] if self.at14 else ["no parcel tile of zoom 14 was requested"]
        blank = [p for p, ok in zip(self.points, self.painted, strict=True) if not ok]
        return out + ([f"no parcels drawn at {blank}"] if blank else [])


def town_at_zoom_14(pg: Any, server: str, middle: str) -> TownMap:
    """Open the map on a unit, zoom out like a user until it shows zoom 14, look for parcels.

    Used by the browser test (a small generated town) and by `make bench` (the 1 M town).
    """
    tiles: list[tuple[int, int, str]] = []
    pg.on(
        "response",
        lambda r: (
            tiles.append((r.status, int(r.url.split("/tiles/parcels/")[1].split("/")[0]), r.url))
            if "/api/v1/tiles/parcels/" in r.url
            else None
        ),
    )
    # centred on the unit (?at=): a search would fit it above a phone's results sheet, off centre
    hit = pg.request.get(f"{server}/api/v1/search?q={middle}").json()[0]["bbox"]["coordinates"][0]
    lng = (min(x for x, _ in hit) + max(x for x, _ in hit)) / 2
    lat = (min(y for _, y in hit) + max(y for _, y in hit)) / 2
    pg.goto(f"{server}/?lang=fi&at={lat},{lng},17")
    pg.wait_for_selector("body[data-ready='1']")
    settled(pg)
    for _ in range(8):  # zoom out like a user until the map shows zoom 14
        if tiles and tiles[-1][1] == 14:
            break
        pg.click(".leaflet-control-zoom-out")
        pg.wait_for_timeout(700)
    pg.wait_for_timeout(1500)
    box = pg.locator("#map").bounding_box()
    points = [
        (box["x"] + box["width"] * (i + 0.5) / 6, box["y"] + box["height"] * (j + 0.5) / 8)
        for i in range(6)
        for j in range(8)
    ]
    return TownMap(
        last_zoom=tiles[-1][1] if tiles else None,
        at14=[(status, url) for status, z, url in tiles if z == 14],
        points=points,
        painted=pg.evaluate(PAINTED, points),
    )
