"""COPY helpers: stream rows into a table, and geometries as hex EWKB in EPSG:3067."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import shapely

from geo.crs import STORAGE_SRID

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def no_progress(stage: str, done: int, total: int) -> None:
    """A progress callback that reports nothing."""
    return None


def copy_rows(
    cur: Any,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    total: int,
    progress: Progress = no_progress,
) -> int:
    """COPY rows into `table` (a trusted identifier) on a psycopg cursor; return how many."""
    n = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)
            n += 1
            if n % 50_000 == 0:
                progress("load", n, total)
    progress("load", n, total)
    return n


def hex_ewkb(geoms: Sequence[Any]) -> list[str]:
    """Return EPSG:3067 geometries as hex EWKB, the text form COPY takes for geometry columns."""
    arr = shapely.set_srid(np.asarray(geoms, dtype=object), STORAGE_SRID)
    return list(shapely.to_wkb(arr, hex=True, include_srid=True))
