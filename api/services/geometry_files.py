"""GeoPackage uploads: read with pyogrio (GDAL), then checked like a GeoJSON upload.

A drawing from QGIS or a designer's CAD export; geo/upload.py reprojects and validates it.
"""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path
from typing import Any

from pyogrio import raw
from shapely.geometry import mapping

from geo import upload
from geo.errors import InvalidInput
from geo.geometry import read_wkb


def _plain(value: Any) -> Any:
    """A numpy scalar as its Python value, a BLOB as base64 text (JSON can carry both)."""
    value = value.item() if hasattr(value, "item") else value
    return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value


def read_geopackage(data: bytes, given_crs: str | None, max_bytes: int) -> dict[str, Any]:
    """The first layer's features in EPSG:4326 (RFC 7946), in the CRS given, else the layer's own."""
    if len(data) > max_bytes:
        raise InvalidInput(f"the file is over {max_bytes} bytes: load a drawing, not a data set")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.gpkg"
        path.write_bytes(data)
        try:
            meta, _fids, wkb, fields = raw.read(str(path))
        except Exception as exc:  # GDAL's reasons are many: each is the user's file at fault
            raise InvalidInput(f"not a readable GeoPackage: {exc}") from exc
    names = [str(n) for n in meta["fields"]]
    features = []
    for i, g in enumerate(wkb if wkb is not None else []):
        if g is None:
            continue
        props = {n: _plain(col[i]) for n, col in zip(names, fields, strict=True)}
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": mapping(read_wkb(g, f"feature {i}")),
            }
        )
    if not features:
        raise InvalidInput("the GeoPackage's first layer has no geometries")
    return upload.parse(
        {"type": "FeatureCollection", "features": features}, given_crs or meta.get("crs")
    )
