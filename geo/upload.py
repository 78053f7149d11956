"""A GeoJSON file a user uploads, in any accepted Finnish CRS, as RFC 7946 features.

Pure: which CRS the file is in (the request's `crs`, else the file's own `crs` member, else
the Finnish extent its coordinates fit), each feature checked and transformed, properties kept.
"""

from __future__ import annotations

from typing import Any

import shapely

from geo import crs
from geo.errors import InvalidGeometry
from geo.geometry import collection_bbox, invalid_reason, parse_geojson, to_geojson

MAX_FEATURES = 5000  # a drawing or a few sites, not a data set (that is what imports are for)


def _features(obj: Any) -> list[dict[str, Any]]:
    if not isinstance(obj, dict) or "type" not in obj:
        raise InvalidGeometry("the file is not a GeoJSON object with a 'type'")
    if obj["type"] == "FeatureCollection":
        feats = obj.get("features")
        if not isinstance(feats, list):
            raise InvalidGeometry("the FeatureCollection has no 'features' list")
        for i, f in enumerate(feats):
            if not isinstance(f, dict):
                raise InvalidGeometry(f"feature {i} is not a GeoJSON object")
        return feats
    if obj["type"] == "Feature":
        return [obj]
    return [{"type": "Feature", "geometry": obj, "properties": {}}]


def _source(obj: Any, given: str | None, geoms: list[Any]) -> tuple[int, str]:
    """(EPSG code, where it came from: parameter, member or coordinates)."""
    if given:
        return crs.parse_srid(given), "parameter"
    member = crs.member_srid(obj)
    if member:
        return member, "member"
    # their bounds are all the guess needs: no union (GEOS may refuse invalid drawings)
    guess = crs.guess_srid(shapely.GeometryCollection([g for g in geoms if not g.is_empty]))
    if guess is None:
        raise InvalidGeometry(
            "the file names no CRS and its coordinates fit none of EPSG:4326, 3067 or the GK "
            "zones 3873-3885 in Finland: give crs"
        )
    return guess, "coordinates"


def parse(obj: Any, given_crs: str | None = None) -> dict[str, Any]:
    """The file's features in EPSG:4326 (RFC 7946), each with its validity, and its source CRS."""
    feats = _features(obj)
    if len(feats) > MAX_FEATURES:
        raise InvalidGeometry(f"the file has {len(feats)} features; at most {MAX_FEATURES}")
    geoms = [parse_geojson(f.get("geometry"), f"feature {i}") for i, f in enumerate(feats)]
    src, how = _source(obj, given_crs, geoms)
    out = []
    for i, (f, g) in enumerate(zip(feats, geoms, strict=True)):
        stored = crs.to_storage(g, src)
        crs.check_in_finland(stored, f"feature {i}")
        props = f.get("properties") or {}
        if not isinstance(props, dict):
            raise InvalidGeometry(f"feature {i}: 'properties' is not an object or null")
        props = dict(props)
        if not stored.is_valid:
            reason, _ = invalid_reason(stored)
            props["_invalid"] = reason  # shown to the user, who redraws or repairs it
        out.append({"type": "Feature", "geometry": to_geojson(stored), "properties": props})
    return {
        "type": "FeatureCollection",
        "features": out,
        "bbox": collection_bbox(f["geometry"] for f in out),
        "source_crs": f"EPSG:{src}",
        "crs_from": how,
    }
