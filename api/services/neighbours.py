"""Who must be heard about a site: adjacent and opposite units, owners, authorities, totals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from api import finland, i18n, rulesets
from api.schemas.neighbours import (
    Authority,
    HearingTotals,
    Neighbour,
    NeighbourList,
    NeighbourRules,
    Owner,
    SiteInfo,
    SiteUnit,
)
from api.services import relations
from api.storage.engine import fetch_all, fetch_tuples
from geo import cases, hearing, neighbours, opposite, property_id, regime
from geo.errors import NotFound
from geo.geometry import to_geojson, to_geojson_many
from geo.rules import Ruleset

NLS_ATTRIBUTION = "© Maanmittauslaitos, CC BY 4.0"


def site_of_property(conn: Connection, pid: str) -> tuple[dict[str, Any], BaseGeometry]:
    """Return the unit's row and its site (union of all its parcels); 404 when unknown."""
    digits = property_id.normalise(pid)
    rows = fetch_all(conn, "site_of_property", property_id=digits)
    if not rows:
        raise NotFound(
            f"property {digits} ({property_id.short(digits)}) is not in the data",
            property_id=digits,
            i18n={"key": "error.property_not_found", "id": property_id.short(digits)},
        )
    row = rows[0]
    return row, shapely.from_wkb(bytes(row["wkb"]))


def owners_of(conn: Connection, ids: list[str]) -> dict[str, list[Owner]]:
    """The owners of each unit, by property id (personal data)."""
    out: dict[str, list[Owner]] = {}
    for r in fetch_all(conn, "owners_of", ids=ids):
        out.setdefault(r.pop("property_id"), []).append(Owner(**r))
    return out


def unit_owners(
    owners: dict[str, list[Owner]],
    pid: str,
    unit_kind: str | None,
    municipality: str | None,
    rules_dir: Path,
) -> list[Owner]:
    """A unit's owners; a public area without recorded owners belongs to its municipality."""
    if owners.get(pid):
        return owners[pid]
    if unit_kind == "public" and municipality:
        return [
            Owner(kind="municipality", name=rulesets.municipality_name(rules_dir, municipality))
        ]
    return []


def _code(key: str) -> str:
    """A reason's stable code from its message key ("reason.edge_reached": "edge")."""
    return key.split(".", 1)[1].removesuffix("_reached").removesuffix("_own")


def neighbour_row(
    pid: str,
    relation: str,
    unit: dict[str, Any],
    reasons: neighbours.Reasons,
    owners: list[Owner],
    **extra: Any,
) -> Neighbour:
    """The one builder of a neighbour row, whatever the relation (adjacent, opposite, manual).

    The reason is written in all three languages from the catalogues; `reason` is English
    until the response's language is chosen (api.services.texts).
    """
    parsed = property_id.parse(pid)
    _, _, message = reasons
    en, fi, sv = (i18n.render(lang, message) for lang in ("en", "fi", "sv"))
    return Neighbour(
        property_id=pid,
        property_id_short=parsed.short,
        property_id_long=parsed.long,
        relation=relation,  # type: ignore[arg-type]
        unit_kind=unit.get("kind") or unit.get("unit_kind"),
        public_type=unit.get("public_type"),
        municipality=unit.get("municipality"),
        reason=en,
        reason_fi=fi,
        reason_sv=sv,
        reason_en=en,
        reason_code=message.get("code") or _code(message["key"]),
        owners=owners,
        **extra,
    )


