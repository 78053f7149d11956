"""Coordinate reference systems: which are accepted and how they become EPSG:3067.

Storage is ETRS-TM35FIN (EPSG:3067, metres). GK zones (EPSG:3873-3885) are
accepted too; pyproj's `always_xy=True` makes their N,E axis order irrelevant
to callers, who always hand over (x=E, y=N) or (lon, lat).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidGeometry, InvalidInput

STORAGE_SRID = 3067
WGS84 = 4326
ACCEPTED_SRIDS: frozenset[int] = frozenset({3067, 3903, 4326, 3857, *range(3873, 3886)})

# Valid ETRS-TM35FIN box for Finland (domain.md section 7).
FINLAND_BOX_3067 = (10_000.0, 6_610_000.0, 800_000.0, 7_780_000.0)


@lru_cache(maxsize=32)
def transformer(src: int, dst: int) -> Transformer:
    """Return a cached x/y-ordered transformer between two EPSG codes."""
    return Transformer.from_crs(src, dst, always_xy=True)


def parse_srid(crs: str | int | None, default: int = WGS84) -> int:
    """Parse 'EPSG:3067', '3067', an OGC URN or an int into an accepted EPSG code."""
    if crs is None or crs == "":
        return default
    if isinstance(crs, int):
        srid = crs
    else:
        text = crs.strip()
        if text.upper() in {"CRS84", "OGC:CRS84"} or text.endswith("CRS84"):
            return WGS84
        m = re.search(r"(\d{4,5})$", text)
        if not m:
            raise InvalidInput(f"unknown CRS {crs!r}: use EPSG:N", crs=str(crs))
        srid = int(m.group(1))
    if srid not in ACCEPTED_SRIDS:
        raise InvalidInput(
            f"CRS EPSG:{srid} is not accepted; use one of EPSG:3067, 3873-3885, 3903, 4326, 3857",
            crs=f"EPSG:{srid}",
        )
    return srid


def member_srid(obj: Any) -> int | None:
    """The CRS a GeoJSON object names in its `crs` member (GeoJSON 2008), or None without one.

    RFC 7946 dropped the member, but GDAL (QGIS) still writes it for files in EPSG:3067 or a
    GK zone: the normal Finnish GIS export.
    """
    member = obj.get("crs") if isinstance(obj, dict) else None
    if not isinstance(member, dict):
        return None
    props = member.get("properties")
    name = props.get("name") if isinstance(props, dict) else None
    if not isinstance(name, str):
        raise InvalidInput("the GeoJSON 'crs' member has no properties.name", crs=str(member))
    return parse_srid(name)


def guess_srid(geom: BaseGeometry) -> int | None:
    """The accepted CRS whose Finnish extent the coordinates fit (4326, 3067 or a GK zone)."""
    if geom.is_empty:
        return None
    minx, miny, maxx, maxy = geom.bounds
    if 19 <= minx <= 32 and miny >= 59 and maxx <= 32 and maxy <= 71:
        return WGS84
    if FINLAND_BOX_3067[1] <= miny and maxy <= FINLAND_BOX_3067[3]:
        if FINLAND_BOX_3067[0] < minx and maxx < FINLAND_BOX_3067[2]:
            return STORAGE_SRID
        zone = int(minx // 1_000_000)
        if 19 <= zone <= 31 and int(maxx // 1_000_000) == zone:
            return 3854 + zone  # ETRS-GK19 = EPSG:3873 ... GK31 = EPSG:3885
    return None


def _check_lonlat(geom: BaseGeometry) -> None:
    """Refuse 'longitude/latitude' out of range, naming the CRS the coordinates look like."""
    minx, miny, maxx, maxy = geom.bounds
    if minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90:
        return
    guess = guess_srid(geom)
    hint = f"; they look like EPSG:{guess}: give crs EPSG:{guess}" if guess else ""
    raise InvalidGeometry(
        f"coordinates ({minx:.1f}, {miny:.1f}) are not longitude/latitude (EPSG:4326){hint}",
        bbox=[minx, miny, maxx, maxy],
        crs_guess=f"EPSG:{guess}" if guess else None,
        i18n={
            "key": "error.not_lonlat" + (".guess" if guess else ""),
            "x": minx,
            "y": miny,
            "srid": str(guess),
        },
    )


def to_storage(geom: BaseGeometry, src: int) -> BaseGeometry:
    """Transform a geometry to EPSG:3067 and drop any Z (EPSG:3903 carries N2000 heights)."""
    geom = shapely.force_2d(geom)
    if src == WGS84 and isinstance(geom, BaseGeometry) and not geom.is_empty:
        _check_lonlat(geom)  # (importers pass arrays: they check each feature's extent)
    projected = src not in (STORAGE_SRID, 3903)
    out = shapely.transform(geom, _vector_fn(src, STORAGE_SRID)) if projected else geom
    if not np.isfinite(shapely.get_coordinates(out)).all():
        # pyproj answers inf for what it cannot project (latitude 91, 1e308, ...)
        raise InvalidGeometry(
            f"coordinates cannot be projected from EPSG:{src} to EPSG:3067: they are not "
            f"finite or out of the CRS's range (lon/lat sent as EPSG:{src}?)",
            crs=f"EPSG:{src}",
        )
    return out


def from_storage(geom: BaseGeometry, dst: int = WGS84) -> BaseGeometry:
    """Transform a stored EPSG:3067 geometry to `dst` (lon/lat order for 4326, RFC 7946)."""
    if dst == STORAGE_SRID:
        return geom
    return shapely.transform(geom, _vector_fn(STORAGE_SRID, dst))


def projection(src: int, dst: int) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """An (n, 2) x/y coordinate array from `src` to `dst` (the array itself when they are one)."""
    if src == dst:
        return lambda coords: coords
    return _vector_fn(src, dst)


def _vector_fn(src: int, dst: int) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    tr = transformer(src, dst)

    def fn(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return fn


def check_in_finland(geom: BaseGeometry, what: str = "geometry") -> None:
    """Refuse a 3067 geometry whose bounds leave Finland's valid ETRS-TM35FIN box."""
    if geom.is_empty:
        return
    minx, miny, maxx, maxy = geom.bounds
    if not np.isfinite([minx, miny, maxx, maxy]).all():
        raise InvalidGeometry(f"{what} has coordinates that cannot be transformed to EPSG:3067")
    bx0, by0, bx1, by1 = FINLAND_BOX_3067
    if minx <= bx0 or maxx >= bx1 or miny < by0 or maxy > by1:
        raise InvalidGeometry(
            f"{what} lies outside Finland's EPSG:3067 extent: found bbox "
            f"({minx:.1f}, {miny:.1f}, {maxx:.1f}, {maxy:.1f}), allowed "
            f"E {bx0:.0f}..{bx1:.0f}, N {by0:.0f}..{by1:.0f}",
            bbox=[minx, miny, maxx, maxy],
            i18n={"key": "error.outside_finland", "x": minx, "y": miny},
        )


def finland_box_lonlat() -> tuple[float, float, float, float]:
    """FINLAND_BOX_3067 as a longitude/latitude box (its edges followed, not just its corners)."""
    box: tuple[float, float, float, float] = transformer(STORAGE_SRID, WGS84).transform_bounds(
        *FINLAND_BOX_3067, densify_pts=50
    )
    return box
