"""Background maps (issue 15) in real Chromium: a WMTS in EPSG:3067 on the ETRS-TM35FIN tile matrix,
served by a tiny tile server started here, and the default map with no background at all.

The tile-matrix arithmetic is written here (top-left corner -548576, 8388608; 8192 m a pixel at
level 0, halving per level; 256-pixel tiles). From the background tiles the page shows (their
TileMatrix/TileRow/TileCol and where they sit on screen) the test knows which ground every screen
pixel shows, independently of the page's projection code: the tiles asked for must be the ones
covering the view, the vector tiles must sit on the same grid, and a site drawn with the mouse
must get, from the analysis, the area of the polygon those pixels make on the ground.
"""

from __future__ import annotations

import re
import struct
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import shapely

from tests.server import serving
from tests.web.kit import MARKS, Watch, draw_polygon, find, settled, shot

pytestmark = MARKS
ORIGIN_X, ORIGIN_Y = -548_576.0, 8_388_608.0
LEVEL0_M_PER_PX = 8192.0
ZOOM_OFFSET = 3  # map zoom of TileMatrix 0 (api/services/tiles.py)
TILE = re.compile(r"/wmts/taustakartta/default/ETRS-TM35FIN/(\d+)/(\d+)/(\d+)\.png$")


def side_m(level: int) -> float:
    return LEVEL0_M_PER_PX / 2**level * 256


def png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A plain one-colour PNG, written by hand (no imaging library)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


class TileServer:
    """A WMTS (REST) tile server on 127.0.0.1 recording every (TileMatrix, TileRow, TileCol)."""

    def __init__(self) -> None:
        self.requested: list[tuple[int, int, int]] = []
        body = png((236, 232, 220))
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                m = TILE.search(self.path)
                if not m:
                    self.send_error(404)
                    return
                owner.requested.append((int(m[1]), int(m[2]), int(m[3])))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> TileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def wmts() -> Iterator[TileServer]:
    with TileServer() as t:
        yield t


@pytest.fixture(scope="module")
def tm35_server(nls: Any, demo: Any, settings: Any, users: Any, wmts: TileServer) -> Iterator[str]:
    env = {
        "RAJAPISTE_BASEMAP_URL": wmts.base
        + "/wmts/taustakartta/default/ETRS-TM35FIN/{z}/{y}/{x}.png",
        "RAJAPISTE_BASEMAP_TMS": "ETRS-TM35FIN",
        "RAJAPISTE_BASEMAP_ATTRIBUTION": "Taustakartta © Maanmittauslaitos",
    }
    with serving(settings.db_name, **env) as base:
        yield base


VIEW = """() => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
  const scale = document.querySelector('.leaflet-control-scale-line');
  return {
    map: box(document.getElementById('map')),
    tiles: [...document.querySelectorAll('.background-wmts img.leaflet-tile-loaded')].map((i) => [i.src, ...box(i)]),
    canvases: [...document.querySelectorAll('.tiles-parcels canvas')].map(box),
    scale: [scale.textContent, scale.getBoundingClientRect().width],
  };
}"""


