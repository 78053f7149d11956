"""Vector tiles (Mapbox Vector Tile, EPSG:3857 tiling) of every map layer, versioned by data.

Each layer is one named query built on ST_AsMVT / ST_AsMVTGeom, simplified for the zoom and
clipped to the tile with a margin; nothing is capped. Tiles carry public attributes only
(never owners). A layer's data version (bumped by every write to its tables) goes into the
tile URL and the ETag, so a re-import is seen at once and unchanged tiles stay cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection

from api.schemas.meta import TileIndex, TileLayer
from api.storage.engine import fetch_all
from api.storage.sqlfiles import query
from geo.errors import InvalidInput

MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
EXTENT = 4096  # tile coordinate units per side
MARGIN = 64 / EXTENT  # features are clipped this far outside the tile (no seams at edges)
EARTH_M = 40_075_016.686  # the Web Mercator world's width in its metres
MAX_ZOOM = 22


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
    "excavations": Layer("tile_excavations", 12),
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


def versions(conn: Connection) -> dict[str, int]:
    """The data version of every layer."""
    return {r["layer"]: int(r["version"]) for r in fetch_all(conn, "tile_versions")}


def etag(name: str, version: int, z: int, x: int, y: int) -> str:
    """The tile's entity tag: its layer, data version and address.

    Works also carry today's date, which makes a work active, planned or past.
    """
    day = f"-{dt.date.today().isoformat()}" if name == "excavations" else ""
    return f'"{name}-{version}{day}-{z}-{x}-{y}"'


def tolerance_m(z: int) -> float:
    """Simplification for a zoom: a quarter of a tile unit (ground metres at most)."""
    return float(EARTH_M / 2**z / EXTENT / 4)


def render(conn: Connection, name: str, z: int, x: int, y: int) -> bytes:
    """The tile as Mapbox Vector Tile bytes (empty below the layer's lowest zoom)."""
    spec = layer(name)
    check_tile(z, x, y)
    if z < spec.min_zoom:
        return b""
    params = {"z": z, "x": x, "y": y, "margin": MARGIN, "tol": tolerance_m(z)}
    data = conn.execute(query(spec.query), params).scalar()
    return bytes(data) if data else b""


def index(conn: Connection) -> TileIndex:
    """Every tile layer: its URL template (with the data version), lowest zoom and version."""
    v = versions(conn)
    return TileIndex(
        layers=[
            TileLayer(
                name=name,
                url=f"/api/v1/tiles/{name}/{{z}}/{{x}}/{{y}}.mvt?v={v.get(name, 0)}",
                min_zoom=spec.min_zoom,
                version=v.get(name, 0),
            )
            for name, spec in LAYERS.items()
        ]
    )
