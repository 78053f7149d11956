"""Street-excavation permits: check a draft, store it, list works, step its lifecycle."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from sqlalchemy import Connection, text

from api import db, rulesets
from api.schemas import ExcavationIn
from api.services import mapdata
from api.settings import Settings
from geo import crs as crs_mod
from geo import excavation as ex
from geo import municipalities, property_id
from geo.errors import InvalidInput, NotFound
from geo.geometry import to_geojson
from geo.rules import Ruleset


def _phases(body: ExcavationIn, rules: Ruleset) -> list[ex.Phase]:
    srid = crs_mod.parse_srid(body.crs)
    phases = []
    for n, ph in enumerate(body.phases, start=1):
        ex.check_period(ph.start, ph.end, f"phase {n}")
        areas = [
            ex.dig_area(
                a, srid, ph.width_m, f"phase {n} area {i + 1}", rules.excavation.max_area_m2
            )
            for i, a in enumerate(ph.areas)
        ]
        phases.append(ex.Phase(n, areas, ph.start, ph.end, ph.on_carriageway, ph.traffic_plan))
    return phases


def _rules(
    settings: Settings, body: ExcavationIn, conn: Connection, phases: list[ex.Phase]
) -> Ruleset:
    if body.kind not in ex.KINDS:
        raise InvalidInput(f"unknown kind {body.kind!r}; kinds: {', '.join(ex.KINDS)}")
    code = body.municipality
    if code is None:
        from api.services.sites import municipality_at

        code = municipality_at(conn, phases[0].geometry, settings.default_municipality)
    if not (code.isdigit() and len(code) <= 3):
        raise InvalidInput(f"municipality {code!r} is not a municipality code like 244")
    code = code.zfill(3)
    if code not in municipalities.NAMES and code not in rulesets.known_codes(settings.rulesets_dir):
        raise InvalidInput(
            f"unknown municipality {code}: known {', '.join(sorted(municipalities.NAMES))}",
            municipality=code,
        )
    return rulesets.rules_for(settings.rulesets_dir, code, body.phases[0].start)


def _affected(rows: list[dict[str, Any]], side: str) -> list[dict[str, Any]]:
    """Properties whose access a dig affects, on one side of the street."""
    return [
        {
            "property_id": r["property_id"],
            "property_id_short": property_id.short(r["property_id"]),
            "distance_m": round(float(r["distance_m"]), 2),
            "side": side,
        }
        for r in rows
    ]


def check(
    conn: Connection, settings: Settings, body: ExcavationIn, exclude_permit: int | None = None
) -> dict[str, Any]:
    """Check a draft permit and return its findings and fee; nothing is stored."""
    today = body.today or dt.date.today()
    pre_rules = rulesets.rules_for(settings.rulesets_dir, body.municipality, today)
    phases = _phases(body, pre_rules)
    rules = _rules(settings, body, conn, phases)
    er = rules.excavation
    code = rules.code
    findings: list[dict[str, Any]] = []
    total_area = 0.0
    for ph in phases:
        geom = ph.geometry
        total_area += geom.area
        wkb = shapely.to_wkb(geom)
        land = db.fetch_all(conn, "excavation_land", area=wkb)
        private = [r for r in land if r["kind"] == "private"]
        if private:
            findings.append(
                {
                    "code": "on_private_land",
                    "phase": ph.n,
                    "severity": "consent_needed",
                    "properties": [
                        {
                            "property_id": r["property_id"],
                            "property_id_short": property_id.short(r["property_id"]),
                            "area_m2": round(float(r["area_m2"]), 2),
                        }
                        for r in private
                    ],
                    "message": "the dig area lies on private land: the owners' written consent is needed",
                }
            )
        covered = sum(float(r["area_m2"]) for r in land if r["municipality"] == code)
        other = sorted({r["municipality"] for r in land if r["municipality"] != code})
        outside = geom.area - covered
        if outside > max(1.0, 0.01 * geom.area):
            findings.append(
                {
                    "code": "outside_municipality",
                    "phase": ph.n,
                    "severity": "blocker",
                    "area_m2": round(outside, 2),
                    "other_municipalities": other,
                    "message": f"{outside:,.1f} m² of the dig area is outside municipality {code}'s land"
                    + (f" (in {', '.join(other)})" if other else " (no parcel data there)"),
                }
            )
        for r in db.fetch_all(
            conn,
            "excavation_state_road",
            area=wkb,
            distance_m=er.access_distance_m,
            names=er.state_roads,
        ):
            findings.append(
                {
                    "code": "state_road",
                    "phase": ph.n,
                    "severity": "authority",
                    "road_name": r["name"],
                    "road_number": r["road_number"],
                    "authority": rules.hearing.road_authority_name,
                    "message": f"state road {r['name'] or r['road_number']}: the ELY centre is the permit "
                    "authority for that part (not the municipality)",
                }
            )
        short = ex.lead_time_short(ph.start, today, er)
        if short is not None:
            if body.emergency:
                findings.append(
                    {
                        "code": "lead_time",
                        "phase": ph.n,
                        "severity": "info",
                        "emergency": True,
                        "required_days": er.lead_time_days,
                        "message": "emergency work: exempt from the lead time, report it on the next working day",
                    }
                )
            else:
                findings.append(
                    {
                        "code": "lead_time",
                        "phase": ph.n,
                        "severity": "blocker",
                        "emergency": False,
                        "required_days": er.lead_time_days,
                        "days_short": short,
                        "earliest_start": (
                            today + dt.timedelta(days=er.lead_time_days)
                        ).isoformat(),
                        "message": f"apply at least {er.lead_time_days} days before the work starts; "
                        f"{short} day(s) short",
                    }
                )
        margin = dt.timedelta(days=0)
        for c in db.fetch_all(
            conn,
            "excavation_clash",
            area=wkb,
            distance_m=er.clash_distance_m,
            start=ph.start - margin,
            end=ph.end + margin,
            exclude_permit=exclude_permit,
        ):
            overlap_days = (min(ph.end, c["ends_on"]) - max(ph.start, c["starts_on"])).days + 1
            findings.append(
                {
                    "code": "clash",
                    "phase": ph.n,
                    "severity": "coordinate",
                    "permit_id": c["permit_id"],
                    "state": c["state"],
                    "gap_m": round(float(c["gap_m"]), 2),
                    "overlap_days": overlap_days,
                    "other_start": c["starts_on"].isoformat(),
                    "other_end": c["ends_on"].isoformat(),
                    "evidence": to_geojson(shapely.from_wkb(bytes(c["wkb"]))),
                    "message": f"permit {c['permit_id']} works {float(c['gap_m']):.1f} m away with "
                    f"{overlap_days} day(s) overlapping: coordinate the works (one dig, shared traffic plan)",
                }
            )
        if ph.on_carriageway and not ph.traffic_plan:
            findings.append(
                {
                    "code": "traffic_plan_missing",
                    "phase": ph.n,
                    "severity": "blocker",
                    "message": "the phase is on the carriageway: attach a temporary traffic arrangement plan",
                }
            )
        access = db.fetch_all(conn, "excavation_access", area=wkb, distance_m=er.access_distance_m)
        on_street = any(r["public_type"] in ("street", "traffic") for r in land)
        access = [r for r in access if r["property_id"] not in {p["property_id"] for p in private}]
        if access and on_street:
            findings.append(
                {
                    "code": "access_affected",
                    "phase": ph.n,
                    "severity": "notify",
                    "properties": _affected(access, "frontage"),
                    "message": "the dig blocks these properties' street frontage: tell them and keep an access route",
                }
            )
        if ph.on_carriageway and on_street:
            opp = db.fetch_all(
                conn,
                "excavation_opposite_parking",
                area=wkb,
                max_m=30.0,
                exclude=[r["property_id"] for r in access] + [p["property_id"] for p in private],
            )
            if opp:
                findings.append(
                    {
                        "code": "access_affected",
                        "phase": ph.n,
                        "severity": "notify",
                        "side": "opposite",
                        "properties": _affected(opp, "opposite"),
                        "message": "carriageway work: parking on the opposite side of the street is affected",
                    }
                )
    start = min(p.start for p in phases)
    end = max(p.end for p in phases)
    days = sum(p.days for p in phases)
    return {
        "municipality": code,
        "municipality_name": rules.name,
        "kind": body.kind,
        "emergency": body.emergency,
        "starts_on": start.isoformat(),
        "ends_on": end.isoformat(),
        "area_m2": round(total_area, 2),
        "phases": [
            {
                "n": p.n,
                "area_m2": round(p.geometry.area, 2),
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "on_carriageway": p.on_carriageway,
                "geometry": to_geojson(p.geometry),
            }
            for p in phases
        ],
        "findings": findings,
        "fee": ex.fee(total_area, days, er),
        "inspections": ex.inspections(start, end, None, er),
        "guarantee_years": er.guarantee_years,
        "grantable": not any(f["severity"] == "blocker" for f in findings),
    }


def create(conn: Connection, settings: Settings, body: ExcavationIn) -> dict[str, Any]:
    """Check and store a permit application (state 'submitted'); return it with its id."""
    result = check(conn, settings, body)
    pid = conn.execute(
        text(
            "INSERT INTO excavation_permit (municipality, kind, emergency, applicant, description, starts_on,"
            " ends_on, fee_eur) VALUES (:m, :k, :e, :a, :d, :s, :t, :f) RETURNING id"
        ),
        {
            "m": result["municipality"],
            "k": body.kind,
            "e": body.emergency,
            "a": body.applicant,
            "d": body.description,
            "s": result["starts_on"],
            "t": result["ends_on"],
            "f": result["fee"]["total_eur"],
        },
    ).scalar_one()
    srid = crs_mod.parse_srid(body.crs)
    for n, ph in enumerate(body.phases, start=1):
        phase_id = conn.execute(
            text(
                "INSERT INTO excavation_phase (permit_id, n, starts_on, ends_on, on_carriageway, traffic_plan)"
                " VALUES (:p, :n, :s, :e, :c, :t) RETURNING id"
            ),
            {
                "p": pid,
                "n": n,
                "s": ph.start,
                "e": ph.end,
                "c": ph.on_carriageway,
                "t": ph.traffic_plan,
            },
        ).scalar_one()
        for i, a in enumerate(ph.areas):
            poly = ex.dig_area(a, srid, ph.width_m, f"phase {n} area {i + 1}", float("inf"))
            conn.execute(
                text(
                    "INSERT INTO excavation_area (permit_id, phase_id, period, geom) VALUES"
                    " (:p, :ph, daterange(:s, :e, '[]'), ST_GeomFromWKB(:g, 3067))"
                ),
                {"p": pid, "ph": phase_id, "s": ph.start, "e": ph.end, "g": shapely.to_wkb(poly)},
            )
    conn.commit()
    return {"id": pid, "state": "submitted", **result}


def get(conn: Connection, permit_id: int) -> dict[str, Any]:
    """Return a stored permit's record."""
    row = (
        conn.execute(text("SELECT * FROM excavation_permit WHERE id = :i"), {"i": permit_id})
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"excavation permit {permit_id} does not exist", permit_id=permit_id)
    return dict(row)