def _adjacent(
    conn: Connection, wkb: bytes, site_ids: list[str], rules: Ruleset, heard: HeardSite
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(unit row, relation fields) of every adjacent unit; `evidence` in EPSG:3067 (see `find`).

    A unit the drawing reaches into is heard for the drawing on it (the m² of it); one
    bordering only such units is reasoned against them (`via_property_id`); one bordering the
    rest of the site and running on along them has its contact with each said apart.
    """
    nr = rules.neighbours
    tol = nr.adjacent_tolerance_m
    reach = neighbours.reach_of(heard.reached, heard.rest, tol)  # once, not for each row
    out = []
    for r in fetch_all(conn, "neighbours_adjacent", site=wkb, site_ids=site_ids, tolerance_m=tol):
        shared = shapely.from_wkb(bytes(r["shared_wkb"])) if r["shared_wkb"] else None
        closest = shapely.from_wkb(bytes(r["closest_wkb"]))
        gap = float(r["gap_m"])
        c = neighbours.classify(shared, closest, tol, nr.edge_min_m, gap)
        m2 = heard.reaches.get(r["property_id"])
        via: list[str] = []
        alone = False  # it borders nothing of the site but reached units
        if m2 is not None:  # the drawing lies on it
            reasons = neighbours.reaches_reason(m2)
        else:
            via = neighbours.bordered_reach(c.evidence, heard.reached, heard.rest, tol)
            alone = bool(via)
        if len(via) > 1:  # it borders several: the contact with each
            each = neighbours.each_reached(c, shared, via, heard.reached, tol, nr.edge_min_m, gap)
            via = [pid for pid, _ in each]  # the longest contact first
            reasons = neighbours.reached_reasons(c.kind, each)
        elif via:
            reasons = neighbours.adjacent_reason(c, via[0])
        elif m2 is None:
            parts = neighbours.along_reach(c, shared, reach, tol, nr.edge_min_m, gap)
            via = [pid for pid, _ in parts if pid]
            reasons = (
                neighbours.reached_reasons(c.kind, parts)
                if parts
                else neighbours.adjacent_reason(c)
            )
        fields = {
            "contact": c.kind,
            "shared_boundary_m": c.shared_boundary_m,
            "gap_m": round(gap, 3),
            "evidence": c.evidence,
            "via_property_id": via[0] if alone else None,
            "via_property_ids": via,
            "_reasons": reasons,
        }
        out.append((r, fields))
    return out


def _fetcher(conn: Connection) -> relations.Fetch:
    return lambda name, params: fetch_tuples(conn, name, **params)


def opposite_rows(
    conn: Connection,
    rules: Ruleset,
    site_ids: list[str],
    found: list[relations.Opposite] | None = None,
    stored_for: str | None = None,
) -> list[dict[str, Any]]:
    """Opposite units with what the list shows of each (unit, area and street crossed).

    The units are `found` (a live computation) or, in the same round trip, those stored for
    the property `stored_for` when its relations were built with these rules. Each row's
    `stored` says which; a single row without a `property_id` stands for none.
    """
    found = found or []
    return fetch_all(
        conn,
        "opposite_details",
        ids=[o.property_id for o in found],
        across=[o.across for o in found],
        x1=[o.line[0] for o in found],
        y1=[o.line[1] for o in found],
        x2=[o.line[2] for o in found],
        y2=[o.line[3] for o in found],
        site_ids=site_ids,
        stored_for=stored_for,
        municipality=stored_for[:3] if stored_for else "",
        rules_key=relations.rules_key(rules.neighbours),
        kinds=list(opposite.KINDS),
    )


def opposite_units(
    conn: Connection,
    site: BaseGeometry,
    site_ids: list[str],
    rules: Ruleset,
    site_id: str | None = None,
) -> list[tuple[dict[str, Any], relations.Opposite]]:
    """(row, sight line) of each opposite unit of a site, nearest crossing first.

    A property's stored ones when they were built with these rules (`site_id`, one round
    trip), computed live otherwise (a drawn site, other rules).
    """
    rows: list[dict[str, Any]] = []
    if site_id:
        rows = opposite_rows(conn, rules, site_ids, stored_for=site_id)
    if not rows or not rows[0]["stored"]:
        kind = property_id.parse(site_id).public_type if site_id else None
        own_kind = relations.UNIT_CROSSING.get(kind or "", -1)
        live = relations.live(_fetcher(conn), site, site_ids, own_kind, rules.neighbours)
        rows = opposite_rows(conn, rules, site_ids, live) if live else []
    out = [
        (r, relations.Opposite(r["property_id"], r["across"], (r["x1"], r["y1"], r["x2"], r["y2"])))
        for r in rows
        if r["property_id"] is not None
    ]
    return sorted(out, key=lambda ro: (ro[1].length_m, ro[1].property_id))


def _opposite(
    conn: Connection,
    heard: HeardSite,
    site_ids: list[str],
    exclude: list[str],
    rules: Ruleset,
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(unit row, relation fields) of every opposite unit, nearest crossing first.

    `evidence` is the sight line in EPSG:3067; `find` writes them all in the output CRS. One
    whose shortest crossing starts from a unit the drawing reaches into, and that lies farther
    from the rest of the site than that, is heard for the reach: the reason names the plot
    its metres are measured from (`geo.neighbours.faced_reach`).
    """
    tol = rules.neighbours.adjacent_tolerance_m
    found = opposite_units(conn, heard.geometry, site_ids, rules, heard.whole)
    units: dict[str, BaseGeometry] = {}
    if heard.reached:  # a drawing reaching into another plot: which units face only that
        ids = [o.property_id for _, o in found]
        units = {
            r["property_id"]: shapely.from_wkb(bytes(r["wkb"]))
            for r in fetch_all(conn, "application_units", ids=ids)
        }
    out = []
    for r, o in found:
        if o.property_id in exclude:
            continue
        dist = round(o.length_m, 2)
        fields = {
            "across": o.across,
            "across_property_id": r["across_property_id"],
            "across_name": r["across_name"],
            "across_name_sv": r["across_name_sv"],
            "crossing_distance_m": dist,
            "evidence": LineString([o.line[:2], o.line[2:]]),
        }
        unit = units.get(o.property_id)
        via = neighbours.faced_reach(o.line, unit, heard.reached, heard.rest, tol)
        fields["via_property_id"] = via
        fields["via_property_ids"] = [via] if via else []
        label, label_sv = (neighbours.across_label(fields, lang) for lang in ("fi", "sv"))
        fields["_reasons"] = neighbours.opposite_reason(
            o.across, label, dist, label_sv, fields["via_property_id"]
        )
        out.append((r, fields))
    return out


