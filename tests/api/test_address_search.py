"""Address search on the real NLS road links (issue 13: address search where addresses are loaded).

The expected place is computed here with shapely from the NLS file itself: the link of that name
whose range on one side holds the number with its parity, the number interpolated along it.
"""

from __future__ import annotations

from typing import Any

import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from geo.crs import to_storage
from tests.conftest import NLS, needs_nls

pytestmark = needs_nls

SIDES = (
    ("left", "address_from_left", "address_to_left"),
    ("right", "address_from_right", "address_to_right"),
)


@pytest.fixture(scope="module")
def links() -> Any:
    cols = ["road_name_fin", *[c for _, a, b in SIDES for c in (a, b)]]
    return pyogrio.read_dataframe(NLS / "roads.gpkg", layer="road_link", columns=cols)


def _expected(links: Any, name: str, num: int) -> list[tuple[str, Any, Any]]:
    """(side, interpolated point, link) of every link of `name` holding `num` (EPSG:3067)."""
    out = []
    for row in links[links.road_name_fin == name].itertuples():
        line = shapely.force_2d(row.geometry)
        for side, fa, fb in SIDES:
            a, b = getattr(row, fa), getattr(row, fb)
            if a != a or b != b or not min(a, b) <= num <= max(a, b) or (num - a) % 2:
                continue
            f = 0.5 if a == b else (num - a) / (b - a)
            out.append((side, line.interpolate(f, normalized=True), line))
    return out


def _side_of(line: Any, p: Any) -> str:
    """Which side of the line's digitised direction a point lies on (sign of the cross product)."""
    near = line.project(p)
    a = line.interpolate(max(near - 1, 0))
    b = line.interpolate(min(near + 1, line.length))
    cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
    return "left" if cross > 0 else "right"


@pytest.mark.parametrize("name, num", [("Roomankatu", 4), ("Pariisinkatu", 3), ("Helminkatu", 7)])
def test_an_address_lands_where_the_nls_ranges_put_it(
    client: Any, nls: Any, links: Any, name: str, num: int
) -> None:
    expected = _expected(links, name, num)
    assert expected, "the NLS sample has this address"
    hits = [
        h
        for h in client.get("/api/v1/search", params={"q": f"{name} {num}"}).json()
        if h["type"] == "address"
    ]
    assert hits and hits[0]["label"] == f"{name} {num}"
    got = to_storage(shape(hits[0]["geometry"]), 4326)
    assert min(got.distance(p) for _, p, _ in expected) < 0.5  # metres
    side, _, line = min(expected, key=lambda e: e[1].distance(got))
    # the plot opened is on that side of the street, near the address
    pid = hits[0]["property_id"]
    assert pid is not None
    parcels = pyogrio.read_dataframe(
        NLS / "parcels.gpkg", layer="property_borders", columns=["kiinteistotunnus"]
    )
    mine = parcels[parcels.kiinteistotunnus == pid].geometry
    assert len(mine), pid
    plot = shapely.union_all(list(mine))
    assert plot.distance(got) < 40
    assert _side_of(line, plot.representative_point()) == side or plot.distance(line) < 1
    # a point inside that plot: where the page asks which plot is there, as a click would
    inside = to_storage(shapely.Point(hits[0]["at"]), 4326)
    assert plot.buffer(-0.01).contains(inside), (pid, hits[0]["at"])


def test_a_property_found_gives_a_point_inside_it(client: Any, nls: Any) -> None:
    """The point the page asks `/parcels/at` with (stop 55: a search dropped the buildings)."""
    parcels = pyogrio.read_dataframe(
        NLS / "parcels.gpkg", layer="property_borders", columns=["kiinteistotunnus"]
    )
    for pid in ("09102206940025", "09102206970018"):
        hits = client.get("/api/v1/search", params={"q": pid}).json()
        assert [h["type"] for h in hits][:1] == ["property"], hits
        plot = shapely.union_all(list(parcels[parcels.kiinteistotunnus == pid].geometry))
        inside = to_storage(shapely.Point(hits[0]["at"]), 4326)
        assert plot.buffer(-0.01).contains(inside), (pid, hits[0]["at"])
        at = client.get(
            "/api/v1/parcels/at", params={"lon": hits[0]["at"][0], "lat": hits[0]["at"][1]}
        ).json()
        assert at["property_id"] == pid


def test_a_number_no_range_holds_finds_no_address(client: Any, nls: Any, links: Any) -> None:
    assert not _expected(links, "Joukolantie", 9999)
    hits = client.get("/api/v1/search", params={"q": "Joukolantie 9999"}).json()
    assert [h for h in hits if h["type"] == "address"] == []
