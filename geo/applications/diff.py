"""What changed between a frozen analysis and a new run on changed data or rules."""

from __future__ import annotations

from typing import Any

from geo.applications.hearing import row_relation


def _neighbours(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["property_id"]: n for n in doc.get("neighbours") or []}


def _flags(doc: dict[str, Any]) -> set[tuple[str, int | None]]:
    return {(f["code"], f.get("building")) for f in doc.get("flags") or []}


def _owner_names(n: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((str(o.get("kind")), str(o.get("name"))) for o in n.get("owners") or [])


def analysis_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Neighbours added, removed or related differently, owners changed, flags raised or lifted.

    Related differently: as the reader is shown the relation (`shown_relation`), so a plot
    the drawing has come to lie on is a change though its stored relation stays "adjacent".

    Both documents are site analyses (or neighbour lists) as stored; only property ids and
    codes go into the answer, never owners' names.
    """
    before, after = _neighbours(old), _neighbours(new)
    added = [
        {
            "property_id": p,
            "relation": after[p]["relation"],
            "reason_code": after[p].get("reason_code"),
            "shown": row_relation(after[p]),
            "reason": after[p].get("reason"),
        }
        for p in sorted(set(after) - set(before))
    ]
    removed = [
        {"property_id": p, "relation": before[p]["relation"]}
        for p in sorted(set(before) - set(after))
    ]
    both = sorted(set(before) & set(after))
    changed = [
        {
            "property_id": p,
            "relation_before": before[p]["relation"],
            "relation_after": after[p]["relation"],
            # as a reader is shown it: a plot the drawing now lies on ("reaches") is stored
            # "adjacent" before and after, and is a change all the same
            "shown_before": row_relation(before[p]),
            "shown_after": row_relation(after[p]),
        }
        for p in both
        if row_relation(before[p]) != row_relation(after[p])
    ]
    owners = [p for p in both if _owner_names(before[p]) != _owner_names(after[p])]
    f_old, f_new = _flags(old), _flags(new)
    flags_added = [{"code": c, "building": b} for c, b in sorted(f_new - f_old, key=str)]
    flags_removed = [{"code": c, "building": b} for c, b in sorted(f_old - f_new, key=str)]
    return {
        "same": not (added or removed or changed or owners or flags_added or flags_removed),
        "neighbours_added": added,
        "neighbours_removed": removed,
        "relations_changed": changed,
        "owners_changed": owners,
        "flags_added": flags_added,
        "flags_removed": flags_removed,
    }
