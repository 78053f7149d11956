"""GeoJSON files in any accepted Finnish CRS (issue 13): a QGIS export in EPSG:3067 loads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

from tests.conftest import NLS, needs_nls

URL = "/api/v1/geometry/geojson"


def _parcels(n: int = 3) -> Any:
    df = pyogrio.read_dataframe(NLS / "parcels.gpkg", layer="property_borders", max_features=n)
    return df


def _lonlat(geom: Any, src: int) -> Any:
    """Independently: the geometry in EPSG:4326 by pyproj directly."""
    t = Transformer.from_crs(src, 4326, always_xy=True)
    return shapely.transform(geom, lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))


def _same(doc: dict[str, Any], geoms: list[Any], src: int) -> None:
    assert len(doc["features"]) == len(geoms)
    for f, g in zip(doc["features"], geoms, strict=True):
        got = shape(f["geometry"])
        want = _lonlat(shapely.force_2d(g), src)
        assert got.hausdorff_distance(want) < 1e-7, f  # the 7 decimals of the output (~1 cm)
        for poly in getattr(got, "geoms", [got]):
            assert poly.exterior.is_ccw  # RFC 7946 3.1.6


@needs_nls
def test_a_qgis_export_in_3067_loads(client: Any, tmp_path: Path) -> None:
    df = _parcels()
    path = tmp_path / "export.geojson"
    pyogrio.write_dataframe(df, path, driver="GeoJSON")  # GDAL writes the `crs` member
    body = json.loads(path.read_text())
    assert "3067" in json.dumps(body.get("crs"))
    r = client.post(URL, json=body)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["source_crs"] == "EPSG:3067" and doc["crs_from"] == "member"
    _same(doc, list(df.geometry), 3067)
    assert doc["features"][0]["properties"]["kiinteistotunnus"] == df.iloc[0]["kiinteistotunnus"]
    one = {**body, "features": body["features"][:1]}
    site = {"site": one}  # the neighbour list reads the member too (was a 500)
    assert client.post("/api/v1/neighbours", json=site).status_code == 200


@needs_nls
def test_gk25_without_a_member_is_recognised_and_4326_passes(client: Any) -> None:
    df = _parcels(2)
    gk = [shapely.transform(g, _gk25) for g in df.geometry]
    fc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": mapping(g), "properties": {}} for g in gk],
    }
    doc = client.post(URL, json=fc).json()
    assert doc["source_crs"] == "EPSG:3879" and doc["crs_from"] == "coordinates"
    _same(doc, gk, 3879)
    given = client.post(URL, json=fc, params={"crs": "EPSG:3879"}).json()
    assert given["crs_from"] == "parameter"
    wgs = [_lonlat(shapely.force_2d(g), 3067) for g in df.geometry]
    fc4326 = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": mapping(g), "properties": {}} for g in wgs],
    }
    doc = client.post(URL, json=fc4326).json()
    assert doc["source_crs"] == "EPSG:4326"
    _same(doc, wgs, 4326)


def _gk25(c: Any) -> Any:
    t = Transformer.from_crs(3067, 3879, always_xy=True)
    return np.column_stack(t.transform(c[:, 0], c[:, 1]))


def test_coordinates_in_no_crs_and_metres_as_degrees_are_422(client: Any) -> None:
    paris = {
        "type": "Polygon",
        "coordinates": [
            [[650000, 6860000], [650100, 6860000], [650100, 6860100], [650000, 6860000]]
        ],
    }
    r = client.post(URL, json=paris, params={"crs": "EPSG:4326"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert "give crs EPSG:3067" in r.json()["detail"]
    r = client.post("/api/v1/analysis/site", json={"site": paris})  # was a 500
    assert r.status_code == 422 and "not longitude/latitude" in r.json()["detail"]
    nowhere = {"type": "Point", "coordinates": [5_000_000, 100]}
    r = client.post(URL, json=nowhere)
    assert r.status_code == 422 and "give crs" in r.json()["detail"]


@pytest.mark.parametrize("bad", [{"type": "FeatureCollection"}, [], {"no": "type"}])
def test_not_geojson(client: Any, bad: Any) -> None:
    assert client.post(URL, json=bad).status_code == 422
