"""Vector tiles (Mapbox Vector Tile) of every map layer, versioned by data.

Two tile matrix sets: WebMercatorQuad (EPSG:3857, the default and the contract of the plain
URL) and ETRS-TM35FIN (EPSG:3067, JHS 180 / the NLS WMTS grid: `?tms=ETRS-TM35FIN`), so that
the layers line up with a background map in either.

Each layer is one named query built on ST_AsMVT / ST_AsMVTGeom, simplified for the zoom and
clipped to the tile with a margin; nothing is capped. Tiles carry public attributes only
(never owners). A layer's data version (bumped by every write to its tables) goes into the
tile URL and the ETag, so a re-import is seen at once and unchanged tiles stay cached.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection

from api import finland
from api.schemas.meta import TileIndex, TileLayer, TileMatrix
from api.settings import Settings
from api.storage.engine import fetch_all
from geo import crs
from geo.errors import InvalidInput

MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
EXTENT = 4096  # tile coordinate units per side
MARGIN = 64 / EXTENT  # features are clipped this far outside the tile (no seams at edges)
EARTH_M = 40_075_016.686  # the Web Mercator world's width in its metres
MAX_ZOOM = 22
DATED = "excavations"  # the layer whose works are active, planned or past by the Finnish day
TileMatrixSet = Literal["WebMercatorQuad", "ETRS-TM35FIN"]
WEB_MERCATOR: TileMatrixSet = "WebMercatorQuad"
TM35FIN: TileMatrixSet = "ETRS-TM35FIN"
_FINLAND_LONLAT = crs.finland_box_lonlat()  # a tile beyond it holds no data
TM35FIN_SIDE_M = 2_097_152.0  # level 0: one tile of 256 px at 8192 m a pixel
# An ETRS-TM35FIN level shows the ground about as finely as the WebMercatorQuad zoom this much
# higher does in Finland (8192 m/px at level 0; 78 271 m/px at zoom 0 at 60 degrees north).
TM35FIN_ZOOM_OFFSET = 3
TM35FIN_ORIGIN = (-548_576.0, 8_388_608.0)
EPSG_3067 = "+proj=utm +zone=35 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"


@dataclass(frozen=True)
class Layer:
    """A tile layer: its named query and the lowest zoom it is served at."""

    query: str
    min_zoom: int


# Below its lowest zoom a layer answers empty tiles (too many features to draw usefully).
LAYERS: dict[str, Layer] = {
    "parcels": Layer("tile_parcels", 14),
    "buildings": Layer("tile_buildings", 15),
    "plans": Layer("tile_plans", 10),
    "water": Layer("tile_water", 8),
    DATED: Layer("tile_excavations", 12),
}


def layer(name: str) -> Layer:
    """The layer of that name; 422 naming the layers otherwise."""
    if name not in LAYERS:
        raise InvalidInput(f"unknown tile layer {name!r}; layers: {', '.join(LAYERS)}")
    return LAYERS[name]


def check_tile(z: int, x: int, y: int) -> None:
    """Refuse a tile address outside the zoom's grid."""
    if not 0 <= z <= MAX_ZOOM:
        raise InvalidInput(f"zoom {z} is outside 0..{MAX_ZOOM}")
    if not (0 <= x < 2**z and 0 <= y < 2**z):
        raise InvalidInput(f"tile {z}/{x}/{y} is outside the zoom {z} grid (0..{2**z - 1})")


def _lonlat(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """A Web Mercator tile's longitude/latitude box (west, south, east, north)."""
    n = 2**z

    def lat(t: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * t / n))))

    return x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y)


def beyond_finland(z: int, x: int, y: int, tms: TileMatrixSet) -> bool:
    """Whether a Web Mercator tile lies wholly outside Finland's box: no data can be in it.

    Such a tile is not drawn: its corners may lie too far from the EPSG:3067 meridian for
    PROJ to project them into the storage CRS at all (a tile over the Americas).
    """
    if tms != WEB_MERCATOR:
        return False  # the ETRS-TM35FIN grid is in the storage CRS itself
    w, s, e, n = _lonlat(z, x, y)
    bw, bs, be, bn = _FINLAND_LONLAT
    return e < bw or w > be or n < bs or s > bn


def versions(conn: Connection) -> dict[str, int]:
    """The data version of every layer."""
    return {r["layer"]: int(r["version"]) for r in fetch_all(conn, "tile_versions")}


def day_of(name: str) -> dt.date | None:
    """The Finnish day a layer's tiles depend on (works: active, planned or past); else None."""
    return finland.today() if name == DATED else None


@dataclass(frozen=True)
class TileTag:
    """A tile's entity tag, around its layer's data version (`tile_tag`)."""

    head: str
    tail: str

    def etag(self, version: int) -> str:
        """The tile's ETag for a version of its layer."""
        return f"{self.head}{version}{self.tail}"

    def held(self, if_none_match: str | None) -> list[int]:
        """The versions of this tile that the client holds (its If-None-Match).

        Each entity tag of the list that is this tile's ETag of some version, compared weakly
        as RFC 9110 asks of If-None-Match (`W/"..."` matches `"..."`); nothing else.
        """
        held = []
        for tag in (if_none_match or "").split(","):
            tag = tag.strip().removeprefix("W/")
            if tag.startswith(self.head) and tag.endswith(self.tail):
                version = tag[len(self.head) : len(tag) - len(self.tail)]
                if _VERSION.fullmatch(version):
                    held.append(int(version))
        return held


