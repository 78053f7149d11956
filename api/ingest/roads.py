"""Import road centrelines with names, class and whether each is a state road (maantie)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import shapely
from sqlalchemy import Engine

from api.gcpause import gc_paused
from api.ingest import derive
from api.ingest.base import (
    Rejection,
    Summary,
    cell,
    commit,
    id_values,
    import_key,
    replace_source,
    whole,
)
from api.ingest.readers import Features, read_features
from api.storage.copy import Progress, copy_rows, hex_ewkb, no_progress

COLUMNS = (
    "source_id",
    "name_fi",
    "name_sv",
    "road_number",
    "road_class",
    "admin_class",
    "state_road",
    "address_from_left",
    "address_to_left",
    "address_from_right",
    "address_to_right",
    "source",
    "geom",
)
# The house numbers at each end of a link, per side (NLS road links; README "Search").
ADDRESS_FIELDS = ("address_from_left", "address_to_left", "address_from_right", "address_to_right")
YES = ("true", "t", "1", "1.0", "yes", "y", "kyllä", "k", "ja", "j")
NO = ("false", "f", "0", "0.0", "no", "n", "ei", "e", "nej", "")
MAX_ROAD_NUMBER = 99_999  # Finnish road numbers have at most five digits
MAX_HOUSE_NUMBER = 99_999  # larger: not a house number (left out of the address range)
NLS_MOTORWAY = "12111"  # NLS functional road class of motorways
NLS_STATE_ADMIN = 1  # NLS administrative class: 1 state, 2 municipal, 3 private
NLS_PRIVATE_ADMIN = 3
# The same classes by name, as Rajapiste's own /ogc roads (and other services) give them.
ADMIN_NAMES = {"state": NLS_STATE_ADMIN, "municipal": 2, "private": NLS_PRIVATE_ADMIN}


def state_road_class(number: int | None, functional: str | None) -> str:
    """The protection-zone class of a state road from its number and NLS functional class."""
    if functional == NLS_MOTORWAY:
        return "motorway"
    if number is None:
        return "connecting"
    if number < 100:
        return "main"
    if number < 1000:
        return "regional"
    return "connecting"


def _admin_code(adm: Any) -> int | None:
    """The NLS administrative class of a code (1, 2.0, "3") or a name ("state"); None if neither."""
    if adm is None:
        return None
    name = str(adm).strip().lower()
    if name in ADMIN_NAMES:
        return ADMIN_NAMES[name]
    return int(float(name)) if _numeric(name) else None


def _classify(
    adm: Any, num: int | None, fc: str | None, state: bool | None
) -> tuple[str, str, bool]:
    """(road class, admin class, is a state road) of one centreline; `state` None: from the admin class."""
    admin = _admin_code(adm)
    is_state = state if state is not None else admin == NLS_STATE_ADMIN
    named = fc is not None and not fc.isdigit()  # a class by name ("motorway"), not an NLS code
    if is_state:
        return (fc if named and fc else state_road_class(num, fc)), "state", True
    private = admin == NLS_PRIVATE_ADMIN
    rclass = fc if named and fc else ("private" if private else "street")
    return rclass, "private" if rclass == "private" else "municipal", False


def _rows(feats: Features, summary: Summary, src: Any) -> list[tuple[Any, ...]]:
    f = feats.fields
    admin = f.get("road_link_admin_class_id", f.get("admin_class"))
    number = f.get("road_number")
    fclass = f.get("road_link_road_class_id", f.get("road_class"))
    name_fi = f.get("road_name_fin", f.get("name_fi", f.get("name")))
    name_sv = f.get("road_name_swe", f.get("name_sv"))
    state_field = f.get("state_road")
    addresses = [f.get(k) for k in ADDRESS_FIELDS]
    rows = []
    for i, g in enumerate(feats.geoms):
        if g is None or g.is_empty or g.geom_type not in ("LineString", "MultiLineString"):
            kind = None if g is None else g.geom_type
            summary.rejections.append(Rejection(i, f"not a line: {kind}"))
            continue
        try:
            num_i = whole(cell(number, i), "road_number", MAX_ROAD_NUMBER)
        except ValueError as exc:
            summary.rejections.append(Rejection(i, str(exc)))
            continue
        fc_raw = cell(fclass, i)
        fc = (
            None
            if fc_raw is None
            else (str(int(float(fc_raw))) if _numeric(fc_raw) else str(fc_raw))
        )
        try:
            state = None if state_field is None else _yes_no(cell(state_field, i))
        except ValueError as exc:
            summary.rejections.append(Rejection(i, str(exc)))
            continue
        rclass, admin_class, is_state = _classify(cell(admin, i), num_i, fc, state)
        source = None if src is None else str(cell(src, i))
        for part in shapely.get_parts(g):
            rows.append(
                (
                    source,
                    cell(name_fi, i),
                    cell(name_sv, i),
                    num_i,
                    rclass,
                    admin_class,
                    is_state,
                    *(_house_number(cell(a, i)) for a in addresses),
                    part,
                )
            )
    return rows


def _yes_no(value: Any) -> bool | None:
    """A state_road value: true/false, 1/0, yes/no (kyllä/ei, ja/nej); None when missing."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"state_road: {value!r} is not true or false")


def _house_number(value: Any) -> int | None:
    """A house number of an address range (12, 12.0, "12"); None when missing or not one."""
    try:
        return whole(value, "address", MAX_HOUSE_NUMBER)
    except ValueError:
        return None


def _numeric(value: Any) -> bool:
    """Whether a value is a finite number ("nan" and "inf" are not codes of any class)."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


@gc_paused()
def import_roads(
    engine: Engine,
    path: Path,
    *,
    layer: str | None = None,
    id_field: str | None = None,
    source_crs: str | None = None,
    allow_rejections: bool = False,
    progress: Progress = no_progress,
) -> Summary:
    """Import road centrelines with names, road class and whether each is a state road.

    `id_field` names the field of the links' own ids (default mtk_id, else kmtk_id).
    """
    feats = read_features(path, layer, source_crs, ("road_link",), progress)
    summary = Summary("roads", str(path), feats.layer, read=len(feats.geoms))
    rows = _rows(feats, summary, id_values(feats.fields, path, id_field, ("mtk_id", "kmtk_id")))
    hexes = hex_ewkb([r[-1] for r in rows])

    source = import_key(path, feats.layer)

    def load(cur: Any, progress: Progress) -> int:
        old = replace_source(cur, "road_centreline", source, summary)  # the same file again
        staged = ((*r[:-1], source, g) for r, g in zip(rows, hexes, strict=True))
        copy_rows(cur, "road_centreline", COLUMNS, staged, len(rows), progress)
        cur.execute("ANALYZE road_centreline")
        # street pieces are named after the centrelines in them; the neighbours do not change
        box = derive.union(derive.bounds(r[-1] for r in rows), old)
        derive.rebuild(cur, box, progress, neighbours=False)
        return len(rows)

    return commit(engine, summary, load, allow_rejections=allow_rejections, progress=progress)
