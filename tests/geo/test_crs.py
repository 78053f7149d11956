import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point, Polygon

from geo import crs
from geo.errors import InvalidGeometry, InvalidInput
from geo.geometry import site_from_geojson


def test_gk25_to_tm35_matches_pyproj_directly() -> None:
    # Helsinki in GK25 (EPSG:3879): pyproj with the authority axis order (N, E) as the check.
    e, n = 25_496_000.0, 6_672_000.0
    out = crs.to_storage(Point(e, n), 3879)
    ref = Transformer.from_crs(3879, 3067)  # authority order: input N,E; output E,N
    n_in, e_in = n, e
    ex, ny = ref.transform(n_in, e_in)
    assert out.x == pytest.approx(ex, abs=1e-6) and out.y == pytest.approx(ny, abs=1e-6)


def test_3903_drops_height() -> None:
    out = crs.to_storage(shapely.Point(386000, 6675000, 12.5), 3903)
    assert not out.has_z and out.x == 386000


def test_outside_finland_is_refused_with_bbox() -> None:
    with pytest.raises(InvalidGeometry) as exc:
        crs.check_in_finland(Point(900_000, 6_700_000).buffer(10))
    assert "899990.0" in exc.value.message


@pytest.mark.parametrize(
    "text,srid",
    [("EPSG:3067", 3067), ("urn:ogc:def:crs:EPSG::3879", 3879), ("4326", 4326), (None, 4326)],
)
def test_parse_srid(text: str | None, srid: int) -> None:
    assert crs.parse_srid(text) == srid


def test_unaccepted_crs() -> None:
    with pytest.raises(InvalidInput):
        crs.parse_srid("EPSG:2393")


def test_self_intersecting_drawing_reports_reason_and_location() -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[24.95, 60.2], [24.96, 60.21], [24.96, 60.2], [24.95, 60.21], [24.95, 60.2]]
        ],
    }
    with pytest.raises(InvalidGeometry) as exc:
        site_from_geojson(bowtie, 4326)
    assert "Self-intersection" in exc.value.message
    lon, lat = exc.value.detail["location"]
    assert lon == pytest.approx(24.955) and lat == pytest.approx(60.205)


def test_drawn_site_area_limits() -> None:
    big = shapely.geometry.mapping(
        Polygon([(24.9, 60.1), (25.1, 60.1), (25.1, 60.3), (24.9, 60.3)])
    )
    with pytest.raises(InvalidGeometry, match="too large"):
        site_from_geojson(big, 4326, max_area_m2=1_000_000)
    with pytest.raises(InvalidGeometry, match="empty"):
        site_from_geojson({"type": "Polygon", "coordinates": []}, 4326)
