"""GeoPackage uploads (issue 13): a layer in EPSG:3067 or a GK zone lands where pyproj puts it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyogrio import raw
from pyproj import Transformer
from shapely.geometry import Polygon, shape

HOUSE_3067 = Polygon([(385000, 6672000), (385012, 6672000), (385012, 6672010), (385000, 6672010)])


def gpkg(path: Path, geom: Polygon, crs: str, **options: Any) -> bytes:
    """A GeoPackage of one polygon (role: building) in `crs`; options go to pyogrio's write."""
    raw.write(
        path,
        np.array([shapely.to_wkb(geom)], dtype=object),
        [np.array(["building"], dtype=object)],
        ["role"],
        layer="piirros",
        driver="GPKG",
        geometry_type="Polygon",
        crs=crs,
        **options,
    )
    return path.read_bytes()


@pytest.mark.parametrize("srid", [3067, 3879])
def test_a_geopackage_layer_is_read_in_its_own_crs(client: Any, tmp_path: Path, srid: int) -> None:
    to_src = Transformer.from_crs(3067, srid, always_xy=True)
    src = shapely.transform(
        HOUSE_3067, lambda xy: np.column_stack(to_src.transform(xy[:, 0], xy[:, 1]))
    )
    data = gpkg(tmp_path / "piirros.gpkg", src, f"EPSG:{srid}")
    r = client.post(
        "/api/v1/geometry/geopackage",
        files={"file": ("piirros.gpkg", data, "application/geopackage+sqlite3")},
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["source_crs"] == f"EPSG:{srid}" and len(doc["features"]) == 1
    f = doc["features"][0]
    assert f["properties"]["role"] == "building"
    to_3067 = Transformer.from_crs(4326, 3067, always_xy=True)
    back = shapely.transform(
        shape(f["geometry"]), lambda xy: np.column_stack(to_3067.transform(xy[:, 0], xy[:, 1]))
    )
    assert back.hausdorff_distance(HOUSE_3067) < 0.01
    assert abs(back.area - 120.0) < 0.1  # RFC 7946 output rounds to about a millimetre


def test_a_file_that_is_not_a_geopackage_is_a_422(client: Any) -> None:
    r = client.post(
        "/api/v1/geometry/geopackage",
        files={"file": ("x.gpkg", b"not sqlite", "application/octet-stream")},
    )
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert "GeoPackage" in r.json()["detail"]