_VERSION = re.compile(r"0|[1-9][0-9]{0,17}")  # a version as an ETag writes it (fits a bigint)


def tile_tag(
    name: str,
    z: int,
    x: int,
    y: int,
    tms: TileMatrixSet = WEB_MERCATOR,
    day: dt.date | None = None,
) -> TileTag:
    """The tile's entity tag: its layer, data version, tile matrix set and address.

    Works also carry the day (`day_of`; pass the one the tile is rendered for), which makes a
    work active, planned or past.
    """
    on = day or day_of(name)
    stamp = f"-{on.isoformat()}" if on else ""
    grid = "" if tms == WEB_MERCATOR else f"-{tms}"
    return TileTag(f'"{name}-', f'{stamp}{grid}-{z}-{x}-{y}"')


def min_zoom(spec: Layer, tms: TileMatrixSet) -> int:
    """The layer's lowest zoom (tile matrix level) in a tile matrix set."""
    return spec.min_zoom if tms == WEB_MERCATOR else max(0, spec.min_zoom - TM35FIN_ZOOM_OFFSET)


def tolerance_m(z: int, tms: TileMatrixSet = WEB_MERCATOR) -> float:
    """Simplification for a zoom: a quarter of a tile unit (ground metres at most)."""
    side = EARTH_M if tms == WEB_MERCATOR else TM35FIN_SIDE_M
    return float(side / 2**z / EXTENT / 4)


def render(
    conn: Connection,
    name: str,
    z: int,
    x: int,
    y: int,
    tms: TileMatrixSet = WEB_MERCATOR,
    day: dt.date | None = None,
    held: list[int] | None = None,
) -> tuple[int, bytes | None]:
    """The layer's data version and its tile as Mapbox Vector Tile bytes.

    The tile is empty below the layer's lowest zoom, and None when the client holds that
    version (`held`, from `TileTag.held`). One statement reads the version and draws the
    tile, so the tile is of the version its ETag names. Works are active, planned or past on
    `day` (default `day_of`), the day its ETag carries.
    """
    spec = layer(name)
    check_tile(z, x, y)
    held = held or []
    if z < min_zoom(spec, tms) or beyond_finland(z, x, y, tms):
        version = versions(conn).get(name, 0)
        return version, None if version in held else b""
    params: dict[str, object] = {
        "z": z,
        "x": x,
        "y": y,
        "margin": MARGIN,
        "tol": tolerance_m(z, tms),
        "tms": tms,
        "held": held,
    }
    on = day or day_of(name)
    if on is not None:
        params["today"] = on
    row = fetch_all(conn, spec.query, **params)[0]  # one row: the version is 0 without its row
    version = int(row["version"])
    return version, None if version in held else bytes(row["tile"] or b"")


def index(conn: Connection, tms: TileMatrixSet = WEB_MERCATOR) -> TileIndex:
    """Every tile layer: its URL template (with the data version), lowest zoom and version.

    In ETRS-TM35FIN the URLs carry `&tms=ETRS-TM35FIN` and the zooms are its levels.
    """
    v = versions(conn)
    grid = "" if tms == WEB_MERCATOR else f"&tms={tms}"
    return TileIndex(
        tms=tms,
        layers=[
            TileLayer(
                name=name,
                url=f"/api/v1/tiles/{name}/{{z}}/{{x}}/{{y}}.mvt?v={v.get(name, 0)}{grid}",
                min_zoom=min_zoom(spec, tms),
                version=v.get(name, 0),
            )
            for name, spec in LAYERS.items()
        ],
    )


def tile_matrix(settings: Settings) -> TileMatrix | None:
    """The map's EPSG:3067 tile grid when the background is in ETRS-TM35FIN; None in Web Mercator.

    Map zooms run from `TM35FIN_ZOOM_OFFSET` levels above level 0, so that a zoom number shows
    about as much ground as in Web Mercator (the UI's zoom thresholds hold in both maps).
    """
    if settings.basemap_tms != TM35FIN:
        return None
    x0, y1 = TM35FIN_ORIGIN
    level0 = TM35FIN_SIDE_M / 256
    return TileMatrix(
        id="ETRS-TM35FIN",
        crs="EPSG:3067",
        proj4=EPSG_3067,
        origin=TM35FIN_ORIGIN,
        resolutions=[level0 * 2.0 ** (TM35FIN_ZOOM_OFFSET - z) for z in range(MAX_ZOOM + 1)],
        bounds=(x0, y1 - TM35FIN_SIDE_M, x0 + TM35FIN_SIDE_M, y1),
        tile_size=256,
        zoom_offset=TM35FIN_ZOOM_OFFSET,
        max_level=settings.basemap_max_level,
    )
