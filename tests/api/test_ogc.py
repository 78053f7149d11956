"""OGC API - Features at /ogc, opened as QGIS would: GDAL's OAPIF driver on a real socket.

Expected values come from the database read directly and from shapely/pyproj in the test,
never from the service.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pyogrio
import pytest
import shapely
from pyogrio import raw
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text

from tests.conftest import needs_nls
from tests.server import serving

pytestmark = needs_nls

COLLECTIONS = {
    "parcels",
    "property_units",
    "buildings",
    "roads",
    "road_areas",
    "water_areas",
    "shorelines",
    "shore_zone",
    "plan_areas",
    "excavation_areas",
}
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
HELSINKI_LONLAT = (24.93, 60.16, 24.96, 60.18)  # a box in the NLS sample (lon, lat)


@pytest.fixture(scope="module")
def base(nls: Any, demo: Any, settings: Any) -> Iterator[str]:
    with serving(settings.db_name) as url:
        yield url + "/ogc"


@pytest.fixture(scope="module")
def db_parcels(nls: Any, demo: Any, engine: Any) -> dict[int, tuple[str, BaseGeometry]]:
    """Every parcel straight from the table: id -> (property id, geometry in EPSG:3067)."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, property_id, ST_AsBinary(geom) FROM parcel")).all()
    return {r[0]: (r[1], shapely.from_wkb(bytes(r[2]))) for r in rows}


def lonlat_box_in_3067(lon0: float, lat0: float, lon1: float, lat1: float) -> BaseGeometry:
    """A lon/lat box as the polygon it is in EPSG:3067 (edges densified, not two corners)."""
    box = shapely.segmentize(shapely.box(lon0, lat0, lon1, lat1), 1e-4)
    tr = Transformer.from_crs(4326, 3067, always_xy=True)
    return shapely.Polygon(np.column_stack(tr.transform(*np.asarray(box.exterior.xy))))


def intersecting(parcels: dict[int, tuple[str, BaseGeometry]], area: BaseGeometry) -> set[int]:
    ids = np.array(list(parcels))
    geoms = np.array([g for _, g in parcels.values()], dtype=object)
    return {int(i) for i in ids[shapely.intersects(geoms, area)]}


def assert_same_up_to_the_edge(
    got: set[int], expected: set[int], parcels: dict[int, Any], area: BaseGeometry
) -> None:
    """Equal sets, except parcels that only touch the area's edge within a centimetre."""
    assert len(expected) > 50
    for pid in got ^ expected:
        assert parcels[pid][1].distance(area.boundary) < 0.01, (pid, pid in got)


def follow(url: str, client: httpx.Client) -> Iterator[httpx.Response]:
    """Every page of an items request, by its `next` links."""
    next_url: str | None = url
    while next_url:
        r = client.get(next_url)
        assert r.status_code == 200, r.text
        yield r
        next_url = next((lk["href"] for lk in r.json()["links"] if lk["rel"] == "next"), None)


def test_gdal_opens_every_collection_and_reads_every_parcel(
    base: str, db_parcels: dict[int, tuple[str, BaseGeometry]]
) -> None:
    source = f"OAPIF:{base}"
    assert {str(n) for n, _ in pyogrio.list_layers(source)} == COLLECTIONS
    # GDAL takes the storage CRS the collection announces and pages by `next` links (1 000 a page)
    meta, fids, wkb, fields = raw.read(source, layer="parcels", return_fids=True)
    assert meta["crs"] == "EPSG:3067"
    assert len(fids) == len(db_parcels) > 5000
    assert set(fids.tolist()) == set(db_parcels)
    pids = dict(zip(meta["fields"], fields, strict=True))["property_id"]
    got = shapely.from_wkb(wkb)
    expected = np.array([db_parcels[int(i)][1] for i in fids], dtype=object)
    assert [str(p) for p in pids] == [db_parcels[int(i)][0] for i in fids]
    assert float(shapely.hausdorff_distance(got, expected).max()) <= 0.001  # millimetres


def test_gdal_bbox_in_the_storage_crs(base: str, db_parcels: dict[int, Any]) -> None:
    area = lonlat_box_in_3067(*HELSINKI_LONLAT)
    box = area.bounds
    _meta, fids, _wkb, _fields = raw.read(
        f"OAPIF:{base}", layer="parcels", bbox=box, return_fids=True
    )
    expected = intersecting(db_parcels, shapely.box(*box))
    assert_same_up_to_the_edge(set(fids.tolist()), expected, db_parcels, shapely.box(*box))