class Ground:
    """Screen pixel -> EPSG:3067 metres, from one background tile's address and place on screen."""

    def __init__(self, view: dict[str, Any]) -> None:
        tiles = []
        for src, left, top, w, h in view["tiles"]:
            m = TILE.search(src)
            assert m, src
            tiles.append((int(m[1]), int(m[2]), int(m[3]), left, top, w, h))
        levels = {t[0] for t in tiles}
        assert len(levels) == 1, levels  # one level on screen once the map has settled
        self.level = levels.pop()
        self.tiles = tiles
        self.side = side_m(self.level)
        self.res = LEVEL0_M_PER_PX / 2**self.level  # metres a CSS pixel
        _, row, col, left, top, w, h = tiles[0]
        self.x0 = ORIGIN_X + col * self.side - left * self.res
        self.y0 = ORIGIN_Y - row * self.side + top * self.res

    def at(self, sx: float, sy: float) -> tuple[float, float]:
        return self.x0 + sx * self.res, self.y0 - sy * self.res

    def tile_at(self, sx: float, sy: float) -> tuple[int, int]:
        """(TileRow, TileCol) of the ground under a screen pixel."""
        x, y = self.at(sx, sy)
        return int((ORIGIN_Y - y) // self.side), int((x - ORIGIN_X) // self.side)


def zoom_to_level(pg: Any, level: int) -> None:
    """Zoom out with the zoom control until the background shows TileMatrix `level`."""
    for _ in range(8):
        pg.wait_for_timeout(800)
        settled(pg)
        shown = [TILE.search(t[0]) for t in pg.evaluate(VIEW)["tiles"]]
        if shown and max(int(m[1]) for m in shown if m) <= level:
            return
        pg.click(".leaflet-control-zoom-out")
    raise AssertionError("the map did not zoom out")


def check_grid(view: dict[str, Any], g: Ground, requested: list[tuple[int, int, int]]) -> None:
    """Every tile sits where the arithmetic puts it; the view's tiles were asked for; the vector
    tiles' canvases lie exactly on background tiles (the same grid)."""
    for _, row, col, left, top, w, h in g.tiles:
        assert (w, h) == (256, 256)
        assert g.at(left, top) == pytest.approx(
            (ORIGIN_X + col * g.side, ORIGIN_Y - row * g.side), abs=g.res * 0.01
        )
    mx, my, mw, mh = view["map"]
    r0, c0 = g.tile_at(mx, my)
    r1, c1 = g.tile_at(mx + mw - 1, my + mh - 1)
    want = {(g.level, r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    asked = {t for t in requested if t[0] == g.level}
    assert want <= asked, want - asked
    assert all(r0 - 1 <= r <= r1 + 1 and c0 - 1 <= c <= c1 + 1 for _, r, c in asked), asked - want
    spots = {(round(t[3]), round(t[4])) for t in g.tiles}
    canvases = {(round(c[0]), round(c[1])) for c in view["canvases"] if c[2] == 256}
    assert canvases and canvases <= spots, canvases - spots


def test_wmts_in_epsg3067_lines_up_with_tiles_drawing_and_analysis(
    browser: Any, tm35_server: str, wmts: TileServer
) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 860})
    pg = ctx.new_page()
    watch = Watch(pg)
    vector: list[str] = []
    analyses: list[Any] = []
    pg.on("request", lambda r: vector.append(r.url) if "/api/v1/tiles/parcels/" in r.url else None)
    pg.on("response", lambda r: analyses.append(r) if "/api/v1/analysis/site" in r.url else None)
    pg.goto(tm35_server + "/?lang=fi")
    pg.wait_for_selector("body[data-ready='1']")
    find(pg, "91-22-694-25")
    pg.wait_for_selector(".parcel-label")  # street level: the GeoJSON parcel ids came
    since = len(wmts.requested)  # the start view asked for level 13 tiles elsewhere
    zoom_to_level(pg, 13)  # map zoom 16: no GeoJSON outlines to snap to, 1 m a pixel
    pg.wait_for_timeout(1500)
    settled(pg)
    view = pg.evaluate(VIEW)
    g = Ground(view)
    assert g.level == 13
    check_grid(view, g, wmts.requested[since:])
    # the parcels came as vector tiles in the same grid, at the same addresses
    addresses = {
        tuple(int(v) for v in re.findall(r"/(\d+)/(\d+)/(\d+)\.mvt", u)[0]) for u in vector
    }
    assert all("tms=ETRS-TM35FIN" in u for u in vector) and vector
    in_view = {(t[0], t[1], t[2]) for t in g.tiles}
    assert {(z, y, x) for z, x, y in addresses} >= in_view
    # the scale bar measures the ground: its metres over its pixels is the grid's resolution
    label, width = view["scale"]
    metres = float(label.split()[0]) * (1000 if label.split()[1] == "km" else 1)
    assert metres / width == pytest.approx(g.res, rel=0.01)

    pg.click("#draw-site")
    mx, my, mw, mh = view["map"]
    corners = [(0.40, 0.38), (0.62, 0.40), (0.60, 0.63), (0.41, 0.60)]
    draw_polygon(pg, corners)
    pg.wait_for_selector("#a-neighbours li")
    pg.wait_for_timeout(500)
    drawn = [a for a in analyses if '"site"' in (a.request.post_data or "")]
    assert drawn and drawn[-1].status == 200
    doc = drawn[-1].json()
    ground = shapely.Polygon([g.at(mx + fx * mw, my + fy * mh) for fx, fy in corners])
    assert doc["site"]["area_m2"] == pytest.approx(ground.area, rel=0.005)
    shot(pg, "background-wmts-3067")
    watch.clean()
    ctx.close()


def test_the_default_map_has_no_background_and_asks_nothing_outside(
    page: tuple[Any, Watch],
) -> None:
    pg, watch = page
    vector: list[str] = []
    pg.on("request", lambda r: vector.append(r.url) if "/api/v1/tiles/" in r.url else None)
    find(pg, "91-22-694-25")  # a new view: new tiles
    pg.wait_for_timeout(1000)
    assert pg.locator("img.leaflet-tile").count() == 0  # no background tiles at all
    assert vector and all("tms=" not in u for u in vector)  # Web Mercator vector tiles
    assert pg.locator(".tiles-parcels canvas").count() > 0
    shot(pg, "background-none")
    watch.clean()  # no request left 127.0.0.1, none failed, no console error
