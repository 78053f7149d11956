"""What the browser tests share: Chromium's path, a console watcher, screenshots, search, sign-in, drawing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, TEST_PASSWORD, TEST_USERS, needs_nls

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
MARKS = [
    needs_nls,
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian's chromium is not installed (make deps installs it)",
    ),
]


class Watch:
    """Collects console errors, failed requests and requests that leave this machine."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.external: list[str] = []
        self.log: list[str] = []  # every API answer, for the record a failed test leaves
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on(
            "request",
            lambda r: (
                self.external.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
                else None
            ),
        )

        page.on(
            "response",
            lambda r: (
                self.log.append(f"{r.status} {r.request.method} {r.url}")
                if "/api/" in r.url
                else None
            ),
        )

    def clean(self) -> None:
        found = {"errors": self.errors, "failed": self.failed, "external": self.external}
        assert self.errors == [] and self.failed == [] and self.external == [], found


def shot(pg: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def find(pg: Any, q: str) -> None:
    pg.fill("#search", q)
    pg.click("#search-form button[type=submit]")
    pg.click("#search-results button >> nth=0")
    pg.wait_for_timeout(600)
    settled(pg)


# True once the map's panes have kept their place for 300 ms and no zoom animation runs: on a
# busy machine the move to a search result can outlast a fixed wait, and a drawing made while
# the map still moves lands somewhere else.
_SETTLED = """() => {
  const t = [...document.querySelectorAll('.leaflet-map-pane, .leaflet-proxy')]
    .map((e) => e.style.transform).join('|');
  const now = performance.now();
  if (window.__mapT !== t) { window.__mapT = t; window.__mapSince = now; return false; }
  return now - window.__mapSince > 300 && !document.querySelector('.leaflet-zoom-anim');
}"""


def settled(pg: Any) -> None:
    """Wait until the map has stopped moving."""
    pg.wait_for_function(_SETTLED, polling=100)


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
