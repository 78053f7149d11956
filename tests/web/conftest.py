"""Browser-test fixtures: the service on a real socket (the test database) and Debian's Chromium."""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterator
from typing import Any

import pytest

from tests.server import serving
from tests.web.kit import ARTIFACTS, CHROMIUM, Watch


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Generator[None, Any, None]:
    """Keep each phase's report on the test item, so a fixture can see whether the test failed."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def keep_failure(request: Any, pg: Any, watch: Watch) -> None:
    """After a failed test: a screenshot of the page and its API answers in test-artifacts/."""
    rep = getattr(request.node, "rep_call", None)
    if rep is None or not rep.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = "failed-" + "".join(c if c.isalnum() else "_" for c in request.node.name)
    with contextlib.suppress(Exception):  # a closed page leaves the log only
        pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    text = "\n".join([*watch.log, "errors:", *watch.errors, "failed:", *watch.failed])
    (ARTIFACTS / f"{name}.txt").write_text(text, encoding="utf-8")


# One server and one browser for all the browser tests (their modules run last and together):
# starting each for every module took 5-10 s a module. Each test still gets a page of its own
# in a fresh browser context, and the server keeps nothing of a request beyond the database
# (rate limits in the tests are set far beyond what they send).
@pytest.fixture(scope="session")
def server(nls: Any, demo: Any, settings: Any, users: Any) -> Iterator[str]:
    with serving(settings.db_name) as base:
        yield base


@pytest.fixture(scope="session")
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


@pytest.fixture(autouse=True)
def _close_contexts(request: Any) -> Iterator[None]:
    """After each browser test, close the contexts it left open (one that failed midway)."""
    yield
    if "browser" in request.fixturenames:
        for ctx in list(request.getfixturevalue("browser").contexts):
            with contextlib.suppress(Exception):  # already closed by the test
                ctx.close()


@pytest.fixture()
def page(browser: Any, server: str, request: Any) -> Iterator[tuple[Any, Watch]]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    pg = ctx.new_page()
    watch = Watch(pg)
    pg.goto(server + "/?lang=fi")
    pg.wait_for_selector("body[data-ready='1']")
    yield pg, watch
    keep_failure(request, pg, watch)
    ctx.close()
