"""The importer skeleton: check every feature, refuse or report, then load in one transaction.

Every import runs the same steps: read (``api.ingest.readers``), check each
feature and collect rejections and repairs, refuse the whole file when anything
was rejected (unless the caller allows it), then COPY the rows, rebuild what is
derived from them and log the import, all in one transaction.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Engine

from api.storage.copy import Progress, no_progress
from api.storage.engine import raw_cursor
from geo.errors import DomainError
from geo.geometry import invalid_reason, polygonal_part

# What an import came from when it is not the file read: a service import reads a temporary
# GeoPackage (api.ingest.services) but its report and import_log name the service's URL.
SOURCE_LABEL: ContextVar[str | None] = ContextVar("import_source_label", default=None)


class ImportRefused(DomainError):
    """An import that was refused; nothing was committed."""

    code = "import_refused"


@dataclass
class Rejection:
    """One feature that could not be imported (or was repaired), and why."""

    feature: int
    reason: str
    location: tuple[float, float] | None = None

    def describe(self) -> str:
        """Return a one-line description naming the feature and the reason."""
        loc = f" at ({self.location[0]:.2f}, {self.location[1]:.2f})" if self.location else ""
        return f"feature {self.feature}: {self.reason}{loc}"


@dataclass
class Summary:
    """What an import read, imported, repaired and rejected."""

    kind: str
    source: str
    layer: str | None = None
    read: int = 0
    imported: int = 0
    repaired: int = 0
    rejected: int = 0
    # parcels: the units of the file whose parcels were already stored as they are
    unchanged_units: int = 0
    # rows an earlier import of the same source (file name or service) brought, replaced
    replaced: int = 0
    # units left as stored because a feature (a row) of theirs was rejected (--skip-invalid)
    held: list[str] = field(default_factory=list)
    committed: bool = False
    repairs: list[Rejection] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as plain data."""
        return {
            "kind": self.kind,
            "source": self.source,
            "layer": self.layer,
            "read": self.read,
            "imported": self.imported,
            "repaired": self.repaired,
            "rejected": self.rejected,
            "unchanged_units": self.unchanged_units,
            "replaced": self.replaced,
            "held_units": self.held[:50],
            "committed": self.committed,
            "repairs": [r.describe() for r in self.repairs[:50]],
            "rejections": [r.describe() for r in self.rejections[:50]],
        }


def cell(arr: Any, i: int) -> Any:
    """The value of feature i in a field array: None for a missing field, null or NaN."""
    if arr is None:
        return None
    v = arr[i]
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    return v


POLYGONAL = (3, 6)  # shapely type ids of Polygon and MultiPolygon


def number(value: Any, name: str) -> float | None:
    """A field's number, 0 or more (12.5, "12.5"); None when missing (or "nan"); else ValueError."""
    if value is None or str(value).strip().lower() in ("", "nan"):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {value!r} is not a number") from None
    if not math.isfinite(x) or x < 0:
        raise ValueError(f"{name}: {value!r} is not a number from 0 up")
    return x


def whole(value: Any, name: str, hi: int) -> int | None:
    """A field's whole number from 0 to `hi` (12, 12.0, "12"); None when missing; else ValueError."""
    x = number(value, name)
    if x is None:
        return None
    if x > hi or x != int(x):
        raise ValueError(f"{name}: {value!r} is not a whole number from 0 to {hi}")
    return int(x)


def check_polygons(geoms: np.ndarray[Any, Any], summary: Summary) -> list[tuple[int, list[Any]]]:
    """Validate polygon features; repair what can be repaired; return (index, polygons).

    The valid polygons, nearly all of a file, are split into their parts in one vectorised
    call; the rest (missing, empty, not polygons, invalid) one by one.
    """
    geoms = np.asarray(geoms, dtype=object)
    good = (
        ~shapely.is_missing(geoms)
        & ~shapely.is_empty(geoms)
        & np.isin(shapely.get_type_id(geoms), POLYGONAL)
        & shapely.is_valid(geoms)
    )
    index = np.flatnonzero(good)
    parts, owner = shapely.get_parts(geoms[index], return_index=True)
    cut = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else owner
    cuts = [*cut.tolist(), len(parts)]  # each feature's parts: every[cuts[k]:cuts[k + 1]]
    every = parts.tolist()
    out = [(i, every[a:b]) for i, a, b in zip(index.tolist(), cuts, cuts[1:], strict=False)]
    bad: list[tuple[int, list[Any]]] = []
    for i in np.flatnonzero(~good).tolist():
        g = geoms[i]
        if g is None or g.is_empty:
            summary.rejections.append(Rejection(i, "empty geometry"))
        elif g.geom_type not in ("Polygon", "MultiPolygon"):
            summary.rejections.append(Rejection(i, f"not a polygon but {g.geom_type}"))
        else:
            reason, loc = invalid_reason(g)
            polys = [p for p in polygonal_part(shapely.make_valid(g)).geoms if p.area > 0]
            if polys:
                summary.repairs.append(Rejection(i, f"repaired: {reason}", loc))
                bad.append((i, polys))
            else:
                summary.rejections.append(
                    Rejection(i, f"invalid and not repairable: {reason}", loc)
                )
    summary.repaired = len(summary.repairs)
    return sorted(out + bad) if bad else out


