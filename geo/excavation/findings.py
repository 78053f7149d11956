"""What a dig-permit check finds (domain.md section 4), from rows the caller fetched around each phase.

Pure: the caller runs the spatial queries (land under the dig, state roads,
other works, properties along it); here the rows become findings with a code,
a severity and a message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import shapely

from geo import property_id, timelimits
from geo.excavation.dig import Phase, lead_time_short
from geo.geometry import to_geojson
from geo.rules import Ruleset

Row = dict[str, Any]


@dataclass
class PhaseRows:
    """What the database says about one phase's dig area."""

    land: list[Row]
    state_roads: list[Row]
    clashes: list[Row]
    access: list[Row]
    opposite: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    """The check's circumstances: the municipality's rules, the day, emergency work."""

    rules: Ruleset
    today: dt.date
    emergency: bool


def _props(rows: list[Row]) -> list[Row]:
    return [
        {"property_id": r["property_id"], "property_id_short": property_id.short(r["property_id"])}
        for r in rows
    ]


def private_land(ph: Phase, rows: PhaseRows) -> list[Row]:
    """The dig lies on private land: the owners' written consent is needed."""
    private = [r for r in rows.land if r["kind"] == "private"]
    if not private:
        return []
    props = [
        {**p, "area_m2": round(float(r["area_m2"]), 2)}
        for p, r in zip(_props(private), private, strict=True)
    ]
    msg = "the dig area lies on private land: the owners' written consent is needed"
    return [
        {
            "code": "on_private_land",
            "phase": ph.n,
            "severity": "consent_needed",
            "properties": props,
            "message": msg,
            "i18n": {"key": "finding.on_private_land"},
        }
    ]


def _named(rules: Ruleset) -> dict[str, Any]:
    """The municipality by its name in the reader's language.

    By its code where only the national default rules apply (their name says so in English).
    """
    if len(rules.files) < 2:
        return {"by_lang": {}, "else": rules.code}
    return {"by_lang": {"sv": rules.name_sv}, "else": rules.name}


def outside_municipality(ph: Phase, rows: PhaseRows, check: Check) -> list[Row]:
    """Part of the dig is not on the municipality's land (another municipality's, or no data)."""
    code = check.rules.code
    geom = ph.geometry
    covered = sum(float(r["area_m2"]) for r in rows.land if r["municipality"] == code)
    other = sorted({r["municipality"] for r in rows.land if r["municipality"] != code})
    outside = geom.area - covered
    if outside <= max(1.0, 0.01 * geom.area):
        return []
    where = f" (in {', '.join(other)})" if other else " (no parcel data there)"
    return [
        {
            "code": "outside_municipality",
            "phase": ph.n,
            "severity": "blocker",
            "area_m2": round(outside, 2),
            "other_municipalities": other,
            "message": f"{outside:,.1f} m² of the dig area is outside municipality {code}'s land{where}",
            "i18n": {
                "key": "finding.outside_municipality" + ("" if other else ".no_data"),
                "area_m2": outside,
                "name": _named(check.rules),
                "others": ", ".join(other),
            },
        }
    ]


def state_roads(ph: Phase, rows: PhaseRows, check: Check) -> list[Row]:
    """On a state road the ELY centre, not the municipality, is the permit authority."""
    return [
        {
            "code": "state_road",
            "phase": ph.n,
            "severity": "authority",
            "road_name": r["name"],
            "road_number": r["road_number"],
            "authority": check.rules.hearing.road_authority_name,
            "message": f"state road {r['name'] or r['road_number']}: the ELY centre is the permit "
            "authority for that part (not the municipality)",
            "i18n": {"key": "finding.state_road", "road": r["name"] or r["road_number"] or ""},
        }
        for r in rows.state_roads
    ]


def lead_time(ph: Phase, check: Check) -> list[Row]:
    """The application comes later than the lead time before the work starts (emergency work exempt)."""
    er = check.rules.excavation
    short = lead_time_short(ph.start, check.today, er)
    if short is None:
        return []
    base = {"code": "lead_time", "phase": ph.n, "required_days": er.lead_time_days}
    if check.emergency:  # reported the working day after the work starts (domain.md K2)
        by = timelimits.next_working_day(ph.start)
        msg = f"emergency work: exempt from the lead time; report it by {by.isoformat()} (the next working day)"
        i18n = {"key": "finding.lead_time.emergency", "report_by": by}
        row = {**base, "severity": "info", "emergency": True, "report_by": by.isoformat()}
        return [{**row, "message": msg, "i18n": i18n}]
    earliest = (check.today + dt.timedelta(days=er.lead_time_days)).isoformat()
    msg = f"apply at least {er.lead_time_days} days before the work starts; {short} day(s) short"
    return [
        {
            **base,
            "severity": "blocker",
            "emergency": False,
            "days_short": short,
            "earliest_start": earliest,
            "message": msg,
            "i18n": {"key": "finding.lead_time", "days": er.lead_time_days, "short": short},
        }
    ]


