"""Street-excavation rules (domain.md section 4): dig areas, periods, lifecycle, fees."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo import crs
from geo.errors import Conflict, InvalidGeometry, InvalidInput
from geo.geometry import parse_geojson, polygonal_part, require_valid
from geo.rules import ExcavationRules

KINDS = ("excavation", "placement", "area_use")
STATES = ("draft", "submitted", "approved", "started", "finished", "accepted", "guarantee_ended")
NEXT_STATES = {
    "draft": ("submitted",),
    "submitted": ("approved", "draft"),
    "approved": ("started",),
    "started": ("finished",),
    "finished": ("accepted",),
    "accepted": ("guarantee_ended",),
    "guarantee_ended": (),
}
MIN_LINE_WIDTH_M = 0.2  # the narrowest dig a line may stand for (Helsinki's minimum)


@dataclass(frozen=True)
class Phase:
    """One work phase: dig areas in EPSG:3067 and a period."""

    n: int
    areas: list[Polygon]
    start: dt.date
    end: dt.date
    on_carriageway: bool
    traffic_plan: str | None

    @property
    def geometry(self) -> MultiPolygon:
        """All dig areas of the phase as one MultiPolygon."""
        return polygonal_part(shapely.union_all(self.areas))

    @property
    def days(self) -> int:
        """Length of the period in days, both ends included."""
        return (self.end - self.start).days + 1


def dig_area(
    obj: Any, src_srid: int, width_m: float | None, where: str, max_area_m2: float
) -> Polygon:
    """Turn a drawn polygon, or a line with a width, into a checked EPSG:3067 dig polygon."""
    geom = parse_geojson(obj, where)
    if geom.is_empty:
        raise InvalidGeometry(f"{where} is empty")
    geom = shapely.force_2d(geom)
    if geom.geom_type in ("LineString", "MultiLineString"):
        if width_m is None:
            raise InvalidInput(
                f"{where} is a line: give width_m for the phase (at least {MIN_LINE_WIDTH_M} m)"
            )
        if width_m < MIN_LINE_WIDTH_M:
            raise InvalidInput(
                f"{where}: width_m {width_m} is below the minimum {MIN_LINE_WIDTH_M} m"
            )
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
    return union if isinstance(union, Polygon) else union.convex_hull


def check_period(start: dt.date, end: dt.date, where: str) -> None:
    """Refuse a period that ends before it starts."""
    if end < start:
        raise InvalidInput(f"{where}: the period ends ({end}) before it starts ({start})")


def lead_time_short(start: dt.date, today: dt.date, rules: ExcavationRules) -> int | None:
    """Return how many days short of the lead time the start is, or None when it is kept."""
    have = (start - today).days
    return rules.lead_time_days - have if have < rules.lead_time_days else None


def fee(area_m2: float, days: int, rules: ExcavationRules) -> dict[str, Any]:
    """Estimate the permit fee: a flat fee, or handling + daily fee by area band × zone factor."""
    lines: list[dict[str, Any]] = []
    if rules.flat_fee_eur:
        lines.append({"item": "permit (flat fee)", "eur": rules.flat_fee_eur})
    if rules.handling_fee_eur:
        lines.append({"item": "handling fee", "eur": rules.handling_fee_eur})
    if rules.daily_fee_bands:
        bands = sorted(
            ((math.inf if k == "inf" else float(k)), v) for k, v in rules.daily_fee_bands.items()
        )
        per_day = next((v for limit, v in bands if area_m2 <= limit), bands[-1][1])
        lines.append(
            {
                "item": f"daily fee, {area_m2:,.0f} m² band, {days} days × {per_day:.2f} € × zone {rules.zone_factor}",
                "eur": round(per_day * days * rules.zone_factor, 2),
            }
        )
    return {"total_eur": round(sum(x["eur"] for x in lines), 2), "lines": lines}


def transition(state: str, new: str) -> None:
    """Refuse a lifecycle step the current state does not allow."""
    if new not in STATES:
        raise InvalidInput(f"unknown state {new!r}; states: {', '.join(STATES)}")
    if new not in NEXT_STATES[state]:
        allowed = ", ".join(NEXT_STATES[state]) or "none"
        raise Conflict(f"a permit in state {state!r} cannot become {new!r}; next: {allowed}")


def inspections(
    start: dt.date, end: dt.date, accepted: dt.date | None, rules: ExcavationRules
) -> list[dict[str, str]]:
    """Inspection dates: before the work, at completion, and a week before the guarantee ends."""
    out = [
        {"kind": "before_work", "date": (start - dt.timedelta(days=1)).isoformat()},
        {"kind": "completion", "date": end.isoformat()},
    ]
    if accepted:
        ends = guarantee_end(accepted, rules)
        out.append({"kind": "guarantee", "date": (ends - dt.timedelta(days=7)).isoformat()})
    return out


def guarantee_end(accepted: dt.date, rules: ExcavationRules) -> dt.date:
    """The day the guarantee period ends (default two years after acceptance)."""
    try:
        return accepted.replace(year=accepted.year + rules.guarantee_years)
    except ValueError:  # 29 February
        return accepted.replace(year=accepted.year + rules.guarantee_years, day=28)
