"""Browser-test fixtures: the service on a real socket (the test database) and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.server import serving
from tests.web.kit import CHROMIUM, Watch


@pytest.fixture(scope="module")
def server(nls: Any, demo: Any, settings: Any, users: Any) -> Iterator[str]:
    with serving(settings.db_name) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[tuple[Any, Watch]]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    pg = ctx.new_page()
    watch = Watch(pg)
    pg.goto(server + "/?lang=fi")
    pg.wait_for_selector("body[data-ready='1']")
    yield pg, watch
    ctx.close()