def refuse_if_rejected(summary: Summary, allow_rejections: bool) -> None:
    """Refuse the whole file, naming the first rejected features, unless rejections are allowed."""
    summary.rejected = len(summary.rejections)
    if summary.rejections and not allow_rejections:
        first = "; ".join(r.describe() for r in summary.rejections[:5])
        more = f" (and {summary.rejected - 5} more)" if summary.rejected > 5 else ""
        raise ImportRefused(
            f"{summary.source}: {summary.rejected} feature(s) rejected, nothing imported: "
            f"{first}{more}. Fix them or use --skip-invalid to import the rest.",
            summary=summary.as_dict(),
        )


Loader = Callable[[Any, Progress], int]  # (psycopg cursor, progress) -> rows imported


def id_values(
    fields: dict[str, Any], path: Path, id_field: str | None, defaults: tuple[str, ...]
) -> Any:
    """The feature ids of a file: `--id-field`'s field, else the first of `defaults` it has.

    A named field the file lacks is refused by name; with none of `defaults`, None (no ids).
    """
    if id_field is not None:
        if id_field not in fields:
            raise ImportRefused(
                f"{path}: no field {id_field!r} (--id-field); fields are {', '.join(fields) or 'none'}"
            )
        return fields[id_field]
    return next((fields[f] for f in defaults if f in fields), None)


def source_name(path: Path) -> str:
    """What an import's rows are shown as coming from: the file's name, or the service's address."""
    return SOURCE_LABEL.get() or path.name


def import_key(path: Path, layers: str | None) -> str:
    """Which import a row came from, to replace it when the same import runs again.

    The file's full path (a service's address) and the layers read: two files of one name in
    two folders (two municipalities' buildings.gpkg), or two layers of one file (lakes, then
    the sea), are two imports; the same file's same layers again are one.
    """
    where = SOURCE_LABEL.get() or str(path.resolve())
    return f"{where}#{layers or ''}"


def replace_source(
    cur: Any,
    table: str,
    key: str,
    summary: Summary,
    where: str = "",
    params: tuple[Any, ...] = (),
    column: str = "source",
) -> tuple[float, float, float, float] | None:
    """Delete what an earlier run of the same import (`import_key`) brought into `table`.

    Returns those rows' box: where derived tables (crossing areas, shorelines, the shore zone)
    must be rebuilt besides the new rows' own. `table`, `column` and `where` are the
    importer's, never input.
    """
    cond = f"{column} = %s{where}"
    row = cur.execute(
        "SELECT n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM"
        f" (SELECT count(*) AS n, ST_Extent(geom) AS e FROM {table} WHERE {cond}) x",
        (key, *params),
    ).fetchone()
    if not row or not row[0]:
        return None
    cur.execute(f"DELETE FROM {table} WHERE {cond}", (key, *params))
    summary.replaced += int(row[0])
    return (row[1], row[2], row[3], row[4])


def commit(
    engine: Engine,
    summary: Summary,
    load: Loader,
    *,
    allow_rejections: bool = False,
    progress: Progress = no_progress,
) -> Summary:
    """Refuse or load: run `load` (COPY + derived tables) and log it, all in one transaction."""
    summary.source = SOURCE_LABEL.get() or summary.source
    refuse_if_rejected(summary, allow_rejections)
    with raw_cursor(engine) as cur:
        summary.imported = load(cur, progress)
        summary.committed = True
        cur.execute(
            "INSERT INTO import_log (kind, source, read, imported, repaired, rejected)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (
                summary.kind,
                summary.source,
                summary.read,
                summary.imported,
                summary.repaired,
                summary.rejected,
            ),
        )
    return summary
