"""Import parcels (palstat) and the property units they make up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from api.gcpause import gc_paused
from api.ingest import derive
from api.ingest.base import (
    ImportRefused,
    Rejection,
    Summary,
    check_polygons,
    commit,
    id_values,
)
from api.ingest.readers import Features, read_features
from api.storage.copy import Progress, copy_rows, hex_ewkb, into_empty, no_progress
from api.storage.engine import run_named
from api.storage.sqlfiles import script
from geo import property_id
from geo.errors import DomainError

ID_FIELDS = ("kiinteistotunnus", "kiinteistötunnus", "property_id", "propertyid", "ktunnus", "id")


def _ids(feats: Features, path: Path, id_field: str | None) -> Any:
    """The property ids of the features (`base.id_values`); a file with none is refused."""
    ids = id_values(feats.fields, path, id_field, ID_FIELDS)
    if ids is None:
        raise ImportRefused(
            f"{path}: no property id field (looked for {', '.join(ID_FIELDS)}); "
            f"fields are {', '.join(feats.fields)}; give --id-field"
        )
    return ids


def _rows(feats: Features, ids: Any, summary: Summary) -> list[tuple[str, str, Any]]:
    """(property id, source feature, polygon) for every part of every accepted feature.

    A unit with a rejected feature is left out whole (with --skip-invalid): its accepted parcels
    alone would replace all of its stored ones, a smaller unit than the register's.
    """
    rows: list[tuple[str, str, Any]] = []
    for i, parts in check_polygons(feats.geoms, summary):
        try:
            pid = property_id.parse(str(ids[i]))
        except DomainError as exc:
            summary.rejections.append(Rejection(i, exc.message))
            continue
        rows.extend((pid.digits, str(i), p) for p in parts)
    held = set()
    for r in summary.rejections:
        try:
            held.add(property_id.parse(str(ids[r.feature])).digits)
        except DomainError:
            continue  # no unit to hold: the feature names none
    summary.held = sorted(held)
    return [r for r in rows if r[0] not in held]


@gc_paused()
def import_parcels(
    engine: Engine,
    path: Path,
    *,
    layer: str | None = None,
    id_field: str | None = None,
    source_crs: str | None = None,
    allow_rejections: bool = False,
    progress: Progress = no_progress,
) -> Summary:
    """Import parcels; units in the file replace their earlier parcels."""
    feats = read_features(path, layer, source_crs, ("property_borders", "parcels"), progress)
    summary = Summary("parcels", str(path), feats.layer, read=len(feats.geoms))
    ids = _ids(feats, path, id_field)
    progress("check", 0, len(feats.geoms))
    rows = _rows(feats, ids, summary)
    progress("check", len(feats.geoms), len(feats.geoms))
    hexes = hex_ewkb([r[2] for r in rows])

    def load(cur: Any, progress: Progress) -> int:
        cur.execute(
            "CREATE TEMP TABLE stage_parcel (property_id text, source_id text,"
            " geom geometry(Polygon, 3067)) ON COMMIT DROP"
        )
        staged = ((pid, src, g) for (pid, src, _), g in zip(rows, hexes, strict=True))
        copy_rows(
            cur, "stage_parcel", ("property_id", "source_id", "geom"), staged, len(rows), progress
        )
        # the merge's steps, each shown as it ends: find the changed units, write them (and
        # their indexes), count the tables again, link the buildings to them
        progress("merge", 0, 4)
        cur.execute("SELECT set_config('rajapiste.import_source', %s, true)", (path.name,))
        # a unit whose parcels are the same as stored keeps its rows (and its source: the
        # import that last changed it); only the changed ones are written, and the derived
        # tables are rebuilt around them (none when nothing changed)
        cur.execute(script("stage_changed_units"))
        # a box around each changed unit, where it lies now and lay before (its neighbours'
        # relations change too); changes near each other share one
        changed = run_named(cur, "changed_unit_boxes").fetchall()
        summary.unchanged_units = len({pid for pid, _, _ in rows}) - len(changed)
        boxes = derive.clusters(changed, derive.max_reach())
        progress("merge", 1, 4)
        first: list[str] = []
        if changed:
            with into_empty(cur, ("property_unit", "parcel")) as first:  # indexes at the end
                cur.execute(script("merge_staged_parcels"))
            progress("merge", 2, 4)
            cur.execute("ANALYZE parcel")
            cur.execute("ANALYZE property_unit")
            progress("merge", 3, 4)
            for xmin, ymin, xmax, ymax in boxes:  # their buildings follow them
                run_named(cur, "relink_buildings", xmin=xmin, ymin=ymin, xmax=xmax, ymax=ymax)
        progress("merge", 4, 4)
        derive.rebuild(cur, boxes, progress, first_load="property_unit" in first)
        return len(rows)

    return commit(engine, summary, load, allow_rejections=allow_rejections, progress=progress)