def change_state(
    conn: Connection, settings: Settings, permit_id: int, new: str, day: dt.date | None
) -> dict[str, Any]:
    """Step a permit's lifecycle; acceptance sets the guarantee end and its inspection."""
    rec = get(conn, permit_id)
    ex.transition(rec["state"], new)
    rules = rulesets.rules_for(
        settings.rulesets_dir, rec["municipality"], rec["starts_on"]
    ).excavation
    day = day or dt.date.today()
    accepted = day if new == "accepted" else rec["accepted_on"]
    ends = ex.guarantee_end(accepted, rules) if accepted else None
    conn.execute(
        text(
            "UPDATE excavation_permit SET state = :s, accepted_on = :a, guarantee_ends = :g WHERE id = :i"
        ),
        {"s": new, "a": accepted, "g": ends, "i": permit_id},
    )
    conn.commit()
    return {
        "id": permit_id,
        "state": new,
        "accepted_on": accepted.isoformat() if accepted else None,
        "guarantee_ends": ends.isoformat() if ends else None,
        "inspections": ex.inspections(rec["starts_on"], rec["ends_on"], accepted, rules),
    }


def list_geojson(
    conn: Connection,
    bbox: str | None,
    start: dt.date | None,
    end: dt.date | None,
    limit: int = 5000,
) -> dict[str, Any]:
    """Works in a bbox (lon/lat, EPSG:4326) and period, as a GeoJSON FeatureCollection."""
    if bbox:
        xmin, ymin, xmax, ymax = mapdata.bbox_3067(bbox)
    else:
        xmin, ymin, xmax, ymax = crs_mod.FINLAND_BOX_3067
    start = start or dt.date(2000, 1, 1)
    end = end or dt.date(2100, 1, 1)
    if end < start:
        raise InvalidInput(f"to ({end}) is before from ({start})")
    rows = db.fetch_all(
        conn,
        "excavation_list",
        xmin=xmin,
        ymin=ymin,
        xmax=xmax,
        ymax=ymax,
        start=start,
        end=end,
        lim=limit,
    )
    today = dt.date.today()
    feats = []
    for r in rows:
        status = (
            "active"
            if r["phase_start"] <= today <= r["phase_end"]
            else ("planned" if r["phase_start"] > today else "past")
        )
        feats.append(
            {
                "type": "Feature",
                "geometry": to_geojson(shapely.from_wkb(bytes(r["wkb"]))),
                "properties": {
                    "permit_id": r["id"],
                    "kind": r["kind"],
                    "state": r["state"],
                    "phase": r["phase"],
                    "start": r["phase_start"].isoformat(),
                    "end": r["phase_end"].isoformat(),
                    "on_carriageway": r["on_carriageway"],
                    "status": status,
                    "applicant": r["applicant"],
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}
