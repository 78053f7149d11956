"""Import building footprints, each linked to the unit its centre lies in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from api.gcpause import gc_paused
from api.ingest.base import (
    Rejection,
    Summary,
    cell,
    check_polygons,
    commit,
    id_values,
    import_key,
    replace_source,
    whole,
)
from api.ingest.readers import Features, read_features
from api.storage.copy import Progress, copy_rows, hex_ewkb, no_progress
from api.storage.sqlfiles import script

# NLS topographic database building use (kayttotarkoitus) codes.
BUILDING_USE = {
    "1": "dwelling",
    "2": "holiday_home",
    "3": "industrial",
    "4": "public",
    "5": "church",
    "6": "other",
    "8": "other",
}
MAX_FLOORS = 200  # a sanity bound (the tallest Finnish building has 40 storeys)
COLUMNS = ("source_id", "use", "use_code", "floors", "floor_area_m2", "height_m", "source", "geom")


def _rows(feats: Features, summary: Summary, src: Any) -> list[tuple[Any, ...]]:
    f = feats.fields
    use_code = f.get("kayttotarkoitus", f.get("use_code"))
    floors = f.get("kerrosluku", f.get("floors"))
    rows = []
    for i, parts in check_polygons(feats.geoms, summary):
        code = cell(use_code, i)
        code = None if code is None else str(code)
        try:
            nfl = whole(cell(floors, i), "floors", MAX_FLOORS)
        except ValueError as exc:
            summary.rejections.append(Rejection(i, str(exc)))
            continue
        use = BUILDING_USE.get(code, "other") if code else None
        for p in parts:
            area = round(p.area * (nfl or 1), 1)
            height = 3.0 * nfl if nfl else None
            rows.append((None if src is None else str(src[i]), use, code, nfl, area, height, p))
    return rows


@gc_paused()
def import_buildings(
    engine: Engine,
    path: Path,
    *,
    layer: str | None = None,
    id_field: str | None = None,
    source_crs: str | None = None,
    allow_rejections: bool = False,
    progress: Progress = no_progress,
) -> Summary:
    """Import building footprints; each is linked to the unit its centre lies in.

    `id_field` names the field of the buildings' own ids (default mtk_id, else id).
    """
    feats = read_features(path, layer, source_crs, ("buildings", "building"), progress)
    summary = Summary("buildings", str(path), feats.layer, read=len(feats.geoms))
    rows = _rows(feats, summary, id_values(feats.fields, path, id_field, ("mtk_id", "id")))
    hexes = hex_ewkb([r[-1] for r in rows])

    source = import_key(path, feats.layer)

    def load(cur: Any, progress: Progress) -> int:
        replace_source(cur, "building", source, summary)  # the same file again: its new copy
        staged = ((*r[:-1], source, g) for r, g in zip(rows, hexes, strict=True))
        copy_rows(cur, "building", COLUMNS, staged, len(rows), progress)
        cur.execute(script("link_buildings_to_units"))
        cur.execute("ANALYZE building")
        return len(rows)

    return commit(engine, summary, load, allow_rejections=allow_rejections, progress=progress)
