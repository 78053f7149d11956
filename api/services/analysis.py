"""Site analysis: which decision a site needs and whether its buildings keep their distances."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from api import i18n
from api.schemas.analysis import BuildingOut, SiteAnalysis
from api.schemas.neighbours import NeighbourList
from api.schemas.requests import BuildingIn, SiteAnalysisIn
from api.services import coverage, neighbours, sites, texts
from api.settings import Settings
from api.storage.engine import fetch_all
from geo import cases, regime, siteplan
from geo import coverage as geo_coverage
from geo import crs as crs_mod
from geo.errors import InvalidGeometry, InvalidInput
from geo.geometry import site_from_geojson, to_geojson_many
from geo.siteplan.fees import FeeCase

# State road centrelines this near a site are passed to its checks, which decide from the
# rules' own distances which of them matter (a search radius, not a legal distance).
STATE_ROAD_SEARCH_M = 100.0


def _geoms(wkbs: list[bytes]) -> list[BaseGeometry]:
    return list(shapely.from_wkb(wkbs))


def context(
    conn: Connection, site: BaseGeometry, site_ids: list[str], zone_w: float, search_m: float
) -> siteplan.Context:
    """Fetch what lies around the site, in one statement (`site_context.sql`).

    Plans, shorelines, other buildings, state roads, neighbouring units, and whether the
    building register has a dwelling on the site.
    """
    row = fetch_all(
        conn,
        "site_context",
        site=shapely.to_wkb(site),
        site_ids=site_ids,
        shore_m=2 * zone_w,
        buildings_m=search_m,
        roads_m=STATE_ROAD_SEARCH_M,
    )[0]
    r = {k: [] if v is None else v for k, v in row.items()}  # a part that found nothing: NULLs
    ctx = siteplan.Context(existing_dwelling=bool(r["dwelling"]))
    ctx.plans = [
        siteplan.PlanArea(*fields)
        for fields in zip(
            r["plan_kind"],
            _geoms(r["plan_wkb"]),
            r["plan_name"],
            r["plan_use_class"],
            r["plan_building_right_m2"],
            r["plan_efficiency"],
            r["plan_legally_binding"],
            r["plan_allows_permits"],
            strict=True,
        )
    ]
    ctx.shorelines = [g for g in _geoms(r["shore_wkb"]) if not g.is_empty]
    ctx.other_buildings = list(
        zip(_geoms(r["building_wkb"]), r["building_property_id"], strict=True)
    )
    ctx.state_roads = [
        (g, name, road_class or "regional")
        for g, name, road_class in zip(
            _geoms(r["road_wkb"]), r["road_name"], r["road_class"], strict=True
        )
    ]
    ctx.units = list(zip(r["unit_property_id"], _geoms(r["unit_wkb"]), strict=True))
    return ctx


def _site(
    conn: Connection, settings: Settings, body: SiteAnalysisIn, src: int
) -> tuple[BaseGeometry, str | None]:
    """The site (EPSG:3067) and, when it is a property, its id."""
    if body.site is not None:
        return site_from_geojson(body.site, src, max_area_m2=settings.max_site_area_m2), None
    if body.property_id:
        row, site = neighbours.site_of_property(conn, body.property_id)
        return site, str(row["property_id"])
    raise InvalidInput(
        "give the site as a GeoJSON polygon ('site') or a property id ('property_id')"
    )


def _building(i: int, b: BuildingIn, src: int, assumed_height_m: float) -> siteplan.Building:
    fp = site_from_geojson(b.footprint, src, what=f"building {i} footprint")
    poly = fp.geoms[0] if len(fp.geoms) == 1 else fp.convex_hull
    if not isinstance(poly, Polygon):
        raise InvalidGeometry(f"building {i} footprint must be one polygon")
    floor = b.floor_area_m2 if b.floor_area_m2 is not None else round(poly.area, 1)
    height = b.height_m if b.height_m is not None else assumed_height_m
    return siteplan.Building(poly, b.use, floor, height)


def _buildings_out(buildings: list[siteplan.Building], srid_out: int) -> list[BuildingOut]:
    footprints = to_geojson_many([b.footprint for b in buildings], srid_out)
    return [
        BuildingOut(
            building=i,
            use=b.use,
            floor_area_m2=b.floor_area_m2,
            height_m=b.height_m,
            footprint_m2=round(b.footprint.area, 1),
            geometry=footprint,
        )
        for i, (b, footprint) in enumerate(zip(buildings, footprints, strict=True))
    ]


def _fee_case(body: SiteAnalysisIn, doc: NeighbourList) -> FeeCase:
    """The fee estimate's case: the request's choices and the hearing's letters."""
    road = sum(1 for a in doc.authorities if a.letter)
    return FeeCase(
        kind=body.kind,
        decided_by=body.decided_by,
        outcome=body.outcome,
        heard_by=body.heard_by,
        foremen=body.foremen,
        start_meeting=body.start_meeting,
        letters=doc.totals.letters,
        road_letters=road,
    )


