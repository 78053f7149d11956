"""GeoJSON files as a GIS exports them, for the importers and the map page's file button."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry import mapping


def geojson_file(
    path: Path, feats: list[tuple[Any, dict[str, Any]]], crs: str = "EPSG:3067"
) -> Path:
    """Write (shape, properties) pairs as a FeatureCollection with a `crs` member (EPSG:3067)."""
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": crs}},
        "features": [
            {"type": "Feature", "geometry": mapping(g), "properties": p} for g, p in feats
        ],
    }
    path.write_text(json.dumps(doc))
    return path