def test_paging_by_next_links_in_epsg_3067(base: str, db_parcels: dict[int, Any]) -> None:
    url = f"{base}/collections/parcels/items?limit=700&crs={EPSG}3067"
    ids: list[int] = []
    with httpx.Client(timeout=60) as client:
        pages = list(follow(url, client))
    for r in pages:
        assert r.headers["content-crs"] == f"<{EPSG}3067>"
        assert r.headers["content-type"].startswith("application/geo+json")
        doc = r.json()
        ids += [f["id"] for f in doc["features"]]
        coords = np.vstack([shapely.get_coordinates(shape(f["geometry"])) for f in doc["features"]])
        assert doc["bbox"] == pytest.approx([*coords.min(axis=0), *coords.max(axis=0)])
        for f in doc["features"][:50]:
            exp = db_parcels[f["id"]][1]
            assert shapely.hausdorff_distance(shape(f["geometry"]), exp) <= 0.001
    assert len(pages) == math.ceil(len(db_parcels) / 700)
    assert len(ids) == len(set(ids)) == pages[0].json()["numberMatched"] == len(db_parcels)
    assert set(ids) == set(db_parcels)


def test_bbox_crs_lonlat_and_latlon_filter_by_the_exact_box(
    base: str, db_parcels: dict[int, Any]
) -> None:
    lon0, lat0, lon1, lat1 = HELSINKI_LONLAT
    area = lonlat_box_in_3067(lon0, lat0, lon1, lat1)
    expected = intersecting(db_parcels, area)
    items = f"{base}/collections/parcels/items?limit=10000"
    requests = {
        "CRS84 (default)": f"{items}&bbox={lon0},{lat0},{lon1},{lat1}",
        "EPSG:4326 lat,lon": f"{items}&bbox={lat0},{lon0},{lat1},{lon1}&bbox-crs={EPSG}4326",
    }
    for what, url in requests.items():
        got = {f["id"] for f in httpx.get(url, timeout=60).json()["features"]}
        assert_same_up_to_the_edge(got, expected, db_parcels, area), what
    # EPSG:4326 output is in its own axis order, latitude first
    r = httpx.get(f"{items}&bbox={lon0},{lat0},{lon1},{lat1}&crs={EPSG}4326", timeout=60)
    assert r.headers["content-crs"] == f"<{EPSG}4326>"
    lat, lon = shapely.get_coordinates(shape(r.json()["features"][0]["geometry"]))[0]
    assert lat0 - 0.01 < lat < lat1 + 0.01 and lon0 - 0.01 < lon < lon1 + 0.01


def test_the_service_describes_itself(base: str) -> None:
    with httpx.Client(timeout=30) as client:
        landing = client.get(base + "/").json()
        conformance = client.get(base + "/conformance").json()["conformsTo"]
        parcels = client.get(
            base + "/collections/parcels", headers={"Accept-Language": "sv"}
        ).json()
        html = client.get(base + "/collections?f=html")
        missing = client.get(base + "/collections/owners/items")
        bad_crs = client.get(base + "/collections/parcels/items?crs=" + EPSG + "2393")
    rels = {link["rel"] for link in landing["links"]}
    assert {"service-desc", "conformance", "data"} <= rels
    assert not [lk for lk in landing["links"] if "html" in lk["type"] or "processes" in lk["rel"]]
    for cls in (
        "features-1/1.0/conf/core",
        "features-1/1.0/conf/geojson",
        "features-2/1.0/conf/crs",
    ):
        assert any(c.endswith(cls) for c in conformance), cls
    assert not any(c.endswith("/html") for c in conformance)
    assert parcels["title"] == "Skiften"
    assert parcels["storageCrs"] == f"{EPSG}3067"
    assert {CRS84, f"{EPSG}3067", f"{EPSG}4326", f"{EPSG}3879"} <= set(parcels["crs"])
    for r, status in ((html, 406), (missing, 404), (bad_crs, 400)):
        assert r.status_code == status
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["detail"]


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def test_vector_tiles_hold_the_parcels_of_the_tile(
    base: str, db_parcels: dict[int, Any], tmp_path: Any
) -> None:
    z = 15
    # the median private parcel of Helsinki: somewhere with parcels all around
    private = [g for pid, g in db_parcels.values() if pid.startswith("091") and pid[6:8] != "99"]
    cx, cy = np.median(shapely.get_coordinates(shapely.centroid(private)), axis=0)
    lon, lat = Transformer.from_crs(3067, 4326, always_xy=True).transform(cx, cy)
    x, y = _tile(lon, lat, z)
    r = httpx.get(f"{base}/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}", timeout=30)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    path = tmp_path / "tile.mvt"
    path.write_bytes(r.content)
    meta, _fids, _wkb, fields = raw.read(path, layer="parcels")
    got = {int(v) for v in dict(zip(meta["fields"], fields, strict=True))["id"]}
    # the tile's square in Web Mercator, as a polygon in EPSG:3067
    size = 2 * math.pi * 6378137 / 2**z
    x0, y1 = -math.pi * 6378137 + x * size, math.pi * 6378137 - y * size
    square = shapely.segmentize(shapely.box(x0, y1 - size, x0 + size, y1), size / 64)
    tr = Transformer.from_crs(3857, 3067, always_xy=True)
    area = shapely.Polygon(np.column_stack(tr.transform(*np.asarray(square.exterior.xy))))
    assert_same_up_to_the_edge(got, intersecting(db_parcels, area), db_parcels, area)