def _honest(result: dict[str, Any], cov: dict[str, dict[str, Any]], lang: str) -> dict[str, Any]:
    """Set aside flags (and lifted flags) whose data is missing; texts in `lang`."""
    have = coverage.checked(cov)
    result["flags"] = [texts.flag(f, lang) for f in geo_coverage.kept(result["flags"], have)]
    result["exemptions"] = [
        texts.exemption(e, lang) for e in geo_coverage.kept(result["exemptions"], have)
    ]
    result["near_misses"] = [i18n.take(n, lang, "note", "i18n_note") for n in result["near_misses"]]
    result["coverage"] = cov
    result["not_checked"] = coverage.missing(cov, geo_coverage.SITE_CHECKS, lang)
    result["all_checked"] = not result["not_checked"]
    return result


def analyse(
    conn: Connection, settings: Settings, body: SiteAnalysisIn, lang: str = i18n.DEFAULT_LANG
) -> SiteAnalysis:
    """Analyse a drawn site or a property with its planned buildings.

    Only the checks whose data lies at the site give flags (issue 13 `coverage`); a site with
    no parcel data at all is refused as outside the data.
    """
    on = sites.application_date(body.date)
    src = crs_mod.parse_srid(body.crs)
    srid_out = crs_mod.parse_srid(body.out_crs)
    site, site_id = _site(conn, settings, body, src)
    code = body.municipality or (
        site_id[:3] if site_id else sites.municipality_at(conn, site, settings.default_municipality)
    )
    rules = sites.rules(settings, code, on)
    cov, _ = coverage.at_site(conn, site, 2 * rules.shore.zone_width_m, lang)
    reg = regime.for_date(on)
    assumed = rules.setbacks.assumed_height_m  # a building whose height is not given
    buildings = [_building(i, b, src, assumed) for i, b in enumerate(body.buildings)]
    siteplan.check_buildings(site, buildings)
    own = neighbours.own_units(conn, site, site_id)
    ctx = context(
        conn,
        site,
        [u.property_id for u in own],
        rules.shore.zone_width_m,
        rules.setbacks.separation_search_m,
    )
    if body.existing_dwelling is not None:  # as the request says, else the building register
        ctx.existing_dwelling = body.existing_dwelling
    ctx.plans_known = "plans" in coverage.checked(cov)
    result = _honest(siteplan.analyse(site, buildings, ctx, rules, reg), cov, lang)
    needed = cases.decisions_needed(body.kind, result["flags"])
    hearing_kind = cases.hearing_kind(body.kind, needed)
    case = sites.hearing_case(
        hearing_kind, body.heard_by, body.letters_sent, frozenset(needed | {body.kind})
    )
    doc = neighbours.neighbour_list(
        conn, site, site_id, rules, on, settings.rulesets_dir, srid_out, case, own
    )
    setbacks = result["setbacks"]
    lines = to_geojson_many([row.get("evidence") for row in setbacks], srid_out)
    for row, line in zip(setbacks, lines, strict=True):
        row["evidence"] = line
    fee_doc = texts.fees(
        siteplan.fees(buildings, result["flags"], rules, _fee_case(body, doc)), lang
    )
    return SiteAnalysis.model_validate(
        {
            **result,
            "site": doc.site,
            "property_id": site_id,
            "municipality": rules.code,
            "rules": rules.name,
            "date": on.isoformat(),
            "regime": reg.code,
            "regime_name": reg.name,
            "crs": f"EPSG:{srid_out}",
            "kind": body.kind,
            "hearing_kind": hearing_kind,
            "decisions_needed": sorted(needed),
            "buildings": _buildings_out(buildings, srid_out),
            "lang": lang,
            "neighbours": texts.neighbour_rows(doc.neighbours, lang),
            "authorities": texts.authorities(doc.authorities, lang),
            "hearing": texts.notes(doc.totals, lang),
            "fees": fee_doc,
            "attribution": doc.attribution,
        }
    )