def _affected(
    conn: Connection,
    wkb: bytes,
    site_ids: list[str],
    exclude: list[str],
    rules: Ruleset,
    basis: str,
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(unit row, relation fields) of the wider circle, nearest first; `evidence` in EPSG:3067."""
    radius = rules.neighbours.affected_radius_m
    rows = fetch_all(
        conn, "neighbours_affected", site=wkb, site_ids=site_ids, exclude=exclude, radius_m=radius
    )
    out = []
    for r in sorted(rows, key=lambda r: (float(r["distance_m"]), r["property_id"])):
        dist = round(float(r["distance_m"]), 2)
        fields = {
            "distance_m": dist,
            "evidence": shapely.from_wkb(bytes(r["line_wkb"])),
            "_reasons": neighbours.affected_reason(dist, radius, basis),
        }
        out.append((r, fields))
    return out


def _authorities(conn: Connection, wkb: bytes, rules: Ruleset) -> list[Authority]:
    nr = rules.neighbours
    rows = fetch_all(
        conn,
        "state_road_near",
        site=wkb,
        tolerance_m=nr.adjacent_tolerance_m,
        reach_m=nr.opposite_road_max_m,
    )
    found = [
        Authority(
            name=rules.hearing.road_authority_name,
            kind="state",
            reason=f"the site borders state road {r['name'] or r['road_number']}"
            + (f" ({r['road_number']})" if r["road_number"] else ""),
            road_name=r["name"],
            road_number=r["road_number"],
            road_class=r["road_class"],
        )
        for r in rows
    ]
    # One road authority letter however many state roads the site borders.
    return found[:1] + [a.model_copy(update={"letter": False}) for a in found[1:]]


def find(
    conn: Connection,
    heard: HeardSite,
    site_ids: list[str],
    rules: Ruleset,
    rules_dir: Path,
    srid_out: int = 4326,
    wide_basis: str | None = None,
) -> tuple[list[Neighbour], list[Authority]]:
    """Return (neighbours, authorities) of a site heard; `site_ids` are its own units.

    With `wide_basis` (a deviation or planning-need case) the wider circle is heard too.
    `heard.whole`: the site is this property (its stored opposite neighbours may be used).
    `heard.reaches`: units a drawing reaches into (adjacent: inside the site heard), with the
    m² of the drawing on each: heard because the drawing lies on them, and so reasoned.
    """
    wkb = shapely.to_wkb(heard.geometry)
    adjacent = _adjacent(conn, wkb, site_ids, rules, heard)
    exclude = [r["property_id"] for r, _ in adjacent]
    found = [("adjacent", r, f) for r, f in adjacent]
    found += [("opposite", r, f) for r, f in _opposite(conn, heard, site_ids, exclude, rules)]
    if wide_basis:
        exclude = [r["property_id"] for _, r, _ in found]
        wide = _affected(conn, wkb, site_ids, exclude, rules, wide_basis)
        found += [("affected", r, f) for r, f in wide]
    owners = owners_of(conn, [r["property_id"] for _, r, _ in found])
    evidence = to_geojson_many([f["evidence"] for _, _, f in found], srid_out)
    rows = []
    for (relation, r, fields), line in zip(found, evidence, strict=True):
        fields["evidence"] = line
        pid = r["property_id"]
        kind = r.get("kind") or r.get("unit_kind")
        who = unit_owners(owners, pid, kind, r["municipality"], rules_dir)
        reasons = fields.pop("_reasons")
        rows.append(neighbour_row(pid, relation, r, reasons, who, **fields))
    return rows, _authorities(conn, wkb, rules)


def site_units(conn: Connection, site: BaseGeometry, min_share: float) -> list[SiteUnit]:
    """Units a drawn site mostly covers, or that mostly cover it: the site's own property."""
    rows = fetch_all(conn, "units_under_site", site=shapely.to_wkb(site))
    return [
        SiteUnit(
            property_id=r["property_id"],
            property_id_short=property_id.short(r["property_id"]),
            overlap_m2=round(float(r["overlap_m2"]), 1),
            unit_share=round(float(r["unit_share"]), 3),
            site_share=round(float(r["site_share"]), 3),
        )
        for r in rows
        if r["unit_share"] >= min_share or r["site_share"] >= min_share
    ]


def hearing_totals(
    rows: list[Neighbour],
    authorities: list[Authority],
    rules: Ruleset,
    case: cases.Hearing,
    filed: dt.date,
) -> HearingTotals:
    """Letters, cost and dates of hearing these neighbours and the authorities that get a letter.

    `filed` is the filing date: the regime whose sections the notes cite.
    """
    letter_rows: list[dict[str, Any]] = [
        {
            "property_id": n.property_id,
            "relation": n.relation,
            "owners": [o.model_dump() for o in n.owners],
        }
        for n in rows
    ]
    road = [a for a in authorities if a.letter]
    letter_rows += [
        {
            "property_id": "authority",
            "relation": "authority",
            "owners": [{"kind": "state", "name": a.name}],
        }
        for a in road
    ]
    count = len(hearing.letters(letter_rows))
    args = (count, len(road), rules.hearing, rules.fees, case.kinds(), case.heard_by)
    charged, note = hearing.charged_letters(*args)
    sent = case.sent or finland.today()
    totals = hearing.totals(letter_rows, rules.hearing, sent, filed, charged, note)
    doc = HearingTotals.model_validate({**totals, "kind": case.kind, "heard_by": case.heard_by})
    # The notes as messages, written in the response's language by api.services.texts.
    heard, unknown = totals["neighbours"], totals["owners_unknown"]
    doc._messages = {
        "hearing_cost_note": hearing.charged_letters_message(*args)[1],
        "public_notice_reason": hearing.notice_message(heard, unknown, rules.hearing, filed),
    }
    return doc


class HeardSite(NamedTuple):
    """The site a drawing stands for, as sql/property_site computes it (or a unit as stored)."""

    geometry: BaseGeometry
    units: list[str]  # the units whose parcels under the drawing are taken in
    whole: str | None  # the one unit the site is exactly, as stored
    reaches: dict[str, float]  # of `units`, those it reaches into that are not its own: m² on each
    reached: dict[str, BaseGeometry] = {}  # the parcels of each of `reaches` taken in
    rest: BaseGeometry | None = None  # the drawing with its own units' parcels under it


def property_site(
    conn: Connection, site: BaseGeometry, own: list[str], tolerance_m: float
) -> HeardSite:
    """The site heard for a drawing, and the units it takes in.

    A drawing lying on private units stands for the parcels of them that it lies on: a site
    drawn a metre inside its plot has the plot's neighbours, not none. One reaching deeper
    than the tolerance into another private unit takes that unit's parcels under it too
    (sql/property_site). When it is exactly one unit as stored, that unit's stored
    relations answer (`find`).
    """
    wkb = shapely.to_wkb(site)
    rows = fetch_all(conn, "property_site", site=wkb, site_ids=own, tolerance_m=tolerance_m)
    if not rows:
        return HeardSite(site, [], None, {})
    r = rows[0]
    geometry = shapely.from_wkb(bytes(r["site_wkb"]))
    reaches = {p: float(m2) for p, m2 in zip(r["reaches"], r["reach_m2"], strict=True)}
    reached = {
        p: shapely.from_wkb(bytes(g)) for p, g in zip(r["reaches"], r["reach_wkb"], strict=True)
    }
    rest = shapely.from_wkb(bytes(r["own_wkb"])) if r["own_wkb"] else None
    return HeardSite(geometry, list(r["units"]), r["whole"], reaches, reached, rest)


def own_units(conn: Connection, site: BaseGeometry, site_id: str | None) -> list[SiteUnit]:
    """The site's own units: the property asked for, or those a drawing mostly covers."""
    if site_id:
        return [SiteUnit(property_id=site_id, property_id_short=property_id.short(site_id))]
    return site_units(conn, site, 0.5)


def neighbour_list(
    conn: Connection,
    site: BaseGeometry,
    site_id: str | None,
    rules: Ruleset,
    on: dt.date,
    rules_dir: Path,
    srid_out: int = 4326,
    case: cases.Hearing | None = None,
    own: list[SiteUnit] | None = None,
) -> NeighbourList:
    """Build the full neighbour list document of a site (a unit's, or a drawn one).

    `on` is the filing date (regime, rules); the case says the kind (circle and citation),
    who hears and when the letters go out.
    """
    case = case or cases.Hearing()
    own = own if own is not None else own_units(conn, site, site_id)
    reg = regime.for_date(on)
    basis = cases.hearing_basis(case.kind, reg)
    wide = basis if case.kind in cases.WIDE_CIRCLE else None
    ids = [u.property_id for u in own]
    tol = rules.neighbours.adjacent_tolerance_m
    heard = HeardSite(site, [], site_id, {}) if site_id else property_site(conn, site, ids, tol)
    rows, authorities = find(conn, heard, ids, rules, rules_dir, srid_out, wide)
    nr = rules.neighbours
    return NeighbourList(
        property_id=site_id,
        property_id_short=property_id.short(site_id) if site_id else None,
        municipality=rules.code,
        site=SiteInfo(
            area_m2=round(site.area, 1),
            geometry=to_geojson(site, srid_out),
            units=own,
            neighbours_of=heard.units,
            reaches=[
                SiteUnit(
                    property_id=p,
                    property_id_short=property_id.short(p),
                    overlap_m2=round(m2, 1),
                    site_share=round(m2 / site.area, 3) if site.area else None,
                )
                for p, m2 in heard.reaches.items()
            ],
        ),
        crs=f"EPSG:{srid_out}",
        date=on.isoformat(),
        kind=case.kind,  # type: ignore[arg-type]
        regime=reg.code,
        legal_basis=basis,
        rules=NeighbourRules(
            municipality=rules.name,
            adjacent_tolerance_m=nr.adjacent_tolerance_m,
            opposite_road_max_m=nr.opposite_road_max_m,
            opposite_water_max_m=nr.opposite_water_max_m,
            opposite_park_max_m=nr.opposite_park_max_m,
            hearing_period_days=rules.hearing.period_days,
            fee_per_letter_eur=rules.hearing.fee_per_letter_eur,
            affected_radius_m=nr.affected_radius_m if wide else None,
            road_authority=rules.hearing.road_authority_name,
        ),
        neighbours=rows,
        authorities=authorities,
        totals=hearing_totals(rows, authorities, rules, case, on),
        attribution=NLS_ATTRIBUTION,
    )
