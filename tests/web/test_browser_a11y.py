"""Accessibility in the real Chromium: axe-core, the reference rule engine for WCAG checks
(bundled in axe-playwright-python), finds no violation on the main views, in Finnish on a
desktop and in Swedish on a phone (its own layout: the results sheet, the wrapped header): the
applicant with a drawn site's analysis, the contractor with a dig area's findings, the
applicant's filed case, and the officer with a neighbour list and the case's hearing table.
In English, on a desktop, the views an anonymous applicant sees. The signed-in views are the
same page in another language: what a language can change for axe, an empty name or label, is
what tests/api/test_i18n.py refuses in every catalogue (every text there is non-empty).

Stop 54 found one this way: the last column of the officer's neighbour table and of the
hearing table (the row's buttons) had an empty header, read out as nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api import casework as cw
from tests.web.kit import MARKS, Watch, axe_violations, draw_polygon, find, sign_in

pytestmark = MARKS

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 860}}


def _draw(pg: Any, pts: list[tuple[float, float]], then: str) -> None:
    """Draw on the map (a phone's results sheet closed first, then opened to be read)."""
    phone = pg.is_visible("#sheet-toggle")
    if phone and pg.get_attribute("#sheet-toggle", "aria-expanded") == "true":
        pg.click("#sheet-toggle")
        pg.wait_for_selector("body:not(.sheet-open)")
    draw_polygon(pg, pts)
    pg.wait_for_selector(then, state="attached")
    if (
        pg.is_visible("#sheet-toggle")
        and pg.get_attribute("#sheet-toggle", "aria-expanded") != "true"
    ):
        pg.click("#sheet-toggle")
    pg.wait_for_selector(then)


@pytest.fixture()
def case(server: str, tokens: dict[str, str], engine: Any) -> Iterator[int]:
    """A deviation filed and submitted by the test applicant (deleted afterwards)."""
    headers = {"Authorization": f"Bearer {tokens['applicant']}"}
    with httpx.Client(base_url=server, headers=headers, timeout=30) as c:
        app = cw.file_and_submit(
            c, {"kind": "deviation", "property_id": "91-22-697-18", "description": "Katos"}
        )
    yield int(app["id"])
    cw.delete_application(engine, app["id"])


@pytest.mark.parametrize(
    ("lang", "phone", "signed_in"), [("fi", False, True), ("sv", True, True), ("en", False, False)]
)
def test_the_main_views_have_no_accessibility_violations(
    browser: Any, server: str, case: int, lang: str, phone: bool, signed_in: bool
) -> None:
    found: list[str] = []

    def opened(path: str) -> tuple[Any, Watch]:
        ctx = browser.new_context(**(PHONE if phone else DESKTOP))
        pg = ctx.new_page()
        watch = Watch(pg)
        pg.goto(f"{server}/?lang={lang}{path}")
        pg.wait_for_selector("body[data-ready='1']")
        return pg, watch

    # the applicant: the start, then a site drawn on a plot with its analysis
    pg, watch = opened("")
    found += axe_violations(pg, "start")
    find(pg, "91-22-694-25")
    pg.click("#draw-site")
    _draw(pg, [(0.4, 0.3), (0.6, 0.3), (0.6, 0.45), (0.4, 0.45)], "#a-neighbours li")
    found += axe_violations(pg, "applicant's analysis")
    watch.clean()
    if not signed_in:
        assert not found, "\n".join(found)
        return
    # the contractor: a dig area's findings
    pg, watch = opened("")
    sign_in(pg, "contractor")
    pg.click("#tab-contractor")
    find(pg, "91-22-694-25")
    pg.click("#draw-dig")
    _draw(pg, [(0.45, 0.3), (0.55, 0.3), (0.55, 0.4), (0.45, 0.4)], "#findings li")
    found += axe_violations(pg, "contractor's findings")
    watch.clean()
    # the applicant's own case: the worklist, then the case with its checklist and steps
    pg, watch = opened("")
    sign_in(pg, "applicant")
    pg.click("#tab-cases")
    pg.wait_for_selector(f"#cases-table tr[data-id='{case}']")
    found += axe_violations(pg, "applicant's cases")
    pg.click(f"#cases-table tr[data-id='{case}'] button")
    pg.wait_for_selector("#case-checklist li")
    found += axe_violations(pg, "applicant's case")
    watch.clean()
    # the officer: a property's neighbour list, then the filed case with its hearing table
    pg, watch = opened("")
    sign_in(pg, "officer")
    pg.click("#tab-officer")
    find(pg, "91-22-694-25")
    pg.wait_for_selector("#o-table tbody tr")
    found += axe_violations(pg, "officer's neighbour list")
    pg.click("#tab-cases")
    pg.click(f"#cases-table tr[data-id='{case}'] button")
    pg.wait_for_selector("#hearing-table tbody tr")
    found += axe_violations(pg, "officer's case")
    watch.clean()
    assert not found, "\n".join(found)
