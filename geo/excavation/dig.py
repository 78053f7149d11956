"""Dig areas and work phases (domain.md section 4 K7): drawn polygons, or lines with a width."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo import crs
from geo.errors import InvalidGeometry, InvalidInput
from geo.geometry import parse_geojson, polygonal_part, require_valid
from geo.rules import ExcavationRules

KINDS = ("excavation", "placement", "area_use")


@dataclass(frozen=True)
class Phase:
    """One work phase: dig areas in EPSG:3067 and a period."""

    n: int
    areas: list[Polygon]
    start: dt.date
    end: dt.date
    on_carriageway: bool
    traffic_plan: str | None
    geometry: MultiPolygon = field(init=False, repr=False, compare=False)  # all its dig areas

    def __post_init__(self) -> None:
        # made once, not at each of the checks that read it (no lock, unlike cached_property)
        object.__setattr__(self, "geometry", polygonal_part(shapely.union_all(self.areas)))

    @property
    def days(self) -> int:
        """Length of the period in days, both ends included."""
        return (self.end - self.start).days + 1


def drawn_line(obj: Any, src_srid: int, where: str) -> BaseGeometry | None:
    """A dig's line in EPSG:3067 as drawn (None: drawn as an area); `dig_area` checks it."""
    geom = shapely.force_2d(parse_geojson(obj, where))
    if geom.geom_type not in ("LineString", "MultiLineString"):
        return None
    return crs.to_storage(geom, crs.member_srid(obj) or src_srid)


def dig_area(
    obj: Any,
    src_srid: int,
    width_m: float | None,
    where: str,
    rules: ExcavationRules,
    *,
    limit_area: bool = True,
) -> Polygon:
    """Turn a drawn polygon, or a line with a width, into a checked EPSG:3067 dig polygon."""
    min_width = rules.min_line_width_m
    max_area_m2 = rules.max_area_m2 if limit_area else float("inf")
    geom = parse_geojson(obj, where)
    src_srid = crs.member_srid(obj) or src_srid  # a file's own `crs` member names its CRS
    if geom.is_empty:
        raise InvalidGeometry(f"{where} is empty")
    geom = shapely.force_2d(geom)
    if geom.geom_type in ("LineString", "MultiLineString"):
        if width_m is None:
            raise InvalidInput(
                f"{where} is a line: give width_m for the phase (at least {min_width} m)"
            )
        if width_m < min_width:
            raise InvalidInput(f"{where}: width_m {width_m} is below the minimum {min_width} m")
        line = crs.to_storage(geom, src_srid)
        crs.check_in_finland(line, where)
        # flat ends: a trench ends where the line ends
        geom3067: BaseGeometry = line.buffer(width_m / 2, cap_style="flat", join_style="mitre")
    elif geom.geom_type in ("Polygon", "MultiPolygon"):
        require_valid(geom, where)
        geom3067 = crs.to_storage(geom, src_srid)
        crs.check_in_finland(geom3067, where)
    else:
        raise InvalidGeometry(f"{where} must be a Polygon or a LineString, got {geom.geom_type}")
    poly = polygonal_part(shapely.make_valid(geom3067))
    if poly.area < 0.01:
        raise InvalidGeometry(f"{where} has no area")
    if poly.area > max_area_m2:
        raise InvalidGeometry(
            f"{where} is too large: {poly.area:,.0f} m² > {max_area_m2:,.0f} m² allowed",
            area_m2=poly.area,
        )
    union = shapely.union_all(list(poly.geoms))
    if isinstance(union, Polygon):
        return union
    hull = union.convex_hull  # one area: its parts and what lies between them
    if hull.area > max_area_m2:
        raise InvalidGeometry(
            f"{where}: its parts lie apart, {hull.area:,.0f} m² with what lies between them > "
            f"{max_area_m2:,.0f} m² allowed: draw each part as an area of its own",
            area_m2=hull.area,
        )
    return hull


def check_period(start: dt.date, end: dt.date, phase: int) -> None:
    """Refuse a phase whose period ends before it starts."""
    if end < start:
        raise InvalidInput(
            f"phase {phase}: the period ends ({end}) before it starts ({start})",
            i18n={"key": "error.period_ends_first", "phase": phase, "start": start, "end": end},
            phase=phase,
        )


def lead_time_short(start: dt.date, today: dt.date, rules: ExcavationRules) -> int | None:
    """Return how many days short of the lead time the start is, or None when it is kept."""
    have = (start - today).days
    return rules.lead_time_days - have if have < rules.lead_time_days else None


def cells_near(polygons: list[Polygon], distance_m: float, cell_m: float) -> set[tuple[int, int]]:
    """The grid cells (column, row) within `distance_m` of each polygon.

    Two digs within `distance_m` of each other share a cell: the one holding a point of the
    one that is that near the other. Cells are taken polygon by polygon, not over the box
    of them all: two small areas at the ends of Finland are a handful of cells, not a million.
    """
    out: set[tuple[int, int]] = set()
    for poly in polygons:
        x0, y0, x1, y1 = poly.bounds
        cols = np.arange(int((x0 - distance_m) // cell_m), int((x1 + distance_m) // cell_m) + 1)
        rows = np.arange(int((y0 - distance_m) // cell_m), int((y1 + distance_m) // cell_m) + 1)
        cx, cy = (a.ravel() for a in np.meshgrid(cols, rows))
        cells = shapely.box(cx * cell_m, cy * cell_m, (cx + 1) * cell_m, (cy + 1) * cell_m)
        near = shapely.dwithin(cells, poly, distance_m)
        out.update(zip(cx[near].tolist(), cy[near].tolist(), strict=True))
    return out
