"""Import plan areas, building areas, planning-need areas or shore areas of one kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from api.gcpause import gc_paused
from api.ingest.base import (
    ImportRefused,
    Rejection,
    Summary,
    cell,
    check_polygons,
    commit,
    import_key,
    number,
    replace_source,
    source_name,
    whole,
)
from api.ingest.readers import read_features
from api.storage.copy import Progress, copy_rows, hex_ewkb, no_progress
from geo.siteplan import PLAN_KINDS

AREA_FIELDS = (
    "name",
    "plan_code",
    "use_class",
    "building_right_m2",
    "efficiency",
    "max_storeys",
    "legally_binding",
    "allows_permits",
    "municipality",
)
COLUMNS = ("kind", *AREA_FIELDS, "source", "import_key", "geom")
_TRUE = ("1", "true", "yes", "kyllä", "t")


def parse_field_map(text: str | None) -> dict[str, str]:
    """Parse '--field-map ours=theirs,ours2=theirs2' into {ours: theirs}."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ImportRefused(f"--field-map entry {part!r} is not ours=theirs")
        ours, theirs = (x.strip() for x in part.split("=", 1))
        if ours not in AREA_FIELDS:
            raise ImportRefused(
                f"--field-map: unknown field {ours!r}; fields: {', '.join(AREA_FIELDS)}"
            )
        out[ours] = theirs
    return out


MAX_STOREYS = 200  # a sanity bound on a plan's storeys


def _value(name: str, v: Any) -> Any:
    """A field value in its column's type; ValueError when a number is not one."""
    if name in ("building_right_m2", "efficiency"):
        return number(v, name)
    if name == "max_storeys":
        return whole(v, name, MAX_STOREYS)
    if name in ("legally_binding", "allows_permits"):
        return (name == "legally_binding") if v is None else str(v).strip().lower() in _TRUE
    return None if v is None else str(v)


def _record(cols: dict[str, Any], i: int, summary: Summary) -> list[Any] | None:
    rec = []
    for name in AREA_FIELDS:
        v = cell(cols[name], i)
        try:
            rec.append(_value(name, v))
        except ValueError as exc:
            summary.rejections.append(Rejection(i, str(exc)))
            return None
    return rec


@gc_paused()
def import_areas(
    engine: Engine,
    path: Path,
    *,
    kind: str,
    layer: str | None = None,
    source_crs: str | None = None,
    field_map: str | None = None,
    allow_rejections: bool = False,
    progress: Progress = no_progress,
) -> Summary:
    """Import plan areas, building areas, planning-need areas or shore areas of one kind."""
    if kind not in PLAN_KINDS:
        raise ImportRefused(f"--kind {kind!r} is not one of {', '.join(PLAN_KINDS)}")
    fmap = parse_field_map(field_map)
    feats = read_features(path, layer, source_crs, (), progress)
    summary = Summary(f"areas:{kind}", str(path), feats.layer, read=len(feats.geoms))
    cols = {f: feats.fields.get(fmap.get(f, f)) for f in AREA_FIELDS}
    source = source_name(path)  # shown by the coverage
    key = import_key(path, feats.layer)
    rows = []
    for i, parts in check_polygons(feats.geoms, summary):
        rec = _record(cols, i, summary)
        if rec is not None:
            rows += [(kind, *rec, source, key, p) for p in parts]
    hexes = hex_ewkb([r[-1] for r in rows])

    def load(cur: Any, progress: Progress) -> int:
        # the same file's areas of this kind again: their new copy
        replace_source(cur, "plan_area", key, summary, " AND kind = %s", (kind,), "import_key")
        staged = ((*r[:-1], g) for r, g in zip(rows, hexes, strict=True))
        copy_rows(cur, "plan_area", COLUMNS, staged, len(rows), progress)
        cur.execute("ANALYZE plan_area")
        return len(rows)

    return commit(engine, summary, load, allow_rejections=allow_rejections, progress=progress)
