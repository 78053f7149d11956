"""The maps of the hearing letters and package, drawn to PDF and looked at as pixels.

What a reader must find on the map is checked by the share of the page's pixels in its colour,
against the share its area should take (hand-computed from the geometry and the scale).
"""

from __future__ import annotations

from typing import Any

import shapely
from reportlab.graphics import renderPDF
from shapely.geometry import box
from sqlalchemy import text

from api.documents import sitemap
from tests.api import pdfs
from tests.conftest import needs_nls

ORANGE = (0xF4, 0xA2, 0x59)  # a recipient's unit ("recipient" in sitemap.STYLES)
GREEN = (0xB7, 0xE4, 0xC7)  # the site
PEACH = (0xFD, 0xE0, 0xC5)  # another neighbour
W, H = 170.0, 105.0  # the letter's map frame (mm)


def _drawn(data: sitemap.MapData, name: str) -> tuple[float, float, float, int]:
    """The shares of orange, green and peach pixels on the drawn map, and its scale."""
    drawing, scale = sitemap.draw(data, W, H)
    img = pdfs.render(renderPDF.drawToString(drawing), name)
    return pdfs.share(img, ORANGE), pdfs.share(img, GREEN), pdfs.share(img, PEACH), scale


def test_an_enclave_in_the_site_shows_through_its_hole() -> None:
    """A hole of the site was painted white over whatever lay in it: the recipient whose unit is
    an enclave in the site saw a white square where their unit is."""
    enclave = box(20, 10, 40, 30)
    site = box(0, 0, 60, 40).difference(enclave)
    data = sitemap.MapData(site=site, units=(sitemap.Unit(enclave, "recipient", "91-1-1-1"),))
    orange, green, _, scale = _drawn(data, "map-enclave")
    # 76 x 56 m with the margins: 1:1000, the frame 170 x 105 m on the ground
    assert scale == 1000
    frame_m2 = W * H
    assert 0.7 * 400 / frame_m2 < orange < 1.05 * 400 / frame_m2
    assert 0.7 * site.area / frame_m2 < green < 1.05 * site.area / frame_m2


def test_the_readers_unit_is_on_the_map_of_a_large_site() -> None:
    """A site larger than the frame at 1:2000 (340 x 210 m) kept its centre in the middle of the
    map, and the recipient's unit at its far end was off the letter's map. The map is centred
    where the site and the unit are nearest each other."""
    site = box(0, 0, 600, 300)
    mine = box(600, 250, 640, 290)
    data = sitemap.MapData(
        site=site,
        units=(sitemap.Unit(mine, "recipient", "91-1-1-1"),),
        focus=shapely.union_all([site, mine]),
        reader=mine,
    )
    orange, green, _, scale = _drawn(data, "map-large-site")
    assert scale == 2000
    frame_m2 = (W * 2) * (H * 2)
    # centred at (600, 270): the frame spans x 430..770, y 165..375; all of the unit is in it
    assert 0.7 * mine.area / frame_m2 < orange < 1.05 * mine.area / frame_m2
    in_view = site.intersection(box(430, 165, 770, 375)).area  # 170 x 135 m of the site
    assert 0.8 * in_view / frame_m2 < green < 1.05 * in_view / frame_m2


def test_a_neighbour_far_from_a_small_site_is_in_view_when_both_fit() -> None:
    """The site was always in the middle: a unit 180 m away (across a park) was cut off at
    1:2000, though the two fit the frame together when centred between them."""
    site = box(0, 0, 20, 20)
    far = box(200, 0, 220, 20)
    data = sitemap.MapData(
        site=site,
        units=(sitemap.Unit(far, "neighbour", "91-2-2-2"),),
        focus=shapely.union_all([site, far]),
    )
    _, green, peach, scale = _drawn(data, "map-far-neighbour")
    assert scale == 2000
    frame_m2 = (W * 2) * (H * 2)
    assert 0.6 * far.area / frame_m2 < peach < 1.1 * far.area / frame_m2
    assert 0.6 * site.area / frame_m2 < green < 1.1 * site.area / frame_m2


def test_of_a_readers_units_on_two_sides_of_a_large_site_one_is_in_view() -> None:
    """Centring between all the reader's units would put the map in the middle of the site,
    showing none of them: it is centred at the one with the longer shared boundary."""
    site = box(0, 0, 600, 300)
    east, west = box(600, 200, 640, 290), box(-40, 20, 0, 90)
    mine = shapely.union_all([east, west])
    data = sitemap.MapData(
        site=site,
        units=(sitemap.Unit(east, "recipient"), sitemap.Unit(west, "recipient")),
        focus=shapely.union_all([site, mine]),
        reader=mine,
    )
    orange, _, _, scale = _drawn(data, "map-two-sides")
    frame_m2 = (W * 2) * (H * 2)
    assert scale == 2000 and 0.7 * east.area / frame_m2 < orange < 1.05 * east.area / frame_m2


@needs_nls
def test_a_swedish_readers_map_names_the_streets_in_swedish(nls: Any, engine: Any) -> None:
    """The letter's map named every street in Finnish, also in a Swedish letter."""
    from api.services import case_letters

    with engine.connect() as conn:  # a unit by a street with a Swedish name of its own
        row = conn.execute(
            text(
                "SELECT ST_AsBinary(p.geom) AS wkb, r.name_fi, r.name_sv FROM parcel p"
                " JOIN road_centreline r ON ST_DWithin(r.geom, p.geom, 5)"
                " WHERE r.name_sv <> r.name_fi ORDER BY p.property_id LIMIT 1"
            )
        ).one()
        site = shapely.from_wkb(bytes(row.wkb))
        names = {
            lang: {
                name
                for name, _ in case_letters.map_data(
                    conn, site, {}, site, case_letters.LETTER_FRAME_MM, "", lang
                ).roads
            }
            for lang in ("sv", "fi")
        }
    assert row.name_sv in names["sv"] and row.name_fi not in names["sv"]
    assert row.name_fi in names["fi"] and row.name_sv not in names["fi"]
