"""Resolve a site (a property or a drawing) and the rules that apply to it; the officer's changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from api import finland, i18n, rulesets
from api.schemas.neighbours import NeighbourList, Removed
from api.schemas.requests import HearingPackageIn, ManualNeighbour
from api.services import coverage, neighbours
from api.settings import Settings
from api.storage.engine import fetch_all
from geo import cases, property_id, regime
from geo import crs as crs_mod
from geo import neighbours as geo_neighbours
from geo.errors import InvalidInput
from geo.geometry import site_from_geojson, to_geojson
from geo.rules import Ruleset


def application_date(day: dt.date | None) -> dt.date:
    """Return the application date (today when not given), refusing impossible dates."""
    today = finland.today()
    day = day or today
    regime.check_date(day, today)
    return day


def hearing_case(
    kind: str = "building_permit",
    heard_by: str = "authority",
    letters_sent: dt.date | None = None,
    fee_kinds: frozenset[str] = frozenset(),
) -> cases.Hearing:
    """The hearing of a case: its kind, who hears, the day letters are sent (default today)."""
    cases.check_kind(kind)
    if heard_by not in cases.HEARERS:
        raise InvalidInput(f"heard_by must be one of {', '.join(cases.HEARERS)}, got {heard_by!r}")
    today = finland.today()
    sent = letters_sent or today
    if regime.date_problem(sent, today):
        raise InvalidInput(f"letters_sent {sent} is out of range", letters_sent=str(sent))
    return cases.Hearing(kind, heard_by, sent, fee_kinds)


def municipality_at(conn: Connection, site: BaseGeometry, default: str) -> str:
    """Return the municipality whose units cover most of the site, or `default`."""
    rows = fetch_all(conn, "municipality_at", site=shapely.to_wkb(site))
    return str(rows[0]["municipality"]) if rows else default


def rules(settings: Settings, municipality: str | None, on: dt.date) -> Ruleset:
    """Return the rule set in force for a municipality on a date."""
    return rulesets.rules_for(settings.rulesets_dir, municipality, on)


def drawn_site(settings: Settings, geometry: Any, crs: str | None) -> BaseGeometry:
    """Check a drawn site and return it in EPSG:3067."""
    srid = crs_mod.parse_srid(crs)
    return site_from_geojson(geometry, srid, max_area_m2=settings.max_site_area_m2)


def neighbours_of_property(
    conn: Connection,
    settings: Settings,
    pid: str,
    day: dt.date | None,
    out_crs: str | None,
    case: cases.Hearing | None = None,
) -> NeighbourList:
    """Neighbour list of a property unit."""
    on = application_date(day)
    srid_out = crs_mod.parse_srid(out_crs)
    row, site = neighbours.site_of_property(conn, pid)
    rs = rules(settings, row["municipality"], on)
    return neighbours.neighbour_list(
        conn, site, row["property_id"], rs, on, settings.rulesets_dir, srid_out, case
    )


def neighbours_of_drawing(
    conn: Connection,
    settings: Settings,
    geometry: Any,
    crs: str | None,
    municipality: str | None,
    day: dt.date | None,
    out_crs: str | None,
    case: cases.Hearing | None = None,
) -> NeighbourList:
    """Neighbour list of a drawn site; a site with no parcel data is outside the data (422)."""
    on = application_date(day)
    srid_out = crs_mod.parse_srid(out_crs)
    site = drawn_site(settings, geometry, crs)
    code = municipality or municipality_at(conn, site, settings.default_municipality)
    rs = rules(settings, code, on)
    coverage.at_site(conn, site, 2 * rs.shore.zone_width_m, i18n.DEFAULT_LANG)
    return neighbours.neighbour_list(
        conn, site, None, rs, on, settings.rulesets_dir, srid_out, case
    )


def _added(
    conn: Connection, settings: Settings, added: list[ManualNeighbour], have: set[str]
) -> list[Any]:
    """Rows for the units the officer added by hand (each must exist in the data)."""
    rows = []
    for a in added:
        pid = property_id.normalise(a.property_id)
        if pid in have:
            continue
        unit, geom = neighbours.site_of_property(conn, pid)
        owners = neighbours.owners_of(conn, [pid])
        who = neighbours.unit_owners(
            owners, pid, unit["kind"], unit["municipality"], settings.rulesets_dir
        )
        reasons = geo_neighbours.manual_reason(a.reason)
        rows.append(
            neighbours.neighbour_row(pid, "manual", unit, reasons, who, geometry=to_geojson(geom))
        )
        have.add(pid)
    return rows


def apply_manual_changes(
    conn: Connection,
    settings: Settings,
    doc: NeighbourList,
    added: list[ManualNeighbour],
    removed: list[ManualNeighbour],
    day: dt.date | None,
    case: cases.Hearing | None = None,
) -> NeighbourList:
    """Apply an officer's additions and removals (each with a reason) and recount the letters."""
    removed_ids = {property_id.normalise(r.property_id): r.reason for r in removed}
    keep = [n for n in doc.neighbours if n.property_id not in removed_ids]
    gone = [
        Removed(property_id=n.property_id, reason=removed_ids[n.property_id])
        for n in doc.neighbours
        if n.property_id in removed_ids
    ]
    keep += _added(conn, settings, added, {n.property_id for n in keep})
    on = application_date(day)
    rs = rules(settings, doc.municipality, on)
    totals = neighbours.hearing_totals(keep, doc.authorities, rs, case or cases.Hearing(), on)
    return doc.model_copy(
        update={"neighbours": keep, "removed": doc.removed + gone, "totals": totals}
    )


def hearing_list(conn: Connection, settings: Settings, body: HearingPackageIn) -> NeighbourList:
    """The neighbour list of a property or drawing with the officer's additions and removals."""
    case = hearing_case(body.kind, body.heard_by, body.letters_sent)
    if body.property_id:
        doc = neighbours_of_property(conn, settings, body.property_id, body.date, None, case)
    elif body.site is not None:
        doc = neighbours_of_drawing(
            conn, settings, body.site, body.crs, body.municipality, body.date, None, case
        )
    else:
        raise InvalidInput("give property_id or site")
    return apply_manual_changes(conn, settings, doc, body.added, body.removed, body.date, case)
