"""The map page after stop 42's read-only review of the browser UI (each failed on the code before).

- A link with ?lang=de left the page half started (the catalogue was a 404): a dead menu.
- Opening a file of building outlines deleted the site drawn by hand; a point in the file
  stopped the page with a TypeError.
- The server's error message went into the map's tooltip as HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shapely.geometry import Point

from tests.geofiles import geojson_file
from tests.web.drawkit import house_near_boundary, parcel_3067
from tests.web.kit import Watch, open_page


def test_an_unknown_language_in_a_link_starts_the_page_in_finnish(
    browser: Any, server: str
) -> None:
    ctx, pg, watch = open_page(browser, server + "/?lang=de")  # waits for the page to be ready
    try:
        assert pg.evaluate("document.documentElement.lang") == "fi"
        pg.select_option("#lang", "sv")  # the menu works
        pg.wait_for_selector("html[lang='sv']")
        watch.clean()
    finally:
        ctx.close()


def test_a_file_of_buildings_joins_the_site_drawn_and_a_point_is_left_out(
    page: tuple[Any, Watch], server: str, tmp_path: Path
) -> None:
    pg, watch = page
    parcel = parcel_3067(server)
    pg.set_input_files(
        "#load", str(geojson_file(tmp_path / "tontti.geojson", [(parcel, {"role": "site"})]))
    )
    pg.wait_for_selector("#a-shapes li[data-shape='site']")
    house = house_near_boundary(parcel, 3.0)
    address = Point(house.centroid.x + 2, house.centroid.y)  # an address point from a GIS
    more = geojson_file(tmp_path / "talot.geojson", [(house, {}), (address, {"osoite": "Tie 1"})])
    pg.set_input_files("#load", str(more))
    pg.wait_for_selector("#a-shapes li[data-shape='building-1']")
    assert pg.locator("#a-shapes li[data-shape='site']").count() == 1  # the site stays
    status = pg.inner_text("#draw-status")  # one shape left out, and said so
    assert status.startswith("Yksi muoto ei ole alue") and "jätettiin pois" in status, status
    # a saved drawing (its own site) opened again replaces the drawing: nothing doubled
    saved = geojson_file(
        tmp_path / "tallennettu.geojson",
        [(parcel, {"role": "site"}), (house, {"role": "building"})],
    )
    pg.set_input_files("#load", str(saved))
    pg.wait_for_timeout(500)
    assert pg.locator("#a-shapes li[data-shape='building-1']").count() == 1
    assert pg.locator("#a-shapes li[data-shape='building-2']").count() == 0
    watch.clean()


def test_a_server_message_in_a_tooltip_is_text_not_markup(
    page: tuple[Any, Watch], server: str, tmp_path: Path
) -> None:
    pg, watch = page
    parcel = parcel_3067(server)
    house = house_near_boundary(parcel, 3.0)
    injected = {"role": "building", "use": "<b id='injected'>sauna</b>"}
    path = geojson_file(tmp_path / "kohde.geojson", [(parcel, {"role": "site"}), (house, injected)])
    pg.set_input_files("#load", str(path))
    pg.wait_for_selector(".error-tip")
    assert pg.locator("#injected").count() == 0
    assert "<b id='injected'>" in pg.inner_text(".error-tip")
    watch.errors.clear()  # the 422 itself is what this test asks for
    watch.failed.clear()
