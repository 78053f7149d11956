"""Neighbour relations (domain.md N1-N3): how two units touch, and why each one is heard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo import property_id


@dataclass(frozen=True, slots=True)
class Contact:
    """How a neighbour touches the site."""

    kind: str  # "edge" or "point"
    shared_boundary_m: float
    evidence: BaseGeometry


def classify(
    shared: BaseGeometry | None,
    closest: BaseGeometry,
    tolerance_m: float,
    edge_min_m: float,
    gap_m: float = 0.0,
) -> Contact:
    """Classify a contact from the neighbour's boundary lying within the tolerance of the site.

    That boundary includes, at each end of a shared stretch, a run-off of about
    the tolerance less the gap where the neighbour's boundary turns away from
    the site; it is removed from each piece, so a corner contact measures about 0 m.
    """
    runoff = max(0.0, tolerance_m - gap_m)
    if shared is None or shared.is_empty:
        return Contact("point", 0.0, closest)
    merged = shapely.line_merge(shared) if shared.geom_type == "MultiLineString" else shared
    pieces = [p for p in shapely.get_parts(merged) if p.length > 0]
    length = sum(max(0.0, p.length - 2 * runoff) for p in pieces)
    if length >= edge_min_m:
        long_pieces = [p for p in pieces if p.length - 2 * runoff > 0]
        return Contact("edge", round(length, 2), shapely.union_all(long_pieces))
    return Contact("point", round(length, 2), closest)


ACROSS_FI = {"road": "tien/kadun", "water": "vesistön", "park": "puistokaistan"}


Reasons = tuple[str, str, dict[str, Any]]  # English, Finnish, message key with its fields


def adjacent_reason(c: Contact, via: str | None = None) -> Reasons:
    """Why an adjacent unit is a neighbour, in English and Finnish, and as a message.

    `via`: the unit (not the site's own) that a drawing reaches into and that this one
    borders, where it borders nothing else of the site (see `bordered_reach`).
    """
    if via:
        plot = property_id.short(via)
        if c.kind == "edge":
            return (
                f"shares a {c.shared_boundary_m:.1f} m boundary with {plot}, "
                "which the drawn site reaches onto",
                f"yhteistä rajaa {c.shared_boundary_m:.1f} m kiinteistön {plot} kanssa, "
                "jolle piirros ulottuu",
                {"key": "reason.edge_reached", "m": c.shared_boundary_m, "plot": plot},
            )
        return (
            f"touches {plot}, which the drawn site reaches onto, at a boundary point",
            f"yhteinen rajapiste kiinteistön {plot} kanssa, jolle piirros ulottuu",
            {"key": "reason.point_reached", "plot": plot},
        )
    if c.kind == "edge":
        return (
            f"shares a {c.shared_boundary_m:.1f} m boundary with the site",
            f"yhteistä rajaa {c.shared_boundary_m:.1f} m",
            {"key": "reason.edge", "m": c.shared_boundary_m},
        )
    return (
        "touches the site at a boundary point (one shared point is enough)",
        "yhteinen rajapiste riittää naapuruuteen",
        {"key": "reason.point"},
    )


def own_reason(c: Contact) -> Reasons:
    """The contact with the rest of the site, where a neighbour borders reached units too."""
    if c.kind == "edge":
        return (
            f"shares a {c.shared_boundary_m:.1f} m boundary with the building site",
            f"yhteistä rajaa {c.shared_boundary_m:.1f} m rakennuspaikan kanssa",
            {"key": "reason.edge_own", "m": c.shared_boundary_m},
        )
    return (
        "touches the building site at a boundary point",
        "yhteinen rajapiste rakennuspaikan kanssa",
        {"key": "reason.point_own"},
    )


def bordered_reach(
    evidence: BaseGeometry,
    reached: dict[str, BaseGeometry],
    rest: BaseGeometry | None,
    tolerance_m: float,
) -> list[str]:
    """The reached units a neighbour borders, when it borders nothing else of the site.

    `reached`: the parcels of each unit a drawing reaches into (not its own) taken into the
    site; `rest`: the drawing with its own units' parcels. A neighbour whose contact
    (`evidence`) lies farther than the tolerance from `rest` is heard because it borders
    reached units: those within the tolerance of it, nearest first. Otherwise none (the
    site's ordinary reason).
    """
    if not reached or rest is None or shapely.distance(evidence, rest) <= tolerance_m:
        return []
    gaps = sorted((shapely.distance(evidence, g), pid) for pid, g in reached.items())
    return [pid for gap, pid in gaps if gap <= tolerance_m]


def faced_reach(
    line: tuple[float, float, float, float],
    unit: BaseGeometry | None,
    reached: dict[str, BaseGeometry],
    rest: BaseGeometry | None,
    tolerance_m: float,
) -> str | None:
    """The reached unit an opposite unit is heard across from, if it is heard for the reach.

    `line` is its shortest crossing (x1, y1 on the site, x2, y2 on the unit). It starts from a
    reached unit (farther than the tolerance from `rest`, the drawing with its own units) and
    the opposite `unit` lies farther from `rest` than the crossing and the tolerance: a unit
    about as near the rest of the site faces that too, and is not said to face the reach.
    """
    if not reached or rest is None or unit is None:
        return None
    via = bordered_reach(shapely.Point(line[:2]), reached, rest, tolerance_m)
    crossing = shapely.distance(shapely.Point(line[:2]), shapely.Point(line[2:]))
    return via[0] if via and shapely.distance(unit, rest) > crossing + tolerance_m else None


def each_reached(
    whole: Contact,
    shared: BaseGeometry | None,
    via: list[str],
    reached: dict[str, BaseGeometry],
    tolerance_m: float,
    edge_min_m: float,
    gap_m: float = 0.0,
) -> list[tuple[str, Contact]]:
    """How a neighbour touches each of the reached units `via` it borders (`bordered_reach`).

    The neighbour's boundary lying within the tolerance of the site (`shared`) is cut to the
    part within the tolerance of each unit and classified as `classify` does the `whole`
    contact. Where the whole is an edge, each part with any length is one (two parts of 0.8 m
    are a 1.6 m edge, not two points). The longest contact comes first; of equal ones, the
    nearest unit (the order of `via`).
    """
    least = 0.01 if whole.kind == "edge" else edge_min_m
    out = []
    for pid in via:
        near = shapely.buffer(reached[pid], tolerance_m)
        part = shapely.intersection(shared, near) if shared is not None else None
        out.append((pid, classify(part, whole.evidence, tolerance_m, least, gap_m)))
    return sorted(out, key=lambda pc: -pc[1].shared_boundary_m)


@dataclass(frozen=True, slots=True)
class Reach:
    """A drawn site's reached units as `along_reach` reads them, worked out once per site."""

    near_rest: (
        BaseGeometry  # the rest of the site (the drawing with its own units) and the tolerance
    )
    outside: dict[str, BaseGeometry]  # each reached unit's parcels outside the rest


def reach_of(
    reached: dict[str, BaseGeometry], rest: BaseGeometry | None, tolerance_m: float
) -> Reach | None:
    """The site's `Reach`, None without reached units.

    The drawing on a reached unit is the site's, so what borders it is the site's contact.
    """
    if not reached or rest is None:
        return None
    outside = {pid: shapely.difference(g, rest) for pid, g in reached.items()}
    return Reach(shapely.buffer(rest, tolerance_m), outside)


def along_reach(
    whole: Contact,
    shared: BaseGeometry | None,
    reach: Reach | None,
    tolerance_m: float,
    edge_min_m: float,
    gap_m: float = 0.0,
) -> list[tuple[str | None, Contact]]:
    """A neighbour bordering the rest of the site and running on along reached units.

    Stop 53's walkthrough: a neighbour bordering both the applicant's plot and a plot the
    drawing reaches into was said to share 220.6 m with the site, whose own perimeter is
    165 m. Where its edge (`shared`, as `classify` takes it) runs on beyond the tolerance of
    the rest of the site (the drawing with its own units, `reach_of`) along the part of a
    reached unit outside the drawing, for at least `edge_min_m` (measured as `each_reached`
    does), the contact with each such unit is said apart, after the contact with the rest
    (None): the whole less those, so that the parts add up to the whole. Otherwise [] (the
    site's ordinary reason).
    """
    if reach is None or shared is None or whole.kind != "edge":
        return []
    beyond = shapely.difference(shared, reach.near_rest)
    if beyond.is_empty:
        return []
    outside = reach.outside
    gaps = sorted(
        (shapely.distance(beyond, g), pid) for pid, g in outside.items() if not g.is_empty
    )
    via = [pid for gap, pid in gaps if gap <= tolerance_m]
    each = each_reached(whole, shared, via, outside, tolerance_m, edge_min_m, gap_m)
    each = [(pid, c) for pid, c in each if c.shared_boundary_m >= edge_min_m]
    if not each:
        return []
    m = round(max(0.0, whole.shared_boundary_m - sum(c.shared_boundary_m for _, c in each)), 2)
    own = Contact("edge" if m >= edge_min_m else "point", m, whole.evidence)
    return [(None, own), *each]


def reached_reasons(kind: str, each: Sequence[tuple[str | None, Contact]]) -> Reasons:
    """Why a neighbour bordering reached units is heard: the contact with each of them.

    `kind` is how it touches the site as a whole (the row's `reason_code`); a part without a
    unit (`along_reach`) is the contact with the rest of the site, said first.
    """
    parts = [adjacent_reason(c, pid) if pid else own_reason(c) for pid, c in each]
    message = parts[0][2]
    for _, _, more in parts[1:]:  # "… sekä …": a list's "; " parts an addressee's units
        message = {"key": "reason.and", "a": message, "b": more}
    return (
        " and ".join(en for en, _, _ in parts),
        " sekä ".join(fi for _, fi, _ in parts),
        {**message, "code": kind},
    )


def reaches_reason(m2: float) -> Reasons:
    """Why a unit a drawn site reaches into (not its own) is heard: the drawing lies on it."""
    return (
        f"the drawn site reaches onto it: {m2:.1f} m² of the drawing lie on it",
        f"piirretty rakennuspaikka ulottuu sen alueelle: piirroksesta {m2:.1f} m² on sillä",
        {"key": "reason.reaches", "m2": round(m2, 1)},
    )


def across_label(n: dict[str, Any], lang: str) -> str:
    """What an opposite unit is across, in `lang`, from its row's `across*` fields.

    The street's name (its Swedish name where it has one), else the crossed unit's short id,
    else the kind crossed.
    """
    name = (n.get("across_name_sv") if lang == "sv" else None) or n.get("across_name")
    pid = n.get("across_property_id")
    return str(name or (property_id.short(pid) if pid else None) or n.get("across") or "")


def opposite_reason(
    across: str,
    label: str,
    distance_m: float,
    label_sv: str | None = None,
    via: str | None = None,
) -> Reasons:
    """Why an opposite unit is a neighbour, in English and Finnish, and as a message.

    `label` names what is crossed (a street's Finnish name, or the crossed unit's id);
    `label_sv` its Swedish name, where it has one. `via`: the unit a drawing reaches into
    that it is heard across from (`faced_reach`): the metres are measured from it.
    """
    if via:
        plot = property_id.short(via)
        return (
            f"opposite {plot} (which the drawn site reaches onto), across {across} {label}, "
            f"{distance_m:.1f} m",
            f"vastapäätä kiinteistöä {plot}, jolle piirros ulottuu, "
            f"{ACROSS_FI.get(across, '')} yli ({label}), {distance_m:.1f} m",
            {
                "key": "reason.opposite_reached",
                "plot": plot,
                "across": {"key": f"across.{across}"},
                "label": {"by_lang": {"sv": label_sv or label}, "else": label},
                "distance_m": distance_m,
            },
        )
    return (
        f"opposite across {across} {label}, {distance_m:.1f} m",
        f"vastapäätä, {ACROSS_FI.get(across, '')} yli ({label}), {distance_m:.1f} m",
        {
            "key": "reason.opposite",
            "across": {"key": f"across.{across}"},
            "label": {"by_lang": {"sv": label_sv or label}, "else": label},
            "distance_m": distance_m,
        },
    )


def manual_reason(reason: str) -> Reasons:
    """The officer's reason for adding a unit by hand, in English and Finnish, and as a message."""
    message = {"key": "reason.manual", "text": reason}
    return f"added by the officer: {reason}", f"lisätty käsin: {reason}", message


def affected_reason(distance_m: float, radius_m: float, basis: str) -> Reasons:
    """Why a unit in the wider circle of a deviation / planning-need case is heard."""
    return (
        f"{distance_m:.1f} m from the site, within {radius_m:g} m: its living or work may be "
        f"substantially affected ({basis})",
        f"{distance_m:.1f} m rakennuspaikasta, {radius_m:g} metrin säteellä: asumiseen tai "
        f"työntekoon voi kohdistua huomattavia vaikutuksia ({basis})",
        {"key": "reason.affected", "distance_m": distance_m, "radius_m": radius_m, "basis": basis},
    )