def test_one_feature_by_its_integer_id_and_filters_by_typed_properties(
    base: str, db_parcels: dict[int, Any], engine: Any
) -> None:
    """pygeoapi compared an id or a property value as text with an integer, boolean or date
    column: a 500 for every collection but property_units. Expected rows are read here."""
    pid = sorted(db_parcels)[len(db_parcels) // 2]
    with httpx.Client(timeout=30) as client:
        one = client.get(f"{base}/collections/parcels/items/{pid}?f=json")
        assert one.status_code == 200, one.text
        doc = one.json()
        assert doc["id"] == pid and doc["properties"]["property_id"] == db_parcels[pid][0]
        assert {lk["rel"] for lk in doc["links"]} >= {"prev", "next"}
        for missing in ("abc", "99999999999999999999", str(max(db_parcels) + 1)):
            r = client.get(f"{base}/collections/parcels/items/{missing}?f=json")
            assert r.status_code == 404, (missing, r.status_code, r.text)
        with engine.connect() as conn:
            two = conn.execute(text("SELECT count(*) FROM building WHERE floors = 2")).scalar_one()
            state = conn.execute(
                text("SELECT count(*) FROM ogc.roads WHERE state_road")
            ).scalar_one()
        floors = client.get(f"{base}/collections/buildings/items?floors=2&limit=10000&f=json")
        assert floors.status_code == 200, floors.text
        assert floors.json()["numberMatched"] == two > 0
        assert {f["properties"]["floors"] for f in floors.json()["features"]} == {2}
        roads = client.get(f"{base}/collections/roads/items?state_road=true&f=json")
        assert roads.status_code == 200 and roads.json()["numberMatched"] == state, roads.text
        for bad in ("buildings/items?floors=two", "roads/items?state_road=maybe"):
            r = client.get(f"{base}/collections/{bad}&f=json")
            assert r.status_code == 400, (bad, r.status_code, r.text)
        cql = client.get(f"{base}/collections/parcels/items?filter=BBOX(geom,24.9,60.1,25,60.2)")
        assert cql.status_code == 400 and "CQL" in cql.text, cql.text


def test_tile_addresses_outside_the_tiling_schemes_are_not_found(base: str) -> None:
    """An unknown scheme, a zoom beyond 0..22 or a tile outside the matrix: 4xx, not a 500."""
    with httpx.Client(timeout=30) as client:
        for path, status in (
            ("tiles/Foo", 404),
            ("tiles/Foo/1/1/1", 404),
            ("tiles/WebMercatorQuad/-1/0/0", 422),
            ("tiles/WebMercatorQuad/23/0/0", 422),
            ("tiles/WebMercatorQuad/2/4/0", 404),  # rows 0..3 at zoom 2
            ("tiles/WorldCRS84Quad/2/0/8", 404),  # columns 0..7 at zoom 2
        ):
            r = client.get(f"{base}/collections/parcels/{path}")
            assert r.status_code == status, (path, r.status_code, r.text)
            assert r.headers["content-type"].startswith("application/problem+json"), path
        ok = client.get(f"{base}/collections/parcels/tiles/WorldCRS84Quad/2/0/7")
        assert ok.status_code in (200, 204), ok.text
