"""Distances each planned building must keep (domain.md T1-T4, S3), one row per building and rule.

Each row has the measured and required distance, whether it is kept, its
source and the evidence line (the shortest line, drawn on the map).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from geo.regime import Regime
from geo.rules import Ruleset
from geo.siteplan.model import Building, Context, deviation, flag


@dataclass
class Rows:
    """Setback rows, the flags they raise directly, and shortfalls small enough to be minor."""

    setbacks: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    minor: list[dict[str, Any]] = field(default_factory=list)  # {'en': text, 'i18n': key+params}


def _line(a: BaseGeometry, b: BaseGeometry) -> LineString:
    return shapely.shortest_line(a, b)


def kept(measured: float, required: float) -> bool:
    """Whether a distance keeps a minimum, judged to the centimetre as it is shown.

    A building placed 4 m from the boundary in the map's own measure tool came out 3.998 m in
    EPSG:3067 (the map's flat approximation and the projection's scale differ by millimetres):
    it was shown "4,00 m, 4,0 m required" and failed.
    """
    return round(measured, 2) >= round(required, 2)


def _boundary_rule(
    b: Building, in_detailed: bool, rules: Ruleset, regime: Regime
) -> tuple[float, str]:
    """(required m, source) of the boundary distance outside or inside a detailed plan."""
    sr = rules.setbacks
    if not in_detailed:
        req = sr.boundary_min_m
        return req, f"{regime.citations['outside_plan_setback']}: {req:g} m outside detailed plans"
    req = max(sr.plan_boundary_min_m, b.height_m / 2 if sr.boundary_half_height else 0.0)
    whose = (
        "national default (domain.md T2)"
        if rules.national("setbacks.plan_boundary_min_m")
        else f"{rules.name}: {rules.source('setbacks.plan_boundary_min_m')}"
    )
    return (
        req,
        f"asemakaava / rakennusjärjestys, {whose}: h/2, vähintään {sr.plan_boundary_min_m:g} m",
    )


def boundary(
    i: int,
    b: Building,
    site: BaseGeometry,
    ctx: Context,
    in_detailed: bool | None,
    rules: Ruleset,
    regime: Regime,
    out: Rows,
) -> None:
    """Distance to the site's boundary, by the regime outside plans or the plan's rule inside.

    Outside detailed plans the regime's minimum (MRA 57 § / RakL 45 §); in a detailed plan
    the plan and ordinance rule instead (h/2, at least their minimum), not that floor.
    Where no plan data lies (`in_detailed` None) the stricter of the two is required, and a
    distance that only the stricter one fails is `uncertain`: no flag, no all-clear.
    """
    sr = rules.setbacks
    if in_detailed is None:
        (out_req, out_src), (in_req, in_src) = (
            _boundary_rule(b, False, rules, regime),
            _boundary_rule(b, True, rules, regime),
        )
        req, lower = max(out_req, in_req), min(out_req, in_req)
        src = f"no plan data here: the stricter of {out_src} and {in_src}"
    else:
        req, src = _boundary_rule(b, in_detailed, rules, regime)
        lower = req
    ev = _line(b.footprint, site.boundary)
    measured = ev.length
    row: dict[str, Any] = {
        "building": i,
        "rule": "boundary",
        "measured_m": round(measured, 2),
        "required_m": round(req, 2),
        "ok": kept(measured, req),
        "source": src,
        "evidence": ev,
    }
    if not row["ok"] and kept(measured, lower):
        row["uncertain"] = True  # only the rule of a plan we have no data of is not kept
    elif not row["ok"]:
        end = Point(ev.coords[-1])
        near = sorted(((u.distance(end), pid) for pid, u in ctx.units), key=lambda t: t[0])
        if near and near[0][0] <= sr.consent_search_m:
            row["consent_from"] = near[0][1]
        if req - measured <= sr.minor_deviation_max_m:
            short = req - measured
            out.minor.append(
                {
                    "en": f"building {i + 1} is {short:.2f} m short of the boundary distance",
                    "i18n": {"key": "minor.boundary", "n": i + 1, "short_m": short},
                }
            )
    out.setbacks.append(row)


def separation(
    i: int,
    b: Building,
    buildings: list[Building],
    ctx: Context,
    rules: Ruleset,
    regime: Regime,
    out: Rows,
) -> None:
    """Distances to the nearest neighbour's building and the nearest planned one (T3).

    One row each, within the search distance: the nearest existing building on another
    property, and the nearest other planned building here. Apart: a planned garage 2 m from
    the planned house must not hide the neighbour's house 6 m away, which is what the fire
    separation flag is about.
    """
    existing = [
        (g, f"existing building on {pid}" if pid else "existing building")
        for g, pid in ctx.other_buildings
    ]
    planned = [(o.footprint, f"planned building {j}") for j, o in enumerate(buildings) if j != i]
    for others in (existing, planned):
        if not others:
            continue
        g, what = min(others, key=lambda t: b.footprint.distance(t[0]))
        d = b.footprint.distance(g)
        if d >= rules.setbacks.separation_search_m:
            continue
        out.setbacks.append(
            {
                "building": i,
                "rule": "building_separation",
                "measured_m": round(d, 2),
                "required_m": rules.setbacks.fire_separation_m,
                "ok": kept(d, rules.setbacks.fire_separation_m),
                "source": f"T3: {regime.citations['fire_separation']}",
                "to": what,
                "evidence": _line(b.footprint, g),
            }
        )


def neighbour_building(
    i: int, b: Building, ctx: Context, in_detailed: bool, rules: Ruleset, regime: Regime, out: Rows
) -> None:
    """Distance to a neighbour's building outside detailed plans (MRA 57 §, MRL era).

    10 m to a building on another building site unless its owner consents. RakL sets no such
    distance (0 in the rule file: not checked).
    """
    req = rules.setbacks.neighbour_building_min_m
    others = [(g, pid) for g, pid in ctx.other_buildings if pid]
    if in_detailed or not req or not others:
        return
    g, pid = min(others, key=lambda t: b.footprint.distance(t[0]))
    d = b.footprint.distance(g)
    if d > 2 * req:
        return
    row: dict[str, Any] = {
        "building": i,
        "rule": "neighbour_building",
        "measured_m": round(d, 2),
        "required_m": req,
        "ok": kept(d, req),
        "source": f"{regime.citations['neighbour_building']}: {req:g} m to a building on another "
        "building site outside detailed plans, unless its owner consents",
        "to": f"existing building on {pid}",
        "evidence": _line(b.footprint, g),
    }
    if not row["ok"]:
        row["consent_from"] = pid
    out.setbacks.append(row)


def shore_key(b: Building, rules: Ruleset) -> str:
    """The shoreline setback class of a building (S3): by use, and by size for saunas and holiday homes."""
    sh = rules.shore
    if b.use == "sauna":
        return "sauna_small" if b.floor_area_m2 <= sh.sauna_small_max_m2 else "sauna"
    if b.use == "holiday_home":
        return (
            "holiday_home_small"
            if b.floor_area_m2 <= sh.holiday_home_small_max_m2
            else "holiday_home"
        )
    if b.use in ("dwelling", "boathouse"):
        return b.use
    return "default"


def shoreline(i: int, b: Building, ctx: Context, rules: Ruleset, out: Rows) -> None:
    """Distance to the nearest shoreline, within twice the shore zone (S3)."""
    if not ctx.shorelines:
        return
    s = min(ctx.shorelines, key=lambda line: b.footprint.distance(line))
    d = b.footprint.distance(s)
    if d > 2 * rules.shore.zone_width_m:
        return
    key = shore_key(b, rules)
    table = rules.shore.setback_m
    # Whose numbers: the municipality's own rule file, or the national default's example.
    whose = (
        "national default (example: Kirkkonummi's building ordinance)"
        if rules.national("shore.setback_m")
        else f"{rules.name}: {rules.source('shore.setback_m')}"
    )
    req = table.get(key, table["default"])
    out.setbacks.append(
        {
            "building": i,
            "rule": "shoreline",
            "measured_m": round(d, 2),
            "required_m": req,
            "ok": kept(d, req),
            "use_key": key,
            "source": f"S3: {whose} ({key})",
            "numbers_from": whose,
            "evidence": _line(b.footprint, s),
        }
    )


def road_zone(i: int, b: Building, ctx: Context, rules: Ruleset, regime: Regime, out: Rows) -> None:
    """Distance to each state road's centreline within twice its protection zone (T4)."""
    zones = rules.setbacks.road_protection_m
    for line, name, rclass in ctx.state_roads:
        req = zones.get(rclass, zones["regional"])
        d = b.footprint.distance(line)
        if d > 2 * req:
            continue
        row = {
            "building": i,
            "rule": "road_protection_zone",
            "measured_m": round(d, 2),
            "required_m": req,
            "ok": kept(d, req),
            "road": name,
            "road_class": rclass,
            "source": f"T4: {regime.citations['road_protection_zone']}",
            "evidence": _line(b.footprint, line),
        }
        out.setbacks.append(row)
        if not row["ok"]:
            out.flags.append(
                flag(
                    "state_road_protection_zone",
                    f"Building {i + 1} is {d:.1f} m from the centreline of state road {name}: inside its "
                    f"{req:.0f} m protection zone.",
                    f"Rakennus {i + 1} on {d:.1f} m maantien {name} keskilinjasta, {req:.0f} metrin suoja-alueella.",
                    "ELY-keskuksen poikkeuslupa suoja-alueelle",
                    "Laki liikennejärjestelmästä ja maanteistä 503/2005, 44 § ja 47 §",
                    building=i,
                    road=name,
                    i18n={
                        "key": "flag.state_road_protection_zone",
                        "n": i + 1,
                        "distance_m": d,
                        "road": name or "",
                        "zone_m": req,
                    },
                )
            )


