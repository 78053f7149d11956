"""Geometry validation and repair for drawn input and imported features."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import geojson
import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from geo import crs
from geo.errors import InvalidGeometry, InvalidInput

G = TypeVar("G", BaseGeometry, "NDArray[np.object_]")  # one geometry, or an array of them

_LOCATION = re.compile(r"\[\s*([-0-9.eE+]+)\s+([-0-9.eE+]+)\s*\]")


@dataclass(frozen=True, slots=True)
class Repair:
    """What was wrong with a geometry that was repaired, and where."""

    reason: str
    location: tuple[float, float] | None


def invalid_reason(geom: BaseGeometry) -> tuple[str, tuple[float, float] | None]:
    """Return shapely's reason a geometry is invalid and the location it names."""
    reason = shapely.is_valid_reason(geom)
    m = _LOCATION.search(reason)
    loc = (float(m.group(1)), float(m.group(2))) if m else None
    return reason, loc


def require_valid(geom: BaseGeometry, what: str) -> None:
    """Refuse an invalid drawing with shapely's reason and its location (in the drawing's CRS)."""
    if not geom.is_valid:
        reason, loc = invalid_reason(geom)
        raise InvalidGeometry(
            f"{what} is not a valid polygon: {reason}",
            reason=reason,
            location=list(loc) if loc else None,
            i18n={"key": "error.invalid_polygon", "reason": reason},
        )


def polygonal_part(geom: BaseGeometry) -> MultiPolygon:
    """Keep only the polygons of a geometry (make_valid may return collections)."""
    polys: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon):
            polys.append(part)
        elif isinstance(part, MultiPolygon):
            polys.extend(part.geoms)
        elif part.geom_type == "GeometryCollection":
            polys.extend(polygonal_part(part).geoms)
    return MultiPolygon([p for p in polys if not p.is_empty])


def repair_polygonal(geom: BaseGeometry) -> tuple[MultiPolygon, Repair | None]:
    """Return a valid MultiPolygon and what was repaired (None when it was valid)."""
    geom = shapely.force_2d(geom)
    if geom.is_valid:
        return polygonal_part(geom), None
    reason, loc = invalid_reason(geom)
    fixed = polygonal_part(shapely.make_valid(geom))
    return fixed, Repair(reason, loc)


# what shapely raises for WKB it cannot make a geometry of (a curve, a TIN, a surface, garbage)
UNREADABLE_WKB = (shapely.errors.ShapelyError, NotImplementedError)


def read_wkb(wkb: bytes, what: str) -> BaseGeometry:
    """A geometry from WKB; one shapely cannot read (a curve, a TIN, a surface) is refused."""
    try:
        geom: BaseGeometry = shapely.from_wkb(wkb)
    except UNREADABLE_WKB as exc:
        raise InvalidInput(
            f"{what}: its geometry cannot be read ({exc}); "
            "save curves and surfaces as polygons or lines"
        ) from exc
    return geom


_NESTED = ("geometry", "geometries", "features")  # members that hold GeoJSON objects
_CHECKED = ("type", "coordinates", "properties", "id", *_NESTED)


def _members(obj: Any) -> Any:
    """The object with only the members RFC 7946 defines, all the way down.

    The geojson package passes every other member to its constructors as an argument: a
    foreign member named `precision` (RFC 7946 allows foreign members) would set the rounding,
    and a precision of -1e9 computes 10**1e9 for each coordinate, which never ends.
    """
    if isinstance(obj, list):
        return [_members(o) for o in obj]
    if not isinstance(obj, dict):
        return obj
    return {k: _members(v) if k in _NESTED else v for k, v in obj.items() if k in _CHECKED}


def _structure_error(obj: Any) -> str | None:
    """What makes a GeoJSON object malformed (RFC 7946 structure), by the geojson package; None if nothing."""
    try:
        errors = geojson.GeoJSON.to_instance(_members(obj), strict=True).errors()
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        return str(exc)
    if isinstance(errors, list):
        errors = "; ".join(str(e) for e in errors if e)
    return str(errors) if errors else None


def parse_geojson(obj: Any, what: str = "geometry") -> BaseGeometry:
    """Build a shapely geometry from a GeoJSON geometry, Feature or FeatureCollection."""
    if not isinstance(obj, dict) or "type" not in obj:
        raise InvalidGeometry(f"{what} is not a GeoJSON object with a 'type'")
    problem = _structure_error(obj)
    if problem:
        raise InvalidGeometry(f"{what} is not valid GeoJSON: {problem}", reason=problem)
    kind = obj["type"]
    try:
        if kind == "Feature":
            geom = parse_geojson(obj.get("geometry"), what)
        elif kind == "FeatureCollection":
            parts = [parse_geojson(f, what) for f in obj.get("features") or []]
            geom = shapely.union_all(parts) if parts else Polygon()
        else:
            geom = shape(obj)
    except InvalidGeometry:
        raise
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise InvalidGeometry(f"{what} is not valid GeoJSON: {exc}") from exc
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        raise InvalidGeometry(
            f"{what} has coordinates that are not finite numbers (NaN or Infinity)"
        )
    return geom


