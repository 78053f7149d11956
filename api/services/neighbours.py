"""Who must be heard about a site: adjacent and opposite units, owners, authorities, totals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from api import db
from geo import contact, hearing, municipalities, property_id, regime
from geo.errors import NotFound
from geo.geometry import to_geojson
from geo.rules import Ruleset

ACROSS_FI = {"road": "tien/kadun", "water": "vesistön", "park": "puistokaistan"}


def site_of_property(conn: Connection, pid: str) -> tuple[dict[str, Any], BaseGeometry]:
    """Return the unit's row and its site (union of all its parcels); 404 when unknown."""
    digits = property_id.normalise(pid)
    rows = db.fetch_all(conn, "site_of_property", property_id=digits)
    if not rows:
        raise NotFound(
            f"property {digits} ({property_id.short(digits)}) is not in the data",
            property_id=digits,
        )
    row = rows[0]
    return row, shapely.from_wkb(bytes(row["wkb"]))


def _owners(conn: Connection, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in db.fetch_all(conn, "owners_of", ids=ids):
        out.setdefault(r.pop("property_id"), []).append(r)
    return out


def _public_owner(municipality: str) -> dict[str, Any]:
    return {
        "kind": "municipality",
        "name": municipalities.name(municipality),
        "share": None,
        "contact_name": None,
        "address": None,
        "postal_code": None,
        "city": None,
    }


def find(
    conn: Connection, site: BaseGeometry, site_ids: list[str], rules: Ruleset, srid_out: int = 4326
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (neighbours, authorities) of a site in EPSG:3067; `site_ids` are its own units."""
    nr = rules.neighbours
    tol = nr.adjacent_tolerance_m
    wkb = shapely.to_wkb(site)
    neighbours: list[dict[str, Any]] = []
    for r in db.fetch_all(
        conn, "neighbours_adjacent", site=wkb, site_ids=site_ids, tolerance_m=tol
    ):
        shared = shapely.from_wkb(bytes(r["shared_wkb"])) if r["shared_wkb"] else None
        closest = shapely.from_wkb(bytes(r["closest_wkb"]))
        c = contact.classify(shared, closest, tol, nr.edge_min_m, float(r["gap_m"]))
        if c.kind == "edge":
            reason_en = f"shares a {c.shared_boundary_m:.1f} m boundary with the site"
            reason_fi = f"yhteistä rajaa {c.shared_boundary_m:.1f} m"
        else:
            reason_en = "touches the site at a boundary point (one shared point is enough)"
            reason_fi = "yhteinen rajapiste riittää naapuruuteen"
        neighbours.append(
            {
                "property_id": r["property_id"],
                "relation": "adjacent",
                "unit_kind": r["kind"],
                "public_type": r["public_type"],
                "municipality": r["municipality"],
                "contact": c.kind,
                "shared_boundary_m": c.shared_boundary_m,
                "gap_m": round(float(r["gap_m"]), 3),
                "reason": reason_en,
                "reason_fi": reason_fi,
                "evidence": to_geojson(c.evidence, srid_out),
            }
        )
    exclude = [n["property_id"] for n in neighbours]
    seen: set[str] = set()
    for r in db.fetch_all(
        conn,
        "neighbours_opposite",
        site=wkb,
        site_ids=site_ids,
        exclude=exclude,
        tolerance_m=tol,
        road_max_m=nr.opposite_road_max_m,
        water_max_m=nr.opposite_water_max_m,
        park_max_m=nr.opposite_park_max_m,
        min_share=nr.opposite_min_inside_share,
        slack=nr.opposite_slack,
        include_public=nr.include_opposite_public_areas,
    ):
        if r["property_id"] in seen:
            continue
        seen.add(r["property_id"])
        across_label = r["across_name"] or (
            property_id.short(r["across_property_id"]) if r["across_property_id"] else r["across"]
        )
        dist = round(float(r["distance_m"]), 2)
        neighbours.append(
            {
                "property_id": r["property_id"],
                "relation": "opposite",
                "unit_kind": r["unit_kind"],
                "public_type": r["public_type"],
                "municipality": r["municipality"],
                "across": r["across"],
                "across_property_id": r["across_property_id"],
                "across_name": r["across_name"],
                "crossing_distance_m": dist,
                "reason": f"opposite across {r['across']} {across_label}, {dist:.1f} m",
                "reason_fi": f"vastapäätä {ACROSS_FI.get(r['across'], '')} {across_label} yli, {dist:.1f} m",
                "evidence": to_geojson(shapely.from_wkb(bytes(r["line_wkb"])), srid_out),
            }
        )
    owners = _owners(conn, [n["property_id"] for n in neighbours])
    for n in neighbours:
        pid = property_id.parse(n["property_id"])
        n["property_id_short"] = pid.short
        n["property_id_long"] = pid.long
        n["owners"] = owners.get(n["property_id"]) or (
            [_public_owner(n["municipality"])] if n["unit_kind"] == "public" else []
        )
    authorities = [
        {
            "name": rules.hearing.road_authority_name,
            "kind": "state",
            "reason": f"the site borders state road {r['name'] or r['road_number']}"
            + (f" ({r['road_number']})" if r["road_number"] else ""),
            "road_name": r["name"],
            "road_number": r["road_number"],
            "road_class": r["road_class"],
        }
        for r in db.fetch_all(conn, "state_road_near", site=wkb, tolerance_m=tol)
    ]
    # One road authority letter however many state roads the site borders.
    return neighbours, authorities[:1] + [{**a, "letter": False} for a in authorities[1:]]


def site_units(conn: Connection, site: BaseGeometry, min_share: float) -> list[dict[str, Any]]:
    """Units a drawn site mostly covers, or that mostly cover it: the site's own property."""
    rows = db.fetch_all(conn, "units_under_site", site=shapely.to_wkb(site))
    return [
        {
            "property_id": r["property_id"],
            "property_id_short": property_id.short(r["property_id"]),
            "overlap_m2": round(float(r["overlap_m2"]), 1),
            "unit_share": round(float(r["unit_share"]), 3),
            "site_share": round(float(r["site_share"]), 3),
        }
        for r in rows
        if r["unit_share"] >= min_share or r["site_share"] >= min_share
    ]


def hearing_totals(
    neighbours: list[dict[str, Any]], authorities: list[dict[str, Any]], rules: Ruleset, on: dt.date
) -> dict[str, Any]:
    """Letters, cost and dates of hearing these neighbours and the authorities that get a letter."""
    letter_rows = neighbours + [
        {
            "property_id": "authority",
            "relation": "authority",
            "owners": [{"kind": "state", "name": a["name"]}],
        }
        for a in authorities
        if a.get("letter", True)
    ]
    return {**hearing.totals(letter_rows, rules.hearing, on), "neighbours": len(neighbours)}


def neighbour_list(
    conn: Connection,
    site: BaseGeometry,
    site_id: str | None,
    rules: Ruleset,
    on: dt.date,
    srid_out: int = 4326,
) -> dict[str, Any]:
    """Build the full neighbour list document of a site (a unit's, or a drawn one)."""
    own = [] if site_id else site_units(conn, site, 0.5)
    site_ids = [site_id] if site_id else [u["property_id"] for u in own]
    neighbours, authorities = find(conn, site, site_ids, rules, srid_out)
    reg = regime.for_date(on)
    totals = hearing_totals(neighbours, authorities, rules, on)
    return {
        "property_id": site_id,
        "property_id_short": property_id.short(site_id) if site_id else None,
        "municipality": rules.code,
        "site": {
            "area_m2": round(site.area, 1),
            "geometry": to_geojson(site, srid_out),
            "units": own
            if not site_id
            else [{"property_id": site_id, "property_id_short": property_id.short(site_id)}],
        },
        "crs": f"EPSG:{srid_out}",
        "regime": reg.code,
        "legal_basis": reg.citations["neighbour_hearing"],
        "rules": {
            "municipality": rules.name,
            "adjacent_tolerance_m": rules.neighbours.adjacent_tolerance_m,
            "opposite_road_max_m": rules.neighbours.opposite_road_max_m,
            "opposite_water_max_m": rules.neighbours.opposite_water_max_m,
            "opposite_park_max_m": rules.neighbours.opposite_park_max_m,
            "hearing_period_days": rules.hearing.period_days,
            "fee_per_letter_eur": rules.hearing.fee_per_letter_eur,
        },
        "neighbours": neighbours,
        "authorities": authorities,
        "totals": totals,
        "attribution": "© Maanmittauslaitos, CC BY 4.0",
    }