def clashes(ph: Phase, rows: PhaseRows) -> list[Row]:
    """Other works near in space and time: coordinate them."""
    out = []
    for c in rows.clashes:
        overlap = (min(ph.end, c["ends_on"]) - max(ph.start, c["starts_on"])).days + 1
        gap = float(c["gap_m"])
        out.append(
            {
                "code": "clash",
                "phase": ph.n,
                "severity": "coordinate",
                "permit_id": c["permit_id"],
                "state": c["state"],
                "gap_m": round(gap, 2),
                "overlap_days": overlap,
                "other_start": c["starts_on"].isoformat(),
                "other_end": c["ends_on"].isoformat(),
                "evidence": to_geojson(shapely.from_wkb(bytes(c["wkb"]))),
                "message": f"permit {c['permit_id']} works {gap:.1f} m away with "
                f"{overlap} day(s) overlapping: coordinate the works (one dig, shared traffic plan)",
                "i18n": {
                    "key": "finding.clash",
                    "permit": str(c["permit_id"]),
                    "gap_m": gap,
                    "days": overlap,
                },
            }
        )
    return out


def traffic_plan(ph: Phase) -> list[Row]:
    """Carriageway work needs a temporary traffic arrangement plan."""
    if not ph.on_carriageway or ph.traffic_plan:
        return []
    msg = "the phase is on the carriageway: attach a temporary traffic arrangement plan"
    i18n = {"key": "finding.traffic_plan_missing"}
    row = {"code": "traffic_plan_missing", "phase": ph.n, "severity": "blocker", "message": msg}
    return [{**row, "i18n": i18n}]


def on_street(rows: PhaseRows) -> bool:
    """True when the dig lies on a street unit."""
    return any(r["public_type"] in ("street", "traffic") for r in rows.land)


def frontage(rows: PhaseRows) -> list[Row]:
    """Properties along the dig whose access it affects (the land it lies on excluded)."""
    private = {r["property_id"] for r in rows.land if r["kind"] == "private"}
    return [r for r in rows.access if r["property_id"] not in private]


def needs_opposite(ph: Phase, rows: PhaseRows) -> list[str] | None:
    """For carriageway work on a street: the ids to leave out of the opposite side; else None."""
    if not (ph.on_carriageway and on_street(rows)):
        return None
    private = [r["property_id"] for r in rows.land if r["kind"] == "private"]
    return [r["property_id"] for r in frontage(rows)] + private


def _affected(rows: list[Row], side: str) -> list[Row]:
    return [
        {**p, "distance_m": round(float(r["distance_m"]), 2), "side": side}
        for p, r in zip(_props(rows), rows, strict=True)
    ]


def access(ph: Phase, rows: PhaseRows) -> list[Row]:
    """The dig blocks street frontage; carriageway work also takes the opposite side's parking."""
    out = []
    front = frontage(rows)
    if front and on_street(rows):
        msg = "the dig blocks these properties' street frontage: tell them and keep an access route"
        props = _affected(front, "frontage")
        out.append(
            {
                "code": "access_affected",
                "phase": ph.n,
                "severity": "notify",
                "properties": props,
                "message": msg,
                "i18n": {"key": "finding.access_affected"},
            }
        )
    if ph.on_carriageway and on_street(rows) and rows.opposite:
        msg = "carriageway work: parking on the opposite side of the street is affected"
        props = _affected(rows.opposite, "opposite")
        out.append(
            {
                "code": "access_affected",
                "phase": ph.n,
                "severity": "notify",
                "side": "opposite",
                "properties": props,
                "message": msg,
                "i18n": {"key": "finding.access_affected.opposite"},
            }
        )
    return out


def for_phase(ph: Phase, rows: PhaseRows, check: Check) -> list[Row]:
    """Every finding of one phase, in a stable order."""
    return (
        private_land(ph, rows)
        + outside_municipality(ph, rows, check)
        + state_roads(ph, rows, check)
        + lead_time(ph, check)
        + clashes(ph, rows)
        + traffic_plan(ph)
        + access(ph, rows)
    )


# Findings that keep the municipality from granting the permit as asked: a blocker, or a part
# whose permit is another authority's (a state road: the ELY centre's, domain.md K3).
NOT_GRANTABLE = frozenset({"blocker", "authority"})


def grantable(findings: list[dict[str, Any]]) -> bool:
    """Whether the municipality can grant the permit as asked, by its findings' severities."""
    return not any(f["severity"] in NOT_GRANTABLE for f in findings)
