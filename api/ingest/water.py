"""Import water areas (polygon layers) and shorelines (line layers) of a file.

A file with water polygons but no shoreline lines (e.g. NLS lake or sea areas alone) gets
its shorelines from the polygons' boundaries where they border land, derived in bulk SQL
(sql/queries/derive_shorelines.sql), so the shore zone and shore setbacks see them.
A polygon clipped to a map sheet counts its cut edges as shore too: give the lines then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import shapely
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
    import_key,
    replace_source,
)
from api.ingest.readers import layers_of, read_features
from api.storage.copy import Progress, copy_rows, hex_ewkb, no_progress


def _read_layer(
    path: Path,
    layer: str,
    source_crs: str | None,
    kind: str,
    summary: Summary,
    progress: Progress,
    id_field: str | None = None,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(water area rows, shoreline rows) of one layer; rejections go to `summary`."""
    feats = read_features(path, layer, source_crs, (), progress)
    summary.read += len(feats.geoms)
    names = feats.fields.get("name", feats.fields.get("nimi"))
    ids = id_values(feats.fields, path, id_field, ("mtk_id", "id"))
    for i, g in enumerate(feats.geoms):  # a point or nothing is neither an area nor a shoreline
        if g is None or not ("Polygon" in g.geom_type or "LineString" in g.geom_type):
            what = "no geometry" if g is None else f"a {g.geom_type}"
            summary.rejections.append(
                Rejection(i, f"{what}: water is areas (polygons) or shorelines (lines)")
            )
    polys = [
        (i, g) for i, g in enumerate(feats.geoms) if g is not None and "Polygon" in g.geom_type
    ]
    sub = Summary("water", str(path))
    checked = check_polygons(np.array([g for _, g in polys], dtype=object), sub)
    summary.repairs += sub.repairs
    summary.rejections += [
        Rejection(polys[r.feature][0], r.reason, r.location) for r in sub.rejections
    ]
    areas = [
        (
            None if names is None else names[polys[j][0]],
            kind,
            None if ids is None else str(ids[polys[j][0]]),
            p,
        )
        for j, parts in checked
        for p in parts
    ]
    lines = [
        (kind, part)
        for g in feats.geoms
        if g is not None and "LineString" in g.geom_type
        for part in shapely.get_parts(g)
    ]
    return areas, lines


WATER_KINDS = ("sea", "lake", "river", "pond")  # the kinds water_area holds


@gc_paused()
def import_water(
    engine: Engine,
    path: Path,
    *,
    layer: str | None = None,
    id_field: str | None = None,
    source_crs: str | None = None,
    water_kind: str | None = None,
    allow_rejections: bool = False,
    progress: Progress = no_progress,
) -> Summary:
    """Import water areas (polygon layers) and shorelines (line layers) of a file."""
    layers = [layer] if layer else layers_of(path)
    kind = (water_kind or ("sea" if "sea" in path.name.lower() else "lake")).strip().lower()
    if kind not in WATER_KINDS:
        raise ImportRefused(f"--water-kind {kind!r}: one of {', '.join(WATER_KINDS)}")
    summary = Summary("water", str(path), ",".join(layers))
    areas: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    for lyr in layers:
        a, s = _read_layer(path, lyr, source_crs, kind, summary, progress, id_field)
        areas += a
        lines += s
    summary.repaired = len(summary.repairs)
    from_boundary = not lines  # the file's own lines are the better shoreline where it has them
    area_hex = hex_ewkb([a[-1] for a in areas])
    line_hex = hex_ewkb([s[-1] for s in lines])

    source = import_key(path, summary.layer)  # every layer read: lakes and sea apart

    def load(cur: Any, progress: Progress) -> int:
        # the same file again: its new copy (its old areas' derived shorelines go with them)
        old = derive.union(
            replace_source(cur, "shoreline", source, summary),
            replace_source(cur, "water_area", source, summary),
        )
        rows = ((*a[:-1], from_boundary, source, g) for a, g in zip(areas, area_hex, strict=True))
        columns = ("name", "kind", "source_id", "shore_from_boundary", "source", "geom")
        copy_rows(cur, "water_area", columns, rows, len(areas), progress)
        rows = ((s[0], source, g) for s, g in zip(lines, line_hex, strict=True))
        copy_rows(cur, "shoreline", ("kind", "source", "geom"), rows, len(lines), progress)
        box = derive.union(derive.bounds(a[-1] for a in areas), derive.bounds(s[-1] for s in lines))
        box = derive.union(box, old)
        cur.execute("ANALYZE water_area")
        cur.execute("ANALYZE shoreline")
        derive.rebuild(cur, box, progress, shorelines=True, shore_zone=True)
        return len(areas) + len(lines)

    return commit(engine, summary, load, allow_rejections=allow_rejections, progress=progress)
