"""Site analysis: which decision a site needs and whether its buildings keep their distances."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from api import db
from api.schemas import SiteAnalysisIn
from api.services import neighbours, sites
from api.settings import Settings
from geo import crs as crs_mod
from geo import regime, siteplan
from geo.errors import InvalidGeometry, InvalidInput
from geo.geometry import site_from_geojson, to_geojson


def _wkb(r: dict[str, Any]) -> BaseGeometry:
    return shapely.from_wkb(bytes(r["wkb"]))


def context(
    conn: Connection, site: BaseGeometry, site_ids: list[str], zone_w: float
) -> siteplan.Context:
    """Fetch what lies around the site."""
    wkb = shapely.to_wkb(site)
    ctx = siteplan.Context()
    for r in db.fetch_all(conn, "site_plans", site=wkb):
        ctx.plans.append(
            siteplan.PlanArea(
                r["kind"],
                _wkb(r),
                r["name"],
                r["use_class"],
                r["building_right_m2"],
                r["efficiency"],
                r["legally_binding"],
                r["allows_permits"],
            )
        )
    ctx.shorelines = [
        g
        for g in (
            _wkb(r) for r in db.fetch_all(conn, "site_shorelines", site=wkb, distance_m=2 * zone_w)
        )
        if not g.is_empty
    ]
    ctx.other_buildings = [
        (_wkb(r), r["property_id"])
        for r in db.fetch_all(conn, "site_buildings", site=wkb, site_ids=site_ids)
    ]
    ctx.state_roads = [
        (_wkb(r), r["name"], r["road_class"] or "regional")
        for r in db.fetch_all(conn, "site_state_roads", site=wkb, distance_m=100.0)
    ]
    ctx.units = [
        (r["property_id"], _wkb(r))
        for r in db.fetch_all(conn, "site_units_near", site=wkb, site_ids=site_ids)
    ]
    return ctx


def analyse(conn: Connection, settings: Settings, body: SiteAnalysisIn) -> dict[str, Any]:
    """Analyse a drawn site or a property with its planned buildings."""
    on = sites.application_date(body.date)
    src = crs_mod.parse_srid(body.crs)
    srid_out = crs_mod.parse_srid(body.out_crs)
    site_id = None
    if body.site is not None:
        site = site_from_geojson(body.site, src, max_area_m2=settings.max_site_area_m2)
    elif body.property_id:
        row, site = neighbours.site_of_property(conn, body.property_id)
        site_id = row["property_id"]
    else:
        raise InvalidInput(
            "give the site as a GeoJSON polygon ('site') or a property id ('property_id')"
        )
    code = body.municipality or (
        site_id[:3] if site_id else sites.municipality_at(conn, site, settings.default_municipality)
    )
    rules = sites.rules(settings, code, on)
    reg = regime.for_date(on)
    buildings = []
    for i, b in enumerate(body.buildings):
        fp = site_from_geojson(b.footprint, src, what=f"building {i} footprint")
        poly = fp.geoms[0] if len(fp.geoms) == 1 else fp.convex_hull
        if not isinstance(poly, Polygon):
            raise InvalidGeometry(f"building {i} footprint must be one polygon")
        floor = b.floor_area_m2 if b.floor_area_m2 is not None else round(poly.area, 1)
        height = b.height_m if b.height_m is not None else 4.0
        buildings.append(siteplan.Building(poly, b.use, floor, height))
    siteplan.check_buildings(site, buildings)
    doc = neighbours.neighbour_list(conn, site, site_id, rules, on, srid_out)
    site_ids = [u["property_id"] for u in doc["site"]["units"]]
    ctx = context(conn, site, site_ids, rules.shore.zone_width_m)
    result = siteplan.analyse(site, buildings, ctx, rules, reg)
    for row in result["setbacks"]:
        row["evidence"] = (
            to_geojson(row["evidence"], srid_out) if row.get("evidence") is not None else None
        )
    fees = siteplan.fees(buildings, result["flags"], rules, doc["totals"]["letters"])
    return {
        "site": doc["site"],
        "property_id": site_id,
        "municipality": rules.code,
        "rules": rules.name,
        "date": on.isoformat(),
        "regime": reg.code,
        "regime_name": reg.name,
        "crs": f"EPSG:{srid_out}",
        "plans": result["plans"],
        "near_misses": result["near_misses"],
        "flags": result["flags"],
        "setbacks": result["setbacks"],
        "shore_distance_m": result["shore_distance_m"],
        "buildings": [
            {
                "building": i,
                "use": b.use,
                "floor_area_m2": b.floor_area_m2,
                "height_m": b.height_m,
                "footprint_m2": round(b.footprint.area, 1),
                "geometry": to_geojson(b.footprint, srid_out),
            }
            for i, b in enumerate(buildings)
        ],
        "neighbours": doc["neighbours"],
        "authorities": doc["authorities"],
        "hearing": doc["totals"],
        "fees": fees,
        "attribution": doc["attribution"],
    }
