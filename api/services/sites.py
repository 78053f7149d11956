"""Resolve a site (a property or a drawing) and the rules that apply to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from api import db, rulesets
from api.services import neighbours
from api.settings import Settings
from geo import crs as crs_mod
from geo import regime
from geo.geometry import site_from_geojson
from geo.rules import Ruleset


def application_date(day: dt.date | None) -> dt.date:
    """Return the application date (today when not given), refusing impossible dates."""
    today = dt.date.today()
    day = day or today
    regime.check_date(day, today)
    return day


def municipality_at(conn: Connection, site: BaseGeometry, default: str) -> str:
    """Return the municipality whose units cover most of the site, or `default`."""
    rows = db.fetch_all(conn, "municipality_at", site=shapely.to_wkb(site))
    return str(rows[0]["municipality"]) if rows else default


def rules(settings: Settings, municipality: str | None, on: dt.date) -> Ruleset:
    """Return the rule set in force for a municipality on a date."""
    return rulesets.rules_for(settings.rulesets_dir, municipality, on)


def neighbours_of_property(
    conn: Connection, settings: Settings, pid: str, day: dt.date | None, out_crs: str | None
) -> dict[str, Any]:
    """Neighbour list of a property unit."""
    on = application_date(day)
    srid_out = crs_mod.parse_srid(out_crs)
    row, site = neighbours.site_of_property(conn, pid)
    rs = rules(settings, row["municipality"], on)
    return neighbours.neighbour_list(conn, site, row["property_id"], rs, on, srid_out)


def drawn_site(settings: Settings, geometry: Any, crs: str | None) -> BaseGeometry:
    """Check a drawn site and return it in EPSG:3067."""
    srid = crs_mod.parse_srid(crs)
    return site_from_geojson(geometry, srid, max_area_m2=settings.max_site_area_m2)


def neighbours_of_drawing(
    conn: Connection,
    settings: Settings,
    geometry: Any,
    crs: str | None,
    municipality: str | None,
    day: dt.date | None,
    out_crs: str | None,
) -> dict[str, Any]:
    """Neighbour list of a drawn site."""
    on = application_date(day)
    srid_out = crs_mod.parse_srid(out_crs)
    site = drawn_site(settings, geometry, crs)
    code = municipality or municipality_at(conn, site, settings.default_municipality)
    rs = rules(settings, code, on)
    return neighbours.neighbour_list(conn, site, None, rs, on, srid_out)


def apply_manual_changes(
    conn: Connection,
    settings: Settings,
    doc: dict[str, Any],
    added: list[Any],
    removed: list[Any],
    day: dt.date | None,
) -> dict[str, Any]:
    """Apply an officer's additions and removals (each with a reason) and recount the letters."""
    from geo import property_id
    from geo.geometry import to_geojson

    removed_ids = {property_id.normalise(r.property_id): r.reason for r in removed}
    keep = []
    for n in doc["neighbours"]:
        if n["property_id"] in removed_ids:
            doc.setdefault("removed", []).append(
                {"property_id": n["property_id"], "reason": removed_ids[n["property_id"]]}
            )
        else:
            keep.append(n)
    have = {n["property_id"] for n in keep}
    for a in added:
        pid = property_id.normalise(a.property_id)
        if pid in have:
            continue
        row, geom = neighbours.site_of_property(conn, pid)
        owners = neighbours._owners(conn, [pid]).get(pid) or (
            [neighbours._public_owner(row["municipality"])] if row["kind"] == "public" else []
        )
        keep.append(
            {
                "property_id": pid,
                "property_id_short": property_id.short(pid),
                "property_id_long": property_id.parse(pid).long,
                "relation": "manual",
                "unit_kind": row["kind"],
                "municipality": row["municipality"],
                "owners": owners,
                "reason": f"added by the officer: {a.reason}",
                "reason_fi": f"lisätty käsin: {a.reason}",
                "geometry": to_geojson(geom),
            }
        )
        have.add(pid)
    doc["neighbours"] = keep
    on = application_date(day)
    rs = rules(settings, doc["municipality"], on)
    doc["totals"] = neighbours.hearing_totals(keep, doc.get("authorities", []), rs, on)
    return doc
