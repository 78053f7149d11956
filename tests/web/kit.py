"""What the browser tests share: Chromium's path, a console watcher, screenshots, search, sign-in, drawing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, TEST_PASSWORD, TEST_USERS, needs_nls
from tests.web.mapkit import CHROMIUM, Watch, find, settled

ARTIFACTS = ROOT / "test-artifacts"
MARKS = [
    needs_nls,
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian's chromium is not installed (make deps installs it)",
    ),
]


def shot(pg: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def sign_in(pg: Any, who: str) -> None:
    """Sign in through the header's form as one of the test accounts."""
    pg.click("#signin summary")
    pg.fill("#signin-email", TEST_USERS[who][0])
    pg.fill("#signin-password", TEST_PASSWORD)
    pg.press("#signin-password", "Enter")
    pg.wait_for_selector("#signout:not([hidden])")


def draw_polygon(pg: Any, pts: list[tuple[float, float]]) -> None:
    box = pg.locator("#map").bounding_box()
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in pts]
    for x, y in xy:
        pg.mouse.move(x, y)
        pg.mouse.click(x, y)
        pg.wait_for_timeout(120)
    pg.mouse.click(*xy[0])  # clicking the first vertex closes the polygon
    pg.wait_for_timeout(200)


def open_page(
    browser: Any, url: str, width: int = 1280, height: int = 860, **options: Any
) -> tuple[Any, Any, Watch]:
    """A new browser context at this viewport with the page at url, ready; dialogs are accepted."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, **options)
    pg = ctx.new_page()
    watch = Watch(pg)
    pg.on("dialog", lambda d: d.accept())
    pg.goto(url)
    pg.wait_for_selector("body[data-ready='1']")
    return ctx, pg, watch


__all__ = ["CHROMIUM", "Watch", "find", "settled"]  # kept here for the tests that import them


def axe_violations(pg: Any, view: str) -> list[str]:
    """What axe-core (WCAG rules) finds wrong on the page as it stands, a line per rule and element."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(pg).response["violations"]
    return [
        f"{view}: {v['id']} ({v['impact']}): {v['help']} at {n['target']}"
        for v in found
        for n in v["nodes"]
    ]
