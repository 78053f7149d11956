"""geo.geometry's GeoJSON out: RFC 7946 ring orientation in every CRS, and collection bboxes."""

from __future__ import annotations

import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from geo.geometry import collection_bbox, rfc7946, to_geojson, to_geojson_many

X0, Y0 = 385_000.0, 6_672_000.0  # Helsinki, EPSG:3067
# clockwise exterior, counter-clockwise hole: the register's way round, RFC 7946's opposite
CW = Polygon(
    [(X0, Y0), (X0, Y0 + 100), (X0 + 100, Y0 + 100), (X0 + 100, Y0)],
    [[(X0 + 10, Y0 + 10), (X0 + 90, Y0 + 10), (X0 + 90, Y0 + 90), (X0 + 10, Y0 + 90)]],
)


def _ccw(ring: list[list[float]]) -> bool:
    """Counter-clockwise by the shoelace formula (independent of shapely)."""
    twice_area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))
    return twice_area > 0


def test_the_fixture_is_clockwise() -> None:
    assert not CW.exterior.is_ccw and CW.interiors[0].is_ccw


@pytest.mark.parametrize("srid", [4326, 3067, 3879, 3857])
def test_to_geojson_turns_exteriors_counter_clockwise_and_holes_clockwise(srid: int) -> None:
    for geom in (CW, MultiPolygon([CW, shapely.affinity.translate(CW, 500)])):
        out = to_geojson(geom, srid)
        polys = [out["coordinates"]] if out["type"] == "Polygon" else out["coordinates"]
        for rings in polys:
            assert _ccw(rings[0]) and not _ccw(rings[1])


def test_rfc7946_leaves_lines_and_counter_clockwise_polygons_alone() -> None:
    line = shapely.LineString([(0, 0), (1, 1)])
    assert rfc7946(line).equals_exact(line, 0)
    ccw = rfc7946(CW)
    assert rfc7946(ccw).equals_exact(ccw, 0)
    assert ccw.equals(CW)  # the same area, the other way round


def test_collection_bbox() -> None:
    a = to_geojson(CW, 3067)
    b = to_geojson(shapely.LineString([(X0 - 5, Y0 + 50), (X0 + 50, Y0 + 300)]), 3067)
    assert collection_bbox([a, None, b]) == [X0 - 5, Y0, X0 + 100, Y0 + 300]
    assert collection_bbox([None]) is None


def _reference(geom: Polygon | LineString | Point, srid: int) -> list[list[float]]:
    """The exterior (or line, or point) in `srid` as pyproj gives it, rounded as the API does."""
    coords = list(geom.exterior.coords if isinstance(geom, Polygon) else geom.coords)
    if srid == 3067:
        return [[round(x, 3), round(y, 3)] for x, y in coords]
    tr = Transformer.from_crs(3067, srid, always_xy=True)
    return [[round(v, 7) for v in tr.transform(x, y)] for x, y in coords]


@pytest.mark.parametrize("srid", [4326, 3067, 3879])
def test_to_geojson_many_keeps_places_and_matches_one_at_a_time(srid: int) -> None:
    line = LineString([(X0 + 0.12345, Y0), (X0 + 50, Y0 + 20.98765)])
    point = Point(X0 + 1, Y0 + 2)
    geoms = [None, CW, Polygon(), line, None, point]
    out = to_geojson_many(geoms, srid)
    assert [None if g is None else g["type"] for g in out] == [
        None,
        "Polygon",
        None,
        "LineString",
        None,
        "Point",
    ]
    assert out == [to_geojson(g, srid) for g in geoms]
    exterior = [list(c) for c in out[1]["coordinates"][0]]
    assert _ccw(exterior)  # turned round, as one at a time
    # the same points as pyproj's own, in the clockwise order of the fixture reversed
    assert sorted(map(tuple, exterior)) == sorted(map(tuple, _reference(CW, srid)))
    assert [list(c) for c in out[3]["coordinates"]] == _reference(line, srid)
    assert list(out[5]["coordinates"]) == _reference(point, srid)[0]
    assert to_geojson_many([], srid) == [] and to_geojson_many([None], srid) == [None]
