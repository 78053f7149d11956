"""GeoJSON out is RFC 7946: every ring of real responses oriented as 3.1.6 asks, `bbox` members.

Orientation is checked ring by ring with shapely's own signed-area test, on the real NLS
parcels: the register stores all 2 244 of them clockwise, so a service that passed them on
unchanged would fail here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import mapping
from sqlalchemy import text

from tests.conftest import fi_today, needs_nls

pytestmark = needs_nls
HELSINKI = "24.5,59.9,25.5,60.5"


def rings(geom: dict[str, Any]) -> Iterator[tuple[Any, bool]]:
    """(coordinates, is it an exterior ring) of every ring of a GeoJSON geometry."""
    if geom["type"] == "Polygon":
        for i, ring in enumerate(geom["coordinates"]):
            yield ring, i == 0
    elif geom["type"] == "MultiPolygon":
        for poly in geom["coordinates"]:
            yield from rings({"type": "Polygon", "coordinates": poly})
    elif geom["type"] == "GeometryCollection":
        for g in geom["geometries"]:
            yield from rings(g)


def misoriented(geoms: list[dict[str, Any]]) -> tuple[int, int, list[Any]]:
    """(exterior rings, holes, rings the wrong way round) over GeoJSON geometries."""
    exteriors = holes = 0
    wrong = []
    for g in geoms:
        for ring, exterior in rings(g):
            exteriors += exterior
            holes += not exterior
            if shapely.LinearRing(ring).is_ccw != exterior:
                wrong.append(ring[:2])
    return exteriors, holes, wrong


def features(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f["geometry"] for f in doc["features"] if f["geometry"]]


def assert_bbox_of(doc: dict[str, Any]) -> None:
    coords = np.vstack([shapely.get_coordinates(shapely.geometry.shape(g)) for g in features(doc)])
    assert doc["bbox"] == pytest.approx([*coords.min(axis=0), *coords.max(axis=0)], abs=1e-9)


def test_the_nls_parcels_are_stored_clockwise(nls: Any) -> None:
    with nls.connect() as conn:
        wkb = conn.execute(
            text(
                "SELECT ST_AsBinary(p.geom) FROM parcel p JOIN property_unit u USING (property_id)"
                " WHERE u.source = 'parcels.gpkg'"  # the NLS file, not other tests' parcels
            )
        ).scalars()
        stored = shapely.from_wkb([bytes(w) for w in wkb])
    assert len(stored) == 2244
    assert sum(p.exterior.is_ccw for p in stored) == 0  # what the issue found


@pytest.mark.parametrize("crs", ["", "&crs=http://www.opengis.net/def/crs/EPSG/0/3067"])
def test_ogc_parcels_are_counter_clockwise(client: Any, nls: Any, crs: str) -> None:
    with nls.connect() as conn:
        parts = conn.execute(
            text(
                "SELECT count(*) FROM parcel WHERE ST_Intersects(geom,"
                " ST_Transform(ST_MakeEnvelope(24.5, 59.9, 25.5, 60.5, 4326), 3067))"
            )
        ).scalar_one()
    r = client.get(f"/ogc/collections/parcels/items?bbox={HELSINKI}&limit=10000{crs}")
    doc = r.json()
    exteriors, holes, wrong = misoriented(features(doc))
    assert (exteriors, wrong) == (parts, [])
    assert parts >= 2244 and holes >= 35  # every NLS parcel; those with holes keep them
    assert_bbox_of(doc)


@pytest.mark.parametrize("layer", ["parcels", "buildings", "plans", "water"])
@pytest.mark.parametrize("zoom", [14, 17])
def test_map_layers_are_counter_clockwise(client: Any, nls: Any, layer: str, zoom: int) -> None:
    doc = client.get(f"/api/v1/layers/{layer}?bbox=24.90,60.14,25.00,60.20&zoom={zoom}").json()
    exteriors, _holes, wrong = misoriented(features(doc))
    assert wrong == []
    if exteriors:
        assert_bbox_of(doc)
    elif layer in ("parcels", "buildings") and zoom == 17:
        pytest.fail(f"no {layer} at zoom {zoom}")


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3067", "EPSG:3879"])
def test_neighbour_documents_are_counter_clockwise(client: Any, nls: Any, crs: str) -> None:
    doc = client.get(f"/api/v1/parcels/09102206940025/neighbours?crs={crs}").json()
    geoms = [doc["site"]["geometry"]] + [
        n["geometry"] for n in doc["neighbours"] if n.get("geometry")
    ]
    exteriors, _holes, wrong = misoriented(geoms)
    assert exteriors >= 1 and wrong == []


def test_search_and_extent_boxes_are_counter_clockwise(client: Any, nls: Any) -> None:
    hits = client.get("/api/v1/search?q=91-22-694-25").json()
    hits += client.get("/api/v1/search?q=Mäkelänkatu").json()
    extent = client.get("/api/v1/config").json()["extent"]
    exteriors, _holes, wrong = misoriented([h["bbox"] for h in hits] + [extent])
    assert exteriors >= 3 and wrong == []


def test_works_are_counter_clockwise_with_a_bbox(
    contractor_client: Any, client: Any, engine: Any, dig: dict[str, Any]
) -> None:
    drawn = shapely.reverse(shapely.geometry.shape(dig))  # clockwise, as a careless client might
    assert not drawn.exterior.is_ccw
    start = fi_today() + dt.timedelta(days=30)
    body = {
        "municipality": "244",
        "applicant": "Kaivu Oy",
        "phases": [{"areas": [mapping(drawn)], "start": str(start), "end": str(start)}],
    }
    r = contractor_client.post("/api/v1/excavations", json=body)
    assert r.status_code == 201, r.text
    try:
        lon, lat = drawn.centroid.coords[0]
        bbox = f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
        doc = client.get(f"/api/v1/excavations?bbox={bbox}&from={start}&to={start}").json()
        exteriors, _holes, wrong = misoriented(features(doc))
        assert exteriors >= 1 and wrong == []
        assert_bbox_of(doc)
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": r.json()["id"]})
