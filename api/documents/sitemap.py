"""The site map of a letter or the hearing package: geometry in, a ReportLab drawing out.

Drawn from our own layers (property units with their ids, road centrelines with names, the
site) at a true scale of 1:500, 1:1000 or 1:2000 (the smallest that shows what the reader
must see), with a metric scale bar, a north arrow (EPSG:3067 grid north) and the data's
attribution. Nothing here reads the database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field

import shapely
from reportlab.graphics.shapes import (
    FILL_EVEN_ODD,
    Drawing,
    Group,
    Path,
    Polygon,
    PolyLine,
    Rect,
    String,
)
from reportlab.lib import colors
from shapely.geometry import LineString, box
from shapely.geometry.base import BaseGeometry

from api.documents import fonts

SCALES = (500, 1000, 2000)
MM = 72.0 / 25.4  # points per millimetre
BAR_METRES = (5, 10, 20, 25, 50, 100)
BAR_MAX_MM = 40.0

# Fill, stroke and stroke width (pt) of each role a unit can play on the map.
STYLES: dict[str, tuple[str | None, str, float]] = {
    "parcel": (None, "#9e9e9e", 0.4),
    "street": ("#e6e6e6", "#9e9e9e", 0.4),
    "public": ("#eef5e6", "#9e9e9e", 0.4),
    "neighbour": ("#fde0c5", "#b35806", 0.8),
    "recipient": ("#f4a259", "#7f3b08", 1.4),
    "site": ("#b7e4c7", "#1a9850", 2.0),
    # the officer's printable neighbour list colours the units by their relation, as the map UI does
    "adjacent": ("#f4c7c3", "#b2182b", 0.9),
    "opposite": ("#c6dbef", "#2166ac", 0.9),
    "affected": ("#fdd9a8", "#e08214", 0.9),
    "manual": ("#e0c9ec", "#7b3294", 0.9),
    # the hearing package colours the addressees' units by their status
    "open": ("#e0e0e0", "#616161", 0.8),
    "letter_sent": ("#c6dbef", "#2171b5", 0.8),
    "reminded": ("#fdd0a2", "#d94801", 0.8),
    "answered_no_remarks": ("#c7e9c0", "#238b45", 0.8),
    "answered_remarks": ("#dadaeb", "#6a51a3", 0.8),
    "consented": ("#74c476", "#00441b", 0.8),
    "heard_by_public_notice": ("#fff3b0", "#8c6d00", 0.8),
    "heard_by_authority": ("#bcbddc", "#3f007d", 0.8),
}
NON_RESPONDER = "#d7301f"


@dataclass(frozen=True)
class Unit:
    """A property unit on the map: its geometry, role (a STYLES key) and label (its short id)."""

    geometry: BaseGeometry
    role: str
    label: str | None = None
    flagged: bool = False  # a non-responder: outlined in red, marked "!"


@dataclass(frozen=True)
class MapData:
    """What one map shows, in EPSG:3067 metres."""

    site: BaseGeometry
    units: tuple[Unit, ...]
    roads: tuple[tuple[str | None, BaseGeometry], ...] = ()
    focus: BaseGeometry | None = None  # what must be in view (default: the site)
    reader: BaseGeometry | None = None  # a letter's recipient's own units: always in view
    attribution: str = ""
    margin_m: float = 8.0
    site_label: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # "north", "scale"


def centre(site: BaseGeometry) -> tuple[float, float]:
    """The map's centre: the middle of the site's bounding box (the site is always in the middle)."""
    b = site.bounds
    return (b[0] + b[2]) / 2, (b[1] + b[3]) / 2


def _extent(
    bounds: tuple[float, float, float, float], at: tuple[float, float], margin_m: float
) -> tuple[float, float]:
    """The ground width and height a frame centred at `at` needs to show the bounds."""
    w = 2 * max(at[0] - bounds[0], bounds[2] - at[0]) + 2 * margin_m
    h = 2 * max(at[1] - bounds[1], bounds[3] - at[1]) + 2 * margin_m
    return w, h


def labelled(data: MapData, scale_label: str, site_label: str) -> MapData:
    """The same map with the scale bar's caption and the site's label."""
    return dataclasses.replace(
        data, labels={**data.labels, "north": "N", "scale": scale_label}, site_label=site_label
    )


def choose_scale(
    bounds: tuple[float, float, float, float],
    width_mm: float,
    height_mm: float,
    margin_m: float,
    at: tuple[float, float] | None = None,
) -> int | None:
    """The smallest of 1:500, 1:1000, 1:2000 at which the bounds (and a margin) fit the frame.

    The frame is centred at `at` (default: the bounds' centre); None when even 1:2000 is too small.
    """
    w, h = _extent(
        bounds, at or ((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2), margin_m
    )
    for scale in SCALES:
        if w <= width_mm * scale / 1000 and h <= height_mm * scale / 1000:
            return scale
    return None


def fit(
    site: BaseGeometry,
    focus: BaseGeometry,
    width_mm: float,
    height_mm: float,
    margin_m: float,
    reader: BaseGeometry | None = None,
) -> tuple[tuple[float, float], int]:
    """The centre and scale of a map: at the largest scale (1:500 to 1:2000) the focus fits.

    The site is in the middle where that fits as well as the focus centred on itself does (the
    site is then in view as part of the focus). When the focus does not fit even at 1:2000, the
    map is 1:2000 with the site in the middle: centring on the focus (long street units stretch
    it by hundreds of metres) printed the site in a corner and cut neighbours; the table lists
    every one. A letter's reader must still find their own units (`reader`) on it: where those
    are out of that view (a large site), the map is centred where the site and they are nearest
    each other, so that it shows both.
    """
    at = centre(site)
    on_site = choose_scale(focus.bounds, width_mm, height_mm, margin_m, at)
    on_focus = choose_scale(focus.bounds, width_mm, height_mm, margin_m)
    if on_focus is not None and (on_site is None or on_focus < on_site):
        return centre(focus), on_focus
    scale = on_site or SCALES[-1]
    if reader is None or reader.is_empty:
        return at, scale
    if _shows(reader, window(at, scale, width_mm, height_mm), margin_m, scale):
        return at, scale
    return _meeting(site, reader, scale, width_mm, height_mm, margin_m), scale


def _shows(
    reader: BaseGeometry, win: tuple[float, float, float, float], margin_m: float, scale: int
) -> bool:
    """Whether the window shows enough of the reader's units to find them.

    A quarter of them, or room for their label (12 mm square), inside the margin: a strip under
    the frame's border line is not enough.
    """
    inner = box(win[0] + margin_m, win[1] + margin_m, win[2] - margin_m, win[3] - margin_m)
    if reader.area == 0:
        return bool(reader.intersects(inner))
    label_m2 = (12.0 * scale / 1000) ** 2
    return bool(reader.intersection(inner).area >= min(0.25 * reader.area, label_m2))


def _meeting(
    site: BaseGeometry,
    reader: BaseGeometry,
    scale: int,
    width_mm: float,
    height_mm: float,
    margin_m: float,
) -> tuple[float, float]:
    """The centre of a map that shows the reader's units and as much of the site as fits.

    The reader's nearest unit (of units on two sides of the site, the one with more of it near
    the site) meets the site at its part nearest the site; the map is centred halfway from
    there to the site. Far from the site (a unit added by hand), the centre stays within a
    quarter of the frame of the reader's unit, so the unit is on the map and the map points
    towards the site.
    """
    d = site.distance(reader)
    parts = [p for p in _parts(reader) if p.distance(site) <= d + 1.0]

    def strip(p: BaseGeometry) -> BaseGeometry:  # the part's stretch nearest the site
        return p.intersection(site.buffer(p.distance(site) + 1.0))

    near, part = max(((strip(p), p) for p in parts), key=lambda s: s[0].area)
    a = near.centroid if not near.is_empty else shapely.shortest_line(part, site).interpolate(0)
    b = shapely.shortest_line(a, site).coords[-1]
    reach_x = max(0.0, width_mm * scale / 4000 - margin_m)  # a quarter of the frame, on the ground
    reach_y = max(0.0, height_mm * scale / 4000 - margin_m)
    dx = min(max((b[0] - a.x) / 2, -reach_x), reach_x)
    dy = min(max((b[1] - a.y) / 2, -reach_y), reach_y)
    return a.x + dx, a.y + dy


def window(
    at: tuple[float, float], scale: int, width_mm: float, height_mm: float
) -> tuple[float, float, float, float]:
    """The ground box (metres) a frame of this size shows at this scale, centred at `at`."""
    cx, cy = at
    half_w, half_h = width_mm * scale / 2000, height_mm * scale / 2000
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def bar_metres(scale: int) -> int:
    """The longest round scale-bar length that stays within 40 mm on paper."""
    fits = [m for m in BAR_METRES if m * 1000 / scale <= BAR_MAX_MM]
    return fits[-1] if fits else BAR_METRES[0]


class _Paper:
    """Ground metres to paper points, for one window and scale."""

    def __init__(self, win: tuple[float, float, float, float], scale: int) -> None:
        self.win, self.k = win, 1000.0 / scale * MM  # points per ground metre
        self.width = (win[2] - win[0]) * self.k
        self.height = (win[3] - win[1]) * self.k

    def points(self, coords: Iterable[tuple[float, ...]]) -> list[float]:
        out: list[float] = []
        for c in coords:
            out += [(c[0] - self.win[0]) * self.k, (c[1] - self.win[1]) * self.k]
        return out


def _parts(geom: BaseGeometry) -> list[BaseGeometry]:
    return [g for g in shapely.get_parts(geom) if not g.is_empty]


def _area(
    group: Group,
    paper: _Paper,
    geom: BaseGeometry,
    style: tuple[str | None, str, float],
    dashed: bool = False,
) -> None:
    """Draw each polygon as one path with its holes cut out (even-odd fill).

    What lies in a hole, say an enclave in the site, shows through; a hole painted white hid it.
    """
    fill, stroke, width = style
    for poly in _parts(geom):
        if poly.geom_type != "Polygon":
            continue
        path = Path(
            fillColor=colors.HexColor(fill) if fill else None,
            strokeColor=colors.HexColor(stroke),
            strokeWidth=width,
            strokeDashArray=[3, 2] if dashed else None,
            fillMode=FILL_EVEN_ODD,
        )
        for ring in (poly.exterior, *poly.interiors):
            xy = paper.points(ring.coords[:-1])
            path.moveTo(xy[0], xy[1])
            for i in range(2, len(xy), 2):
                path.lineTo(xy[i], xy[i + 1])
            path.closePath()
        group.add(path)


def _label(
    group: Group, paper: _Paper, geom: BaseGeometry, text: str, size: float, bold: bool = False
) -> None:
    regular, heavy = fonts.register()
    p = geom.representative_point()
    x, y = paper.points([(p.x, p.y)])
    group.add(
        String(
            x,
            y - size / 3,
            text,
            fontName=heavy if bold else regular,
            fontSize=size,
            textAnchor="middle",
            fillColor=colors.black,
        )
    )


def _roads(
    group: Group,
    paper: _Paper,
    clip: BaseGeometry,
    roads: Iterable[tuple[str | None, BaseGeometry]],
) -> None:
    named: dict[str, LineString] = {}
    for name, line in roads:
        inside = line.intersection(clip)
        for part in _parts(inside):
            if part.geom_type != "LineString":
                continue
            group.add(
                PolyLine(
                    paper.points(part.coords),
                    strokeColor=colors.HexColor("#6d6d6d"),
                    strokeWidth=0.7,
                    strokeDashArray=[6, 2],
                )
            )
            if name and part.length > named.get(name, LineString()).length:
                named[name] = part
    regular, _ = fonts.register()
    for name, part in named.items():
        mid = part.interpolate(0.5, normalized=True)
        x, y = paper.points([(mid.x, mid.y)])
        half = len(name) * 6.5 * 0.3  # about half the text's width: keep it inside the frame
        x = min(max(x, half + 2), paper.width - half - 2)
        y = min(max(y, 4.0), paper.height - 10)
        group.add(
            String(
                x,
                y + 2,
                name,
                fontName=regular,
                fontSize=6.5,
                textAnchor="middle",
                fillColor=colors.HexColor("#424242"),
            )
        )


def _scale_bar(d: Drawing, scale: int, label: str) -> None:
    regular, bold = fonts.register()
    metres = bar_metres(scale)
    length = metres * 1000 / scale * MM
    x0, y0, seg = 6.0, 8.0, length / 4
    d.add(Rect(x0 - 3, y0 - 5, length + 62, 19, fillColor=colors.white, strokeColor=None))
    for i in range(4):
        d.add(
            Rect(
                x0 + i * seg,
                y0,
                seg,
                3,
                fillColor=colors.black if i % 2 == 0 else colors.white,
                strokeColor=colors.black,
                strokeWidth=0.5,
            )
        )
    d.add(String(x0, y0 + 5, "0", fontName=regular, fontSize=6.5))
    d.add(
        String(
            x0 + length, y0 + 5, f"{metres} m", fontName=regular, fontSize=6.5, textAnchor="middle"
        )
    )
    d.add(String(x0 + length + 14, y0, f"{label} 1:{scale}", fontName=bold, fontSize=7.5))


def _north_arrow(d: Drawing, label: str) -> None:
    _, bold = fonts.register()
    x, y = d.width - 16, d.height - 34
    d.add(Rect(x - 9, y - 4, 18, 32, fillColor=colors.white, strokeColor=None))
    d.add(
        Polygon(
            [x, y + 20, x - 6, y, x, y + 5, x + 6, y],
            fillColor=colors.black,
            strokeColor=colors.black,
        )
    )
    d.add(String(x, y + 21, label, fontName=bold, fontSize=8, textAnchor="middle"))


def draw(
    data: MapData, width_mm: float, height_mm: float, scale: int | None = None
) -> tuple[Drawing, int]:
    """Draw the map in a frame of this size; return the drawing and the scale (1:N) used."""
    focus = data.focus if data.focus is not None else data.site
    at, fitted = fit(data.site, focus, width_mm, height_mm, data.margin_m, data.reader)
    scale = scale or fitted
    win = window(at, scale, width_mm, height_mm)
    clip = box(*win)
    paper = _Paper(win, scale)
    d = Drawing(width_mm * MM, height_mm * MM)
    body = Group()
    ordered = sorted(data.units, key=lambda u: ("recipient" in u.role, u.role != "parcel"))
    for u in ordered:
        _area(body, paper, u.geometry.intersection(clip), STYLES.get(u.role, STYLES["parcel"]))
    _area(body, paper, data.site.intersection(clip), STYLES["site"])
    for u in data.units:
        if u.flagged:
            _area(
                body, paper, u.geometry.intersection(clip), (None, NON_RESPONDER, 1.6), dashed=True
            )
    _roads(body, paper, clip, data.roads)
    min_label_m2 = (12.0 * scale / 1000) ** 2  # a label needs about 12 mm x 12 mm of its unit
    for u in data.units:
        shown = u.geometry.intersection(clip)
        if u.label and not shown.is_empty and shown.area >= min_label_m2:
            _label(body, paper, shown, u.label + (" !" if u.flagged else ""), 6.5, bold=u.flagged)
    site_shown = data.site.intersection(clip)
    if data.site_label and not site_shown.is_empty:
        _label(body, paper, site_shown, data.site_label, 7.5, bold=True)
    d.add(body)
    d.add(Rect(0, 0, d.width, d.height, fillColor=None, strokeColor=colors.black, strokeWidth=0.8))
    _north_arrow(d, data.labels.get("north", "N"))
    _scale_bar(d, scale, data.labels.get("scale", ""))
    regular, _ = fonts.register()
    d.add(
        String(d.width - 4, 3, data.attribution, fontName=regular, fontSize=5.5, textAnchor="end")
    )
    return d, scale
