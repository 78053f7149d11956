"""Drawing at exact ground positions in the browser: a real parcel, a house placed with shapely,
and Leaflet's Web Mercator pixel arithmetic written out here (independent of the page's code)."""

from __future__ import annotations

import json
import math
import urllib.request
from typing import Any

import shapely
import shapely.ops
from pyproj import Transformer
from shapely.geometry import Polygon, shape

TO_3067 = Transformer.from_crs(4326, 3067, always_xy=True)
TO_4326 = Transformer.from_crs(3067, 4326, always_xy=True)
PID = "09102206940025"  # 91-22-694-25 in the NLS Helsinki sample


def _parcels(base: str, pid: str = PID) -> list[dict[str, Any]]:
    """The parcels within about 70 m of the property (the layer refuses a box too large for its zoom)."""
    with urllib.request.urlopen(f"{base}/api/v1/search?q={pid}", timeout=60) as r:
        (hit,) = [h for h in json.load(r) if h["type"] == "property"]
    (w, s), (e, n) = shape(hit["bbox"]).bounds[:2], shape(hit["bbox"]).bounds[2:]
    bbox = f"{w - 0.0012:.6f},{s - 0.0006:.6f},{e + 0.0012:.6f},{n + 0.0006:.6f}"
    url = f"{base}/api/v1/layers/parcels?bbox={bbox}&zoom=22"
    with urllib.request.urlopen(url, timeout=60) as r:
        features: list[dict[str, Any]] = json.load(r)["features"]
    return features


def parcel_3067(base: str, pid: str = PID) -> Polygon:
    """The property unit's polygon from the parcels layer (zoom 22: hardly simplified), in EPSG:3067."""
    geoms = [
        shape(f["geometry"]) for f in _parcels(base, pid) if f["properties"]["property_id"] == pid
    ]
    assert geoms, f"{pid} not in the parcels layer"
    g = shapely.union_all(geoms)
    poly = max(getattr(g, "geoms", [g]), key=lambda p: p.area)
    return shapely.transform(poly, lambda xy: _xy(TO_3067, xy))


def snapped_by_hand(base: str, house: Polygon, within: float) -> Polygon:
    """The house with each corner within `within` m of any parcel boundary moved to the nearest
    point of that boundary (shapely's nearest_points), in EPSG:3067."""
    lines = shapely.union_all([shape(f["geometry"]).boundary for f in _parcels(base)])
    lines = shapely.transform(lines, lambda xy: _xy(TO_3067, xy))
    out = []
    for c in list(house.exterior.coords)[:-1]:
        p = shapely.Point(c)
        out.append(shapely.ops.nearest_points(lines, p)[0] if lines.distance(p) <= within else p)
    return Polygon([(p.x, p.y) for p in out])


def _xy(t: Transformer, xy: Any) -> Any:
    import numpy as np

    x, y = t.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def house_near_boundary(
    parcel: Polygon, offset: float, w: float = 12.0, d: float = 10.0
) -> Polygon:
    """A w × d house inside the parcel with its long side `offset` m from a long straight boundary edge."""
    ring = list(parcel.exterior.coords)
    edges = sorted(zip(ring, ring[1:], strict=False), key=lambda e: -math.dist(*e))
    for (x0, y0), (x1, y1) in edges:
        length = math.dist((x0, y0), (x1, y1))
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        for nx, ny in ((-uy, ux), (uy, -ux)):
            pts = [(-w / 2, offset), (w / 2, offset), (w / 2, offset + d), (-w / 2, offset + d)]
            house = Polygon([(mx + a * ux + b * nx, my + a * uy + b * ny) for a, b in pts])
            if parcel.contains(house) and abs(house.distance(parcel.exterior) - offset) < 0.005:
                return house
    raise AssertionError("no boundary edge of the parcel takes the house")


def _project(lng: float, lat: float, zoom: float) -> tuple[float, float]:
    """Leaflet's EPSG:3857 pixel coordinates at a zoom (sphere of 6378137 m, 256 px tiles)."""
    scale = 256 * 2**zoom
    s = math.sin(math.radians(lat))
    return (lng + 180) / 360 * scale, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale


def screen_points(
    pg: Any, house: Polygon, centre: tuple[float, float], zoom: int
) -> list[tuple[float, float]]:
    """Page coordinates of the house's corners on a map set to centre (lng, lat) at zoom, as Leaflet places them."""
    w, h = pg.evaluate(
        "[document.getElementById('map').clientWidth, document.getElementById('map').clientHeight]"
    )
    box = pg.locator("#map").bounding_box()
    cx, cy = _project(*centre, zoom)
    ox, oy = round(cx - w / 2), round(cy - h / 2)
    out = []
    for x, y in list(house.exterior.coords)[:-1]:
        lng, lat = TO_4326.transform(x, y)
        px, py = _project(lng, lat, zoom)
        # on whole pixels, as a finger or a mouse lands (the browser drops a click's fraction:
        # a header of 141.9 px put each corner most of a pixel off, 5 cm at zoom 20)
        out.append((round(box["x"] + px - ox), round(box["y"] + py - oy)))
    return out


def centre_of(house: Polygon) -> tuple[float, float]:
    """The house's centre as (lng, lat)."""
    c = house.centroid
    lng, lat = TO_4326.transform(c.x, c.y)
    return lng, lat


def click_polygon(pg: Any, pts: list[tuple[float, float]]) -> None:
    """Click each corner, then the first again (Geoman closes the polygon)."""
    for x, y in pts:
        pg.mouse.move(x, y)
        pg.mouse.click(x, y)
        pg.wait_for_timeout(100)
    pg.mouse.move(*pts[0])
    pg.mouse.click(*pts[0])
    pg.wait_for_timeout(200)


def drawn_buildings(pg: Any) -> list[Polygon]:
    """The buildings as the page keeps them (its draft in localStorage), in EPSG:3067."""
    draft = json.loads(pg.evaluate("localStorage.getItem('rajapiste.draft.applicant')"))
    out = []
    for f in draft["fc"]["features"]:
        if f["properties"].get("role") == "building":
            g = shape(f["geometry"])
            out.append(shapely.transform(g, lambda xy: _xy(TO_3067, xy)))
    return out


def metres(text: str) -> float:
    """'1,50 m' -> 1.5 (a Finnish number)."""
    return float(text.replace("\u00a0", "").replace("m", "").replace(",", ".").strip())
