"""Site analysis (domain.md sections 0, 2, 3, 5): plans, exception flags, setbacks, fees.

Pure: the caller fetches the plans, shorelines, buildings, state roads and
neighbouring units near the site; everything here is shapely arithmetic on
EPSG:3067 geometries and the rules in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidGeometry, InvalidInput
from geo.regime import Regime
from geo.rules import Ruleset

# Use -> fee category and shoreline setback key.
USES: dict[str, str] = {
    "dwelling": "building",
    "holiday_home": "building",
    "commercial": "building",
    "sauna": "outbuilding",
    "outbuilding": "outbuilding",
    "garage": "outbuilding",
    "boathouse": "outbuilding",
    "shelter": "shelter",
}
PLAN_KINDS = (
    "detailed-plan",
    "building-area",
    "master-plan",
    "shore-plan",
    "planning-need",
    "shore-area",
)


@dataclass(frozen=True)
class Building:
    """A planned building: footprint in EPSG:3067."""

    footprint: Polygon
    use: str
    floor_area_m2: float
    height_m: float


@dataclass(frozen=True)
class PlanArea:
    """A plan polygon near the site."""

    kind: str
    geom: BaseGeometry
    name: str | None = None
    use_class: str | None = None
    building_right_m2: float | None = None
    efficiency: float | None = None
    legally_binding: bool = True
    allows_permits: bool = False


@dataclass
class Context:
    """What lies around the site."""

    plans: list[PlanArea] = field(default_factory=list)
    shorelines: list[BaseGeometry] = field(default_factory=list)
    other_buildings: list[tuple[BaseGeometry, str | None]] = field(default_factory=list)
    state_roads: list[tuple[BaseGeometry, str | None, str]] = field(default_factory=list)
    units: list[tuple[str, BaseGeometry]] = field(default_factory=list)  # neighbouring units


def check_buildings(site: BaseGeometry, buildings: list[Building]) -> None:
    """Refuse buildings with an unknown use or a footprint outside the site."""
    for i, b in enumerate(buildings):
        if b.use not in USES:
            raise InvalidInput(
                f"building {i}: unknown use {b.use!r}; uses: {', '.join(USES)}", building=i
            )
        outside = b.footprint.difference(site.buffer(0.05))
        if outside.area > 0.01:
            loc = outside.representative_point()
            raise InvalidGeometry(
                f"building {i} lies outside the site: {outside.area:.2f} m² beyond its boundary",
                building=i,
                location=[loc.x, loc.y],
            )


def _line(a: BaseGeometry, b: BaseGeometry) -> LineString:
    return shapely.shortest_line(a, b)


def _overlaps(
    site: BaseGeometry, plans: list[PlanArea], rules: Ruleset
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    applies: list[dict[str, Any]] = []
    near: list[dict[str, Any]] = []
    sr = rules.setbacks
    for p in plans:
        inter = site.intersection(p.geom)
        area = inter.area
        if area <= 0 and not site.touches(p.geom) and site.distance(p.geom) > 0.5:
            continue
        share = area / site.area if site.area else 0.0
        row = {
            "kind": p.kind,
            "name": p.name,
            "use_class": p.use_class,
            "overlap_m2": round(area, 2),
            "share": round(share, 4),
            "legally_binding": p.legally_binding,
        }
        (near if area < sr.sliver_area_m2 or share < sr.sliver_share else applies).append(row)
    return applies, near


def _flag(
    code: str, en: str, fi: str, decision: str, basis: str, severity: str = "decision", **extra: Any
) -> dict[str, Any]:
    return {
        "code": code,
        "message_en": en,
        "message_fi": fi,
        "decision": decision,
        "legal_basis": basis,
        "severity": severity,
        **extra,
    }


def _shore_key(b: Building, rules: Ruleset) -> str:
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


def analyse(
    site: BaseGeometry, buildings: list[Building], ctx: Context, rules: Ruleset, regime: Regime
) -> dict[str, Any]:
    """Return plans, near misses, flags and setback rows of a site and its buildings."""
    cite = regime.citations
    sr = rules.setbacks
    applies, near = _overlaps(site, ctx.plans, rules)
    kinds = {a["kind"] for a in applies}
    flags: list[dict[str, Any]] = []
    in_detailed = "detailed-plan" in kinds
    binding_master = any(
        p.kind == "master-plan"
        and p.legally_binding
        and p.allows_permits
        and p.geom.intersection(site).area >= sr.sliver_area_m2
        for p in ctx.plans
    )

    # Planning-need area: building there needs a planning-need decision / review.
    if "planning-need" in kinds and not in_detailed:
        flags.append(
            _flag(
                "planning_need_area",
                "The site is in a planning-need area: building needs a planning-need review before the permit.",
                "Rakennuspaikka on suunnittelutarvealueella: rakentaminen edellyttää suunnittelutarveharkintaa.",
                "suunnittelutarveratkaisu"
                if regime.code == "MRL"
                else "rakennuslupa suunnittelutarvealueen edellytysten mukaan tai sijoittamislupa (RakL 43 §)",
                f"{cite['planning_need_area']}; {cite['planning_need_decision']}",
            )
        )

    # Shore zone without a shore plan.
    zone_w = rules.shore.zone_width_m
    shore_dist = min((site.distance(s) for s in ctx.shorelines), default=None)
    if ctx.shorelines and shore_dist is not None and shore_dist <= zone_w:
        zone = shapely.union_all(
            [s.buffer(zone_w) for s in ctx.shorelines if site.distance(s) <= zone_w]
        )
        in_zone = site.intersection(zone).area
        planned = in_detailed or "shore-plan" in kinds or binding_master
        if in_zone >= sr.sliver_area_m2 and in_zone / site.area >= sr.sliver_share and not planned:
            flags.append(
                _flag(
                    "shore_zone_without_shore_plan",
                    f"The site is {shore_dist:.0f} m from the shoreline, inside the {zone_w:.0f} m shore zone, "
                    "with no shore plan: building needs a deviation decision.",
                    f"Rakennuspaikka on {shore_dist:.0f} m rantaviivasta {zone_w:.0f} metrin rantavyöhykkeellä "
                    "ilman ranta-asemakaavaa: rakentaminen edellyttää poikkeamispäätöstä.",
                    "poikkeamispäätös",
                    cite["shore_deviation"],
                    shore_distance_m=round(shore_dist, 1),
                    zone_width_m=zone_w,
                )
            )
        elif in_zone > 0 and not planned:
            near.append(
                {
                    "kind": "shore-zone",
                    "overlap_m2": round(in_zone, 2),
                    "share": round(in_zone / site.area, 4),
                    "note": "sliver along the zone edge: no flag",
                }
            )

    if not in_detailed and site.area < sr.min_site_area_m2:
        flags.append(
            _flag(
                "site_area_below_minimum",
                f"Outside detailed plans a building site must be at least {sr.min_site_area_m2:.0f} m²; "
                f"this one is {site.area:.0f} m².",
                f"Asemakaava-alueen ulkopuolella rakennuspaikan on oltava vähintään {sr.min_site_area_m2:.0f} m².",
                "poikkeamispäätös",
                cite["outside_plan_setback"],
            )
        )

    building_areas = [p for p in ctx.plans if p.kind == "building-area" and p.geom.intersects(site)]
    ba_union = shapely.union_all([p.geom for p in building_areas]) if building_areas else None

    setbacks: list[dict[str, Any]] = []
    minor: list[str] = []
    for i, b in enumerate(buildings):
        fp = b.footprint
        # Boundary.
        req = sr.boundary_min_m
        src = cite["outside_plan_setback"]
        if in_detailed:
            req = max(sr.boundary_min_m, b.height_m / 2 if sr.boundary_half_height else 0.0)
            src = f"{rules.name} rakennusjärjestys / asemakaava (T2: h/2, vähintään {sr.boundary_min_m:g} m)"
        ev = _line(fp, site.boundary)
        measured = ev.length
        row = {
            "building": i,
            "rule": "boundary",
            "measured_m": round(measured, 2),
            "required_m": round(req, 2),
            "ok": measured >= req - 1e-6,
            "source": src,
            "evidence": ev,
        }
        if not row["ok"]:
            end = Point(ev.coords[-1])
            near_units = sorted(
                ((u.distance(end), pid) for pid, u in ctx.units), key=lambda t: t[0]
            )
            if near_units and near_units[0][0] <= 1.0:
                row["consent_from"] = near_units[0][1]
            if req - measured <= sr.minor_deviation_max_m:
                minor.append(
                    f"building {i} is {req - measured:.2f} m short of the boundary distance"
                )
        setbacks.append(row)
        # Building separation (fire, T3): other properties' buildings, and this site's other planned ones.
        others = [
            (g, f"existing building on {pid}" if pid else "existing building")
            for g, pid in ctx.other_buildings
        ]
        others += [
            (o.footprint, f"planned building {j}") for j, o in enumerate(buildings) if j != i
        ]
        if others:
            g, what = min(others, key=lambda t: fp.distance(t[0]))
            d = fp.distance(g)
            if d < 30:
                setbacks.append(
                    {
                        "building": i,
                        "rule": "building_separation",
                        "measured_m": round(d, 2),
                        "required_m": sr.fire_separation_m,
                        "ok": d >= sr.fire_separation_m,
                        "source": f"T3: {cite['fire_separation']}",
                        "to": what,
                        "evidence": _line(fp, g),
                    }
                )
        # Shoreline (S3).
        if ctx.shorelines:
            s = min(ctx.shorelines, key=lambda line: fp.distance(line))
            d = fp.distance(s)
            if d <= 2 * zone_w:
                key = _shore_key(b, rules)
                req_s = rules.shore.setback_m.get(key, rules.shore.setback_m.get("default", 20.0))
                setbacks.append(
                    {
                        "building": i,
                        "rule": "shoreline",
                        "measured_m": round(d, 2),
                        "required_m": req_s,
                        "ok": d >= req_s,
                        "use_key": key,
                        "source": f"S3: {rules.name} rakennusjärjestys ({key})",
                        "evidence": _line(fp, s),
                    }
                )
        # State road protection zone (T4), from the carriageway centreline.
        for line, name, rclass in ctx.state_roads:
            req_r = sr.road_protection_m.get(rclass)
            if req_r is None:
                req_r = sr.road_protection_m.get("regional", 20.0)
            d = fp.distance(line)
            if d <= 2 * req_r:
                row = {
                    "building": i,
                    "rule": "road_protection_zone",
                    "measured_m": round(d, 2),
                    "required_m": req_r,
                    "ok": d >= req_r,
                    "road": name,
                    "road_class": rclass,
                    "source": f"T4: {cite['road_protection_zone']}",
                    "evidence": _line(fp, line),
                }
                setbacks.append(row)
                if not row["ok"]:
                    flags.append(
                        _flag(
                            "state_road_protection_zone",
                            f"Building {i} is {d:.1f} m from the centreline of state road {name}: inside its "
                            f"{req_r:.0f} m protection zone.",
                            f"Rakennus {i} on {d:.1f} m maantien {name} keskilinjasta, {req_r:.0f} metrin suoja-alueella.",
                            "ELY-keskuksen poikkeuslupa suoja-alueelle",
                            "Laki liikennejärjestelmästä ja maanteistä 503/2005, 44 § ja 47 §",
                            building=i,
                            road=name,
                        )
                    )
        # Plan building area (T2).
        if in_detailed and ba_union is not None:
            outside = fp.difference(ba_union)
            d = (
                max((Point(c).distance(ba_union) for c in fp.exterior.coords), default=0.0)
                if outside.area > 1e-6
                else 0.0
            )
            row = {
                "building": i,
                "rule": "building_area",
                "measured_m": round(d, 2),
                "required_m": 0.0,
                "ok": d <= 1e-6,
                "source": "T2: asemakaavan rakennusala",
                "evidence": _line(
                    Point(max(fp.exterior.coords, key=lambda c: Point(c).distance(ba_union))),
                    ba_union,
                )
                if d > 0
                else None,
            }
            setbacks.append(row)
            if not row["ok"]:
                flags.append(
                    _flag(
                        "outside_building_area",
                        f"Building {i} extends {d:.2f} m outside the plan's building area.",
                        f"Rakennus {i} ulottuu {d:.2f} m asemakaavan rakennusalan ulkopuolelle.",
                        "vähäinen poikkeaminen"
                        if d <= sr.building_area_tolerance_m
                        else "poikkeamispäätös",
                        cite["minor_deviation"]
                        if d <= sr.building_area_tolerance_m
                        else cite["deviation"],
                        building=i,
                        outside_m=round(d, 2),
                    )
                )
                if d <= sr.building_area_tolerance_m:
                    minor.append(f"building {i} is {d:.2f} m outside the building area")

    # Building right (T2).
    if in_detailed:
        right = sum(
            p.building_right_m2 or 0.0
            for p in building_areas
            if p.building_right_m2 and p.geom.intersection(site).area >= 0.5 * p.geom.area
        )
        if not right:
            eff = max(
                (
                    p.efficiency or 0.0
                    for p in ctx.plans
                    if p.kind == "detailed-plan" and p.geom.intersects(site)
                ),
                default=0.0,
            )
            right = eff * site.area
        total = sum(b.floor_area_m2 for b in buildings)
        if right and total > right + 1e-6:
            flags.append(
                _flag(
                    "building_right_exceeded",
                    f"Planned floor area {total:.0f} m² exceeds the plan's building right {right:.0f} m².",
                    f"Suunniteltu kerrosala {total:.0f} m² ylittää rakennusoikeuden {right:.0f} m².",
                    "vähäinen poikkeaminen" if total <= right * 1.1 else "poikkeamispäätös",
                    cite["minor_deviation"] if total <= right * 1.1 else cite["deviation"],
                    floor_area_m2=total,
                    building_right_m2=round(right, 1),
                )
            )
            if total <= right * 1.1:
                minor.append(f"building right exceeded by {total - right:.0f} m² (≤ 10 %)")
    if minor:
        flags.append(
            _flag(
                "minor_deviation_possible",
                "Small deviations can be granted with the permit: " + "; ".join(minor) + ".",
                "Vähäinen poikkeaminen voidaan myöntää rakennusluvassa: " + "; ".join(minor) + ".",
                "vähäinen poikkeaminen rakennusluvassa",
                cite["minor_deviation"],
                severity="minor",
            )
        )
    for row in setbacks:
        if row["rule"] == "building_separation" and not row["ok"] and "existing" in row["to"]:
            flags.append(
                _flag(
                    "fire_separation",
                    f"Building {row['building']} is {row['measured_m']:.2f} m from a building on another property "
                    f"(under {sr.fire_separation_m:g} m): fire separation needs structural measures.",
                    f"Rakennus {row['building']} on {row['measured_m']:.2f} m toisen kiinteistön rakennuksesta: "
                    "paloturvallisuus edellyttää rakenteellisia toimenpiteitä.",
                    "rakenteelliset palotekniset ratkaisut rakennusluvassa",
                    cite["fire_separation"],
                    severity="condition",
                    building=row["building"],
                )
            )
        if row["rule"] == "boundary" and not row["ok"]:
            flags.append(
                _flag(
                    "neighbour_consent_needed",
                    f"Building {row['building']} is {row['measured_m']:.2f} m from the boundary ({row['required_m']:.2f} m "
                    f"required): the neighbour's written consent is needed"
                    + (f" ({row['consent_from']})." if row.get("consent_from") else "."),
                    f"Rakennus {row['building']} on {row['measured_m']:.2f} m rajasta: naapurin kirjallinen suostumus tarvitaan.",
                    "naapurin suostumus tai poikkeaminen",
                    cite["minor_deviation"],
                    severity="consent",
                    building=row["building"],
                    consent_from=row.get("consent_from"),
                )
            )
    return {
        "plans": applies,
        "near_misses": near,
        "flags": flags,
        "setbacks": setbacks,
        "shore_distance_m": None if shore_dist is None else round(shore_dist, 1),
    }


def fees(
    buildings: list[Building], flags: list[dict[str, Any]], rules: Ruleset, letters: int
) -> dict[str, Any]:
    """Estimate the fees: building permits by category, decisions the flags require, hearing letters."""
    f = rules.fees
    lines: list[dict[str, Any]] = []
    for i, b in enumerate(buildings):
        cat = USES[b.use]
        base, per = {
            "building": (f.building_base_eur, f.building_per_m2_eur),
            "outbuilding": (f.outbuilding_base_eur, f.outbuilding_per_m2_eur),
            "shelter": (f.shelter_base_eur, f.shelter_per_m2_eur),
        }[cat]
        lines.append(
            {
                "item": f"building permit, building {i} ({b.use}, {b.floor_area_m2:g} m²)",
                "eur": round(base + per * b.floor_area_m2, 2),
            }
        )
    codes = {fl["code"] for fl in flags}
    if codes & {"shore_zone_without_shore_plan", "site_area_below_minimum"} or any(
        fl["decision"] == "poikkeamispäätös" for fl in flags
    ):
        lines.append({"item": "deviation decision (poikkeamispäätös)", "eur": f.deviation_eur})
    if "planning_need_area" in codes:
        lines.append({"item": "planning-need decision", "eur": f.planning_need_eur})
    if "minor_deviation_possible" in codes:
        lines.append(
            {"item": "minor deviation (vähäinen poikkeaminen)", "eur": f.minor_deviation_eur}
        )
    if letters and rules.hearing.fee_per_letter_eur:
        lines.append(
            {
                "item": f"neighbour hearing by the authority, {letters} letters",
                "eur": round(letters * rules.hearing.fee_per_letter_eur, 2),
            }
        )
    return {
        "total_eur": round(sum(x["eur"] for x in lines), 2),
        "lines": lines,
        "tariff": rules.name,
    }