def building_area(
    i: int, b: Building, area: BaseGeometry, rules: Ruleset, regime: Regime, out: Rows
) -> None:
    """How far a building reaches outside the plan's building area (T2): minor within the tolerance."""
    fp = b.footprint
    outside = fp.difference(area).area > 1e-6
    far = max(fp.exterior.coords, key=lambda c: Point(c).distance(area)) if outside else None
    d = Point(far).distance(area) if far is not None else 0.0
    out.setbacks.append(
        {
            "building": i,
            "rule": "building_area",
            "measured_m": round(d, 2),
            "required_m": 0.0,
            "ok": d <= 1e-6,
            "source": "T2: asemakaavan rakennusala",
            "evidence": _line(Point(far), area) if far is not None and d > 0 else None,
        }
    )
    if d <= 1e-6:
        return
    minor = d <= rules.setbacks.building_area_tolerance_m
    out.flags.append(
        flag(
            "outside_building_area",
            f"Building {i + 1} extends {d:.2f} m outside the plan's building area.",
            f"Rakennus {i + 1} ulottuu {d:.2f} m asemakaavan rakennusalan ulkopuolelle.",
            *deviation(minor, regime),
            building=i,
            outside_m=round(d, 2),
            i18n={"key": "flag.outside_building_area", "n": i + 1, "outside_m": d},
        )
    )
    if minor:
        out.minor.append(
            {
                "en": f"building {i + 1} is {d:.2f} m outside the building area",
                "i18n": {"key": "minor.building_area", "n": i + 1, "outside_m": d},
            }
        )
