"""geo.geometry's GeoJSON out: RFC 7946 ring orientation in every CRS, and collection bboxes."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon

from geo.geometry import collection_bbox, rfc7946, to_geojson

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
