"""Results people can trust (issue 13), in real Chromium on the real Helsinki data: a site in the sea
says it is outside the data, a GeoJSON file in EPSG:3067 loads where it belongs, a building placed by
numbers lands where shapely puts it, the officer's made-up property id is refused at once and the
package counts what the screen counts, and the hearing package PDF names every neighbour.
Screenshots (and the PDF's first page) go to test-artifacts/.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import shapely
from sqlalchemy import text

from geo import property_id
from tests.api import casework as cw
from tests.api import pdfs
from tests.geofiles import geojson_file
from tests.web.drawkit import (
    TO_4326,
    drawn_buildings,
    house_near_boundary,
    metres,
    parcel_3067,
)
from tests.web.kit import (
    ARTIFACTS,
    MARKS,
    Watch,
    axe_violations,
    draw_polygon,
    find,
    open_page,
    settled,
    shot,
    sign_in,
)

pytestmark = MARKS


def _sea_point(engine: Any) -> tuple[float, float]:
    """1 km south of the southernmost Helsinki parcel (the Gulf of Finland), as (lat, lng)."""
    with engine.connect() as conn:
        x, y = conn.execute(
            text(
                "SELECT ST_X(ST_Centroid(geom)), ST_YMin(geom) - 1000 FROM parcel"
                " WHERE property_id LIKE '091%' ORDER BY ST_YMin(geom) LIMIT 1"
            )
        ).one()
        n = conn.execute(
            text(
                "SELECT count(*) FROM parcel WHERE ST_DWithin(geom, ST_SetSRID(ST_Point(:x, :y), 3067), 200)"
            ),
            {"x": x, "y": y},
        ).scalar_one()
    assert n == 0  # independently: no parcel data there
    lng, lat = TO_4326.transform(x, y)
    return lat, lng


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_site_in_the_sea_says_it_is_outside_the_data(
    browser: Any, server: str, nls: Any, lang: str
) -> None:
    lat, lng = _sea_point(nls)
    ctx, pg, watch = open_page(browser, f"{server}/?lang={lang}&at={lat:.6f},{lng:.6f},17")
    settled(pg)
    pg.click("#draw-site")
    draw_polygon(pg, [(0.40, 0.40), (0.60, 0.40), (0.60, 0.60), (0.40, 0.60)])
    pg.wait_for_selector("#error:not([hidden])")
    expected = {"fi": "ladatun aineiston ulkopuolella", "sv": "utanför de inlästa data"}[lang]
    assert expected in pg.inner_text("#error")
    assert pg.locator("#flags li.ok").count() == 0  # no all-clear, no 0,00 € fee list
    assert pg.locator("#fees li").count() == 0
    shot(pg, f"site-in-the-sea-{lang}")
    watch.errors = [
        e for e in watch.errors if "422" not in e
    ]  # the console notes the 422: the point here
    watch.clean()
    ctx.close()


def test_a_geojson_file_in_epsg_3067_loads_in_place(
    page: tuple[Any, Watch], server: str, tmp_path: Path
) -> None:
    """A QGIS-style export (EPSG:3067 coordinates, a `crs` member): the site and a house land where they are."""
    pg, watch = page
    parcel = parcel_3067(server)
    house = house_near_boundary(parcel, 3.0)
    path = geojson_file(
        tmp_path / "kohde-3067.geojson",
        [(parcel, {"role": "site"}), (house, {"nimi": "talo"})],
        crs="urn:ogc:def:crs:EPSG::3067",
    )
    pg.set_input_files("#load", str(path))
    pg.wait_for_selector("#a-shapes li[data-shape='building-1']")
    assert pg.locator("#a-shapes li[data-shape='site']").count() == 1
    (drawn,) = drawn_buildings(pg)
    assert drawn.hausdorff_distance(house) < 0.01  # centimetres, not kilometres
    pg.wait_for_selector("#setbacks tr[data-rule='boundary']")
    reported = metres(pg.inner_text("#setbacks tr[data-rule='boundary'] td:nth-child(3)"))
    assert abs(reported - house.distance(parcel.exterior)) <= 0.05
    shot(pg, "geojson-3067-loaded")
    watch.clean()


def test_a_building_by_numbers_lands_at_its_distance_from_the_chosen_edge(
    page: tuple[Any, Watch], server: str
) -> None:
    """Keyboard only: width × depth, the edge and the distance typed; shapely measures the result."""
    pg, watch = page
    find(pg, "91-22-694-25")
    pg.wait_for_selector("#fees li")
    pg.click("#by-numbers summary")
    pg.focus("#n-edge")
    edges = pg.locator("#n-edge option").count()
    assert edges >= 4
    # the longest edge (a house 1.5 m from it fits: the parcel is a few tens of metres deep)
    lengths = [
        metres(t.split("(")[1].rstrip(")")) for t in pg.locator("#n-edge option").all_inner_texts()
    ]
    longest = max(range(edges), key=lambda i: lengths[i])
    pg.select_option("#n-edge", str(longest))
    for sel, value in (
        ("#n-width", "12"),
        ("#n-depth", "8"),
        ("#n-distance", "1.5"),
        ("#n-rotation", "0"),
    ):
        pg.fill(sel, value)
    pg.focus("#n-add")
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#a-shapes li[data-shape='building-1']")
    (drawn,) = drawn_buildings(pg)
    parcel = parcel_3067(server)
    assert abs(drawn.area - 96.0) < 0.5, drawn.area
    ring = list(parcel.exterior.coords)
    # the chosen edge as the page lists it is one edge of the parcel: the nearest edge of the ring to the house
    gaps = sorted(shapely.LineString(e).distance(drawn) for e in zip(ring, ring[1:], strict=False))
    assert abs(gaps[0] - 1.5) <= 0.05, gaps[:3]
    pg.wait_for_selector("#setbacks tr[data-rule='boundary']")
    reported = metres(pg.inner_text("#setbacks tr[data-rule='boundary'] td:nth-child(3)"))
    assert abs(reported - drawn.distance(parcel.exterior)) <= 0.05
    # the same house again by typed ETRS-TM35FIN corners (the server reads them), written as
    # people write them: a decimal comma with a space or a semicolon between, or a point and a comma
    decimal_comma = (("{x} {y}", True), ("{x},{y}", False), ("{x}; {y}", True), ("{x}, {y}", False))
    lines = []
    for (x, y), (style, comma) in zip(list(drawn.exterior.coords)[:-1], decimal_comma, strict=True):
        fx, fy = (f"{v:.3f}".replace(".", ",") if comma else f"{v:.3f}" for v in (x, y))
        lines.append(style.format(x=fx, y=fy))
    corners = "\n".join(lines)
    assert any("," in ln and "." not in ln for ln in lines)  # a decimal comma is in the test
    pg.fill("#n-coords", corners)
    pg.select_option("#n-target", "building")
    pg.click("#n-coords-add")
    pg.wait_for_selector("#a-shapes li[data-shape='building-2']")
    second = drawn_buildings(pg)[1]
    assert second.hausdorff_distance(drawn) < 0.01
    shot(pg, "building-by-numbers")
    watch.clean()


# the page coordinates of the labels of private lots other than the given one (a public area's
# block is 99xx), well inside the map
OTHER_LOTS = """(own) => { const m = document.getElementById('map').getBoundingClientRect();
  return [...document.querySelectorAll('.parcel-label')]
    .filter((e) => e.textContent !== own && !(e.textContent.split('-')[2] || '99').startsWith('99'))
    .map((e) => { const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2, e.textContent]; })
    .filter(([x, y]) => x > m.x + 40 && x < m.right - 40 && y > m.y + 40 && y < m.bottom - 40); }"""


def _other_lots(pg: Any, own: str) -> list[tuple[float, float, str]]:
    """Where the labels of lots other than `own` lie on the map, once they are there: the ids
    come after the map stops. At zoom 20 over large lots none may lie in view (stop 59's run):
    the map is zoomed out a step then, as a user would."""
    for _ in range(4):
        settled(pg)
        try:
            found = pg.wait_for_function(
                f"(own) => {{ const s = ({OTHER_LOTS})(own); return s.length ? s : null; }}",
                arg=own,
                timeout=4000,
            ).json_value()
        except Exception:  # noqa: BLE001 (playwright's TimeoutError): none in view
            pg.click(".leaflet-control-zoom-out")
            continue
        settled(pg)  # and still there once the map is at rest (a fresh clone's map moved on)
        if [tuple(s) for s in pg.evaluate(OTHER_LOTS, own)][:1] == [tuple(found[0])]:
            return [tuple(s) for s in found]
    raise AssertionError("another private lot is labelled on the map")


def test_a_sauna_beside_an_existing_dwelling_lifts_the_planning_need_flag(
    page: tuple[Any, Watch], engine: Any
) -> None:
    """Stop 52's note: the page had no say over an existing dwelling and showed no lifted
    flag. A sauna on a plot in a planning-need area (chosen by SQL): told that no dwelling
    stands there, it is flagged; told that one does, the flag is shown lifted, with its basis
    (RakL 46 § 2 mom) in the page's language; told that none does, it is flagged again."""
    pg, watch = page
    pid, _ = cw.planning_need_plot(engine)
    find(pg, pid)
    pg.wait_for_selector("#fees li")
    pg.select_option("#b-use", "sauna")
    pg.fill("#b-floor", "12")
    pg.fill("#b-height", "3")
    pg.click("#by-numbers summary")
    for sel, value in (("#n-width", "4"), ("#n-depth", "3"), ("#n-distance", "6")):
        pg.fill(sel, value)
    pg.click("#n-add")
    pg.wait_for_selector("#a-shapes li[data-shape='building-1']")
    flagged = "#flags li[data-code='planning_need_area']:not(.lifted)"
    lifted = "#flags li.lifted[data-code='planning_need_area']"
    pg.select_option("#existing-dwelling", "no")
    pg.wait_for_selector(flagged)
    assert pg.locator(lifted).count() == 0
    pg.select_option("#existing-dwelling", "yes")
    pg.wait_for_selector(lifted)
    assert pg.locator(flagged).count() == 0
    said = pg.inner_text(lifted)
    assert "Suunnittelutarvealue" in said and "RakL 46 § 2 mom" in said, said
    pg.select_option("#lang", "sv")
    pg.wait_for_selector(f"{lifted}:has-text('bygglagen 46 § 2 mom.')")
    shot(pg, "lifted-flag")
    pg.select_option("#existing-dwelling", "no")
    pg.wait_for_selector(flagged)
    # walkthrough of stop 53: another plot picked on the map kept the answer given for this one
    # the sauna removed first: a building drawn on this plot lies outside another one, whose
    # analysis is then refused (422, said on the page), which is not what this step is about
    pg.click("#a-shapes li[data-shape='building-1'] button[data-action='delete']")
    pg.wait_for_selector("#a-shapes li[data-shape='building-1']", state="detached")
    assert pg.input_value("#existing-dwelling") == "no"
    pg.click("#pick-property")
    # another private lot's label on the map (a fixed offset from the centre hit a street area
    # now and then, whose analysis is refused): a click on it picks the lot it names (a label
    # sits inside its lot; at its centroid it could lie on another)
    x, y, label = _other_lots(pg, property_id.short(pid))[0]
    # the analysis of another plot: this plot's, without the sauna, may still be on its way
    # (stop 59's full run caught that one; so, likely, did two fresh clones before it)
    with pg.expect_request(
        lambda r: "/analysis/site" in r.url and (r.post_data_json or {}).get("property_id") != pid
    ) as asked:
        pg.mouse.click(x, y)
    body = asked.value.post_data_json
    assert body["property_id"] not in (None, pid), body
    assert property_id.short(body["property_id"]) == label, (body, label)
    assert "existing_dwelling" not in body and pg.input_value("#existing-dwelling") == ""
    watch.clean()


def _plot_with_a_building(pg: Any, pid: str, width: int, depth: int) -> None:
    """The plot found by search, a width × depth building placed on it by numbers, analysed."""
    find(pg, pid)
    pg.wait_for_selector("#fees li")
    pg.click("#by-numbers summary")
    for sel, value in (("#n-width", width), ("#n-depth", depth), ("#n-distance", 4)):
        pg.fill(sel, str(value))
    pg.click("#n-add")
    pg.wait_for_selector("#a-shapes li[data-shape='building-1']")
    pg.wait_for_selector("#fees li")


def _pick_other_lot(pg: Any, own: str) -> None:
    """Pick another private lot by its label, with buildings drawn: the page asks about them."""
    pg.click("#pick-property")
    x, y, _ = _other_lots(pg, own)[0]  # where the map came to rest (a move fits the view)
    pg.mouse.click(x, y)
    pg.wait_for_selector("#buildings-elsewhere:not([hidden])")


def test_buildings_drawn_on_one_plot_are_moved_kept_or_removed_when_another_is_picked(
    page: tuple[Any, Watch], engine: Any
) -> None:
    """Stop 54's note: picking another plot with a building drawn on the first showed only the
    analysis's 422 (the building lies outside the new site). The page asks first: move the
    buildings onto the new plot (checked inside it with shapely, shape kept), leave them, or
    remove them; undo brings the first plot and its building back."""
    from geo.crs import to_storage

    pg, watch = page
    pid = "09102206940025"
    _plot_with_a_building(pg, pid, 6, 4)
    _pick_other_lot(pg, property_id.short(pid))
    said = pg.inner_text("#buildings-elsewhere-text")
    assert pg.evaluate("() => document.activeElement.id") == "buildings-move"
    found = axe_violations(pg, "buildings elsewhere")
    assert not found, found
    shot(pg, "buildings-elsewhere")
    with pg.expect_request(lambda r: "/analysis/site" in r.url) as asked:
        pg.keyboard.press("Enter")  # the focused choice: move them
    body = asked.value.post_data_json
    other = body["property_id"]
    assert other != pid and property_id.short(other) in said, (other, said)
    assert "(1)" in said
    moved = to_storage(shapely.geometry.shape(body["buildings"][0]["footprint"]), 4326)
    assert moved.area == pytest.approx(24.0, abs=0.3)  # 6 m × 4 m, shape kept
    assert cw.unit_geometry(engine, other).contains(moved), "the building lies on the new plot"
    pg.wait_for_selector("#buildings-elsewhere", state="hidden")
    pg.wait_for_selector("#fees li")
    assert pg.is_hidden("#error")
    assert pg.inner_text("#draw-status").startswith("Rakennukset siirrettiin kiinteistölle")
    assert pg.evaluate("() => document.activeElement.id") == "pick-property"
    # undo: the first plot and the building where it was
    with pg.expect_request(lambda r: "/analysis/site" in r.url) as asked:
        pg.click("#undo")
    body = asked.value.post_data_json
    back = to_storage(shapely.geometry.shape(body["buildings"][0]["footprint"]), 4326)
    assert body["property_id"] == pid and cw.unit_geometry(engine, pid).contains(back)
    # another plot again: Escape withdraws the question and keeps the site
    _pick_other_lot(pg, property_id.short(pid))
    pg.keyboard.press("Escape")
    pg.wait_for_selector("#buildings-elsewhere", state="hidden")
    assert pg.evaluate("() => document.activeElement.id") == "pick-property"
    # and again: remove them
    _pick_other_lot(pg, property_id.short(pid))
    with pg.expect_request(lambda r: "/analysis/site" in r.url) as asked:
        pg.click("#buildings-remove")
    body = asked.value.post_data_json
    assert body["property_id"] != pid and body["buildings"] == []
    assert pg.inner_text("#draw-status") == "Rakennukset poistettiin."
    assert pg.locator("#a-shapes li[data-shape='building-1']").count() == 0
    pg.wait_for_selector("#fees li")
    watch.clean()


def _search_other_plot(pg: Any, other: str) -> None:
    """Another plot chosen by keyboard from the search (with buildings drawn: the question opens)."""
    pg.fill("#search", property_id.short(other))
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#search-results button")
    pg.focus("#search-results button >> nth=0")
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#buildings-elsewhere:not([hidden])")


def test_a_plot_found_by_search_asks_about_the_buildings_too(
    page: tuple[Any, Watch], engine: Any
) -> None:
    """Stop 55's walkthrough: the search (the keyboard's way to choose a plot) dropped the
    drawing unasked. It asks as a pick on the map does, all by keyboard."""
    from geo.crs import to_storage

    pg, watch = page
    pid, other = "09102206940025", "09102206970018"
    _plot_with_a_building(pg, pid, 5, 3)
    _search_other_plot(pg, other)
    assert property_id.short(other) in pg.inner_text("#buildings-elsewhere-text")
    assert pg.evaluate("() => document.activeElement.id") == "buildings-move"
    assert pg.locator("#a-shapes li[data-shape='building-1']").count() == 1
    with pg.expect_request(lambda r: "/analysis/site" in r.url) as asked:
        pg.keyboard.press("Enter")
    body = asked.value.post_data_json
    assert body["property_id"] == other, body
    moved = to_storage(shapely.geometry.shape(body["buildings"][0]["footprint"]), 4326)
    assert moved.area == pytest.approx(15.0, abs=0.3)
    assert cw.unit_geometry(engine, other).contains(moved), "the building lies on the plot found"
    pg.wait_for_selector("#fees li")
    assert pg.is_hidden("#error")
    watch.clean()


def test_a_street_found_withdraws_the_question_about_the_buildings(
    page: tuple[Any, Watch],
) -> None:
    """Stop 56's list: with the question about the buildings open, a search for a street took
    the map away from the plot and left the question about it on screen. A street found is
    another choice: the question goes, the drawing stays as it was."""
    pg, watch = page
    pid, other = "09102206940025", "09102206970018"
    _plot_with_a_building(pg, pid, 5, 3)
    _search_other_plot(pg, other)
    pg.fill("#search", "Roomankatu")
    pg.keyboard.press("Enter")
    pg.click("#search-results button:has-text('Roomankatu / Romgatan')")
    pg.wait_for_selector("#buildings-elsewhere", state="hidden")
    assert pg.locator("#a-shapes li[data-shape='building-1']").count() == 1
    assert pg.evaluate("() => document.activeElement.id") == "search"
    watch.clean()


def test_officer_made_up_id_is_refused_and_the_package_counts_what_the_screen_counts(
    page: tuple[Any, Watch],
) -> None:
    pg, watch = page
    sign_in(pg, "officer")
    pg.click("#tab-officer")
    find(pg, "091-022-0694-0025")
    pg.wait_for_selector("#o-table tbody tr")
    rows = pg.locator("#o-table tbody tr").count()
    pg.fill("#add-id", "91-22-9999-9999")
    pg.fill("#add-reason", "keksitty")
    pg.click("#add-btn")
    pg.wait_for_selector("#error:not([hidden])")
    # refused there and then, not at printing
    assert pg.locator("#o-table tbody tr").count() == rows
    letters = pg.inner_text("#o-totals")
    pg.fill("#add-id", "91-22-700-11")
    pg.fill("#add-reason", "näkymä pihalle")
    pg.click("#add-btn")
    pg.wait_for_selector("#o-table tbody tr[data-relation='manual']")
    assert pg.locator("#o-table tbody tr").count() == rows + 1
    assert pg.inner_text("#o-totals") != letters  # one letter more, counted by the server
    screen = pg.inner_text("#o-totals").split("·")[0]  # "Kirjeitä: 5"
    remove = pg.locator("#o-table tbody tr >> nth=-1").locator("button")
    assert remove.is_visible()
    box_ = remove.bounding_box()
    panel = pg.locator("#panel").bounding_box()
    assert box_["x"] + box_["width"] <= panel["x"] + panel["width"] + 1  # "Remove" not cut off
    shot(pg, "officer-table-with-addition")
    with pg.context.expect_page() as popup_info:
        pg.click("#package")
    popup = popup_info.value
    popup.wait_for_selector("table tbody tr")
    popup.wait_for_selector("img.paper-map")
    body = popup.inner_text("body")
    assert screen.strip() in body, (screen, body[:400])
    ARTIFACTS.mkdir(exist_ok=True)
    popup.screenshot(path=str(ARTIFACTS / "officer-package-with-addition.png"), full_page=True)
    watch.failed = [f for f in watch.failed if "hearing/list" not in f]
    watch.errors = [e for e in watch.errors if "404" not in e and "422" not in e]
    watch.clean()


@pytest.fixture()
def heard(server: str, tokens: dict[str, str], engine: Any) -> Iterator[dict[str, Any]]:
    """A building permit filed and submitted through the API, its letters sent (deleted afterwards)."""
    with httpx.Client(
        base_url=server, headers={"Authorization": f"Bearer {tokens['applicant']}"}, timeout=60
    ) as c:
        app = cw.file_and_submit(
            c,
            {
                "kind": "deviation",
                "property_id": "91-22-694-25",
                "description": "Omakotitalo ja autokatos",
            },
        )
    yield app
    cw.delete_application(engine, app["id"])


def test_the_hearing_package_pdf_names_every_neighbour(
    page: tuple[Any, Watch],
    heard: dict[str, Any],
    server: str,
    tokens: dict[str, str],
    tmp_path: Path,
) -> None:
    pg, watch = page
    app_id = heard["id"]
    sign_in(pg, "officer")
    pg.click("#tab-cases")
    pg.wait_for_selector(f"#cases-table tr[data-id='{app_id}']")
    pg.click(f"#cases-table tr[data-id='{app_id}'] button")
    pg.wait_for_selector("#hearing-table tbody tr")
    on_screen = pg.inner_text("#hearing-table")
    with httpx.Client(
        base_url=server, headers={"Authorization": f"Bearer {tokens['officer']}"}, timeout=60
    ) as c:
        doc = c.get(f"/api/v1/applications/{app_id}/hearing").json()
    ids = sorted({i for a in doc["addressees"] for i in a["property_ids_short"]})
    assert ids and all(i in on_screen for i in ids)
    with pg.expect_download() as dl:
        pg.click("#package-pdf")
    pdf = tmp_path / "package.pdf"
    dl.value.save_as(str(pdf))
    words = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    missing = [i for i in ids if i not in words]
    assert missing == [], missing
    assert "Omakotitalo ja autokatos" in words and "Hakija" in words and "Päivämäärä" in words
    assert "huomautuksensa" in words  # the reply instructions
    # test-artifacts/hearing-package-pdf-ui.png (the API test writes hearing-package-pdf.png)
    page1 = pdfs.render(pdf.read_bytes(), "hearing-package-pdf-ui")
    assert page1.width > 400
    assert dl.value.suggested_filename == f"kuuleminen-{app_id}.pdf"
    # stop 52's note: a Swedish page saved the files under Finnish names
    pg.select_option("#lang", "sv")
    pg.wait_for_selector("html[lang='sv']", state="attached")
    with pg.expect_download() as dl_sv:
        pg.click("#package-pdf")
    assert dl_sv.value.suggested_filename == f"hörande-{app_id}.pdf"
    watch.clean()


def test_a_language_switch_fetches_the_servers_texts_again(page: tuple[Any, Watch]) -> None:
    """Issue 15: the fee lines and flags are the server's texts in the page's language (?lang=), not Finnish fields."""
    pg, watch = page
    asked: list[str] = []
    pg.on("request", lambda r: asked.append(r.url) if "/api/v1/analysis/site" in r.url else None)
    find(pg, "91-22-694-25")
    pg.click("#draw-building")
    draw_polygon(pg, [(0.48, 0.48), (0.52, 0.48), (0.52, 0.52), (0.48, 0.52)])
    pg.wait_for_selector(
        "#fees li[data-code='building_permit']:has-text('rakennuslupa, rakennus 1')"
    )
    pg.select_option("#lang", "sv")
    pg.wait_for_selector("#fees li[data-code='building_permit']:has-text('bygglov, byggnad 1')")
    assert "rakennuslupa" not in pg.inner_text("#fees")
    assert any("lang=fi" in u for u in asked) and "lang=sv" in asked[-1]
    shot(pg, "language-switch-sv")
    # stop 55's walkthrough: the page's own status line and the site's edge list stayed Finnish
    catalogue = {
        lang: json.loads(Path(f"web/static/i18n/{lang}.json").read_text(encoding="utf-8"))
        for lang in ("sv", "en")
    }
    pg.click("#pick-property")
    assert pg.inner_text("#draw-status") == catalogue["sv"]["hint_pick"]
    pg.click("#by-numbers summary")
    first = pg.locator("#n-edge option").first
    assert first.inner_text().startswith(catalogue["sv"]["edge"] + " 1 ("), first.inner_text()
    pg.select_option("#lang", "en")
    pg.wait_for_selector(f"#draw-status:has-text('{catalogue['en']['hint_pick']}')")
    assert first.inner_text().startswith(catalogue["en"]["edge"] + " 1 ("), first.inner_text()
    watch.clean()
