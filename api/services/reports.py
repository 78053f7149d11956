"""Reports of an inaccurate flag or finding: anyone may send one, officers read them."""

from __future__ import annotations

from typing import Any

import shapely
from sqlalchemy import Connection

from api import rulesets
from api.schemas.reports import (
    FlagReport,
    FlagReportCreated,
    FlagReportIn,
    FlagReports,
    FlagReportState,
)
from api.services.policy import User, require_role
from api.settings import Settings
from api.storage.engine import fetch_all
from geo import crs as crs_mod
from geo import property_id
from geo.errors import InvalidInput, NotFound, check_version
from geo.geometry import parse_geojson, to_geojson

# The stable codes a report may name: the site analysis's flags and the dig check's findings.
CODES = {
    "analysis": frozenset(
        {
            "planning_need_area",
            "shore_zone_without_shore_plan",
            "site_area_below_minimum",
            "outside_building_area",
            "building_right_exceeded",
            "state_road_protection_zone",
            "fire_separation",
            "neighbour_consent_needed",
            "minor_deviation_possible",
            "outside_data",
        }
    ),
    "excavation": frozenset(
        {
            "on_private_land",
            "outside_municipality",
            "state_road",
            "lead_time",
            "clash",
            "traffic_plan_missing",
            "access_affected",
        }
    ),
}
LIST_LIMIT = 500


def _location(body: FlagReportIn) -> bytes | None:
    """The reported place as an EPSG:3067 point inside Finland, or None."""
    if body.location is None:
        return None
    geom = parse_geojson(body.location, "location")
    if geom.geom_type != "Point":
        raise InvalidInput("location must be a GeoJSON Point")
    point = crs_mod.to_storage(geom, crs_mod.parse_srid(body.crs))
    crs_mod.check_in_finland(point, "location")
    return bytes(shapely.to_wkb(point))


def create(
    conn: Connection, settings: Settings, body: FlagReportIn, user: User | None
) -> FlagReportCreated:
    """Store a report (signed in or not) and commit it."""
    if body.code not in CODES[body.source]:
        known = ", ".join(sorted(CODES[body.source]))
        raise InvalidInput(f"unknown {body.source} code {body.code!r}; codes: {known}")
    if body.municipality not in rulesets.known_codes(settings.rulesets_dir):
        raise InvalidInput(f"unknown municipality {body.municipality}")
    pid = property_id.normalise(body.property_id) if body.property_id else None
    row = fetch_all(
        conn,
        "flag_report_insert",
        source=body.source,
        code=body.code,
        municipality=body.municipality,
        property_id=pid,
        message=body.message,
        comment=body.comment,
        location=_location(body),
        reported_by=user.id if user else None,
    )[0]
    conn.commit()
    return FlagReportCreated.model_validate(row)


def _report(r: dict[str, Any]) -> FlagReport:
    wkb = r.pop("location_wkb")
    r["location"] = to_geojson(shapely.from_wkb(bytes(wkb))) if wkb else None
    return FlagReport.model_validate(r)


def list_for(conn: Connection, user: User | None, state: str | None) -> FlagReports:
    """The reports an officer's municipality received (an admin's: all); others are refused."""
    who = require_role(user, "officer", "admin")
    where = None if who.role == "admin" else who.municipality
    rows = fetch_all(conn, "flag_report_list", municipality=where, state=state, lim=LIST_LIMIT)
    return FlagReports(reports=[_report(r) for r in rows])


def set_state(
    conn: Connection, user: User | None, report_id: int, body: FlagReportState
) -> FlagReportCreated:
    """An officer accepts or rejects a report of their municipality (an admin: any).

    404 if there is none; the decision names the version read: 428 without it, 409 if stale.
    """
    who = require_role(user, "officer", "admin")
    where = None if who.role == "admin" else who.municipality
    rows = fetch_all(
        conn,
        "flag_report_set_state",
        id=report_id,
        state=body.state,
        version=body.version,
        municipality=where,
    )
    if not rows:
        raise NotFound(f"no report {report_id} for this officer", report_id=report_id)
    r = rows[0]
    # the decision was written only if the version sent was the current one
    check_version(body.version, r["current_version"], f"report {report_id}", report_id=report_id)
    conn.commit()
    return FlagReportCreated.model_validate(r)