def site_from_geojson(
    obj: Any,
    src_srid: int,
    *,
    what: str = "site",
    max_area_m2: float | None = None,
    min_area_m2: float = 0.01,
) -> MultiPolygon:
    """Turn a drawn GeoJSON polygon into a checked EPSG:3067 MultiPolygon.

    Drawn input is not repaired silently: an invalid drawing is refused with
    the reason and its location in the caller's CRS, so the user can fix it.
    """
    geom = parse_geojson(obj, what)
    src_srid = crs.member_srid(obj) or src_srid  # a file's own `crs` member names its CRS
    if geom.is_empty:
        raise InvalidGeometry(f"{what} is empty")
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise InvalidGeometry(f"{what} must be a Polygon or MultiPolygon, got {geom.geom_type}")
    geom = shapely.force_2d(geom)
    require_valid(geom, what)
    stored = crs.to_storage(geom, src_srid)
    crs.check_in_finland(stored, what)
    if not stored.is_valid:  # a projection can fold a very thin polygon
        stored = shapely.make_valid(stored)
    result = polygonal_part(stored)
    if result.area < min_area_m2:
        raise InvalidGeometry(f"{what} has no area ({result.area:.3f} m²)")
    if max_area_m2 is not None and result.area > max_area_m2:
        raise InvalidGeometry(
            f"{what} is too large: {result.area:,.0f} m² > {max_area_m2:,.0f} m² allowed",
            area_m2=result.area,
            max_area_m2=max_area_m2,
            i18n={"key": "error.too_large", "area_m2": result.area, "max_m2": max_area_m2},
        )
    return result


def rfc7946(geom: G) -> G:
    """Orient polygons as RFC 7946 3.1.6 asks: exterior rings counter-clockwise, holes clockwise.

    Other geometries are returned as they are; an array of geometries, each. In x = east,
    y = north coordinates (lon/lat, EPSG:3067) counter-clockwise is counter-clockwise on the
    ground too.
    """
    out: G = shapely.orient_polygons(geom, exterior_cw=False)
    return out


def collection_bbox(geometries: Iterable[Any]) -> list[float] | None:
    """The `bbox` of a FeatureCollection (RFC 7946 5.) from its GeoJSON geometries; None if none."""
    shapes = [shape(g) for g in geometries if g]
    if not shapes:
        return None
    return [float(v) for v in shapely.total_bounds(shapes)]


def to_geojson(geom: BaseGeometry | None, dst_srid: int = crs.WGS84, digits: int = 7) -> Any:
    """Return a GeoJSON geometry dict of a stored geometry in `dst_srid` (RFC 7946 by default).

    Rings are oriented as RFC 7946 asks in every output CRS (x is east in all of them).
    Coordinates get `digits` decimals (3, millimetres, in EPSG:3067). Several at once:
    `to_geojson_many`.
    """
    if geom is None or geom.is_empty:
        return None
    return shapely.geometry.mapping(rfc7946(shapely.transform(geom, _output(dst_srid, digits))))


def to_geojson_many(
    geoms: Sequence[BaseGeometry | None], dst_srid: int = crs.WGS84, digits: int = 7
) -> list[Any]:
    """`to_geojson` of each geometry (None for a missing or empty one), all projected at once.

    One projection and one rounding of all their coordinates together: a neighbour list's
    dozen evidence lines, each projected on its own, were a sixth of its time in the service.
    """
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = list(geoms)
    keep = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    out: list[Any] = [None] * len(geoms)
    if not keep.any():
        return out
    done = rfc7946(shapely.transform(arr[keep], _output(dst_srid, digits)))
    for i, g in zip(np.flatnonzero(keep).tolist(), done, strict=True):
        out[i] = shapely.geometry.mapping(g)
    return out


def _output(dst_srid: int, digits: int) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """Stored coordinates to `dst_srid`, rounded to `digits` decimals (3 in EPSG:3067)."""
    project = crs.projection(crs.STORAGE_SRID, dst_srid)
    keep = 3 if dst_srid == crs.STORAGE_SRID else digits
    return lambda coords: np.round(project(coords), keep)
