"""Read GIS layers with pyogrio and bring them to EPSG:3067, refusing data outside Finland.

pyogrio's bundled GDAL has no PostgreSQL driver: files are read here and loaded
with psycopg COPY (``api.storage.copy``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import shapely

from api.ingest.base import ImportRefused
from api.storage.copy import Progress, no_progress
from geo import crs
from geo.errors import DomainError
from geo.geometry import UNREADABLE_WKB, read_wkb


@dataclass
class Features:
    """Features read from one layer, in EPSG:3067."""

    geoms: np.ndarray[Any, Any]
    fields: dict[str, np.ndarray[Any, Any]]
    layer: str | None
    srid: int


def layers_of(path: Path) -> list[str]:
    """Return a file's layer names, leaving out the publisher's `control*` test layers."""
    if not path.exists():
        raise ImportRefused(f"{path}: no such file")
    try:
        names = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:
        raise ImportRefused(f"{path}: cannot be read as a GIS file: {exc}") from exc
    return [n for n in names if not n.lower().startswith("control")] or names


def pick_layer(path: Path, layer: str | None, prefer: Sequence[str]) -> str | None:
    """Return the layer asked for, else the first preferred one present, else the first."""
    if layer:
        return layer
    layers = layers_of(path)
    return next((n for n in prefer if n in layers), layers[0] if layers else None)


def _source_srid(
    path: Path, layer: str | None, meta: dict[str, Any], source_crs: str | None
) -> int:
    if source_crs:
        return crs.parse_srid(source_crs)
    if meta.get("crs"):
        return crs.parse_srid(str(meta["crs"]))
    raise ImportRefused(f"{path}: layer {layer!r} has no CRS; give --source-crs EPSG:N")


def _geometries(wkb: Any, path: Path, layer: str | None) -> np.ndarray[Any, Any]:
    """The layer's geometries; one shapely cannot read (a curve, a TIN) refuses the file by name."""
    if wkb is None:
        return np.array([], dtype=object)
    try:
        return np.asarray(shapely.from_wkb(wkb), dtype=object)
    except UNREADABLE_WKB:
        for i, g in enumerate(wkb):  # which feature: one at a time, only when one fails
            try:
                read_wkb(g, f"feature {i}")
            except DomainError as exc:
                raise ImportRefused(f"{path}: layer {layer!r}: {exc.message}") from exc
        raise


def _check_extent(geoms: np.ndarray[Any, Any], path: Path, layer: str | None, srid: int) -> None:
    present = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
    if not len(present):
        return
    try:
        crs.check_in_finland(
            shapely.box(*shapely.total_bounds(present)), f"{path.name} (layer {layer})"
        )
    except DomainError as exc:
        raise ImportRefused(
            exc.message + f"; source CRS was EPSG:{srid} (override with --source-crs)"
        ) from exc


def read_features(
    path: Path,
    layer: str | None,
    source_crs: str | None,
    prefer: Sequence[str] = (),
    progress: Progress = no_progress,
) -> Features:
    """Read a layer, transform it to EPSG:3067 (dropping Z), and refuse data outside Finland."""
    if not path.exists():
        raise ImportRefused(f"{path}: no such file")
    layer = pick_layer(path, layer, prefer)
    progress("read", 0, 1)
    try:
        with warnings.catch_warnings():
            # NLS timestamps like 2024-09-06T20:41:07.779+03:00 parse fine but warn
            warnings.filterwarnings("ignore", "Non-conformant content", RuntimeWarning)
            meta, _fids, wkb, field_data = pyogrio.raw.read(path, layer=layer)
    except Exception as exc:
        raise ImportRefused(f"{path}: cannot read layer {layer!r}: {exc}") from exc
    progress("read", 1, 1)
    srid = _source_srid(path, layer, meta, source_crs)
    geoms = _geometries(wkb, path, layer)
    try:
        geoms = np.asarray(crs.to_storage(geoms, srid), dtype=object)  # vectorised over the array
    except DomainError as exc:  # metres read as degrees (a GeoJSON in EPSG:3067 without `crs`)
        raise ImportRefused(
            f"{path}: layer {layer!r}: {exc.message}; give the file's CRS with --source-crs, "
            "e.g. --source-crs EPSG:3067"
        ) from exc
    fields = {
        str(name): np.asarray(col) for name, col in zip(meta["fields"], field_data, strict=True)
    }
    _check_extent(geoms, path, layer, srid)
    return Features(geoms, fields, layer, srid)
