"""Routers may be matched in any order: no path of one router is matched by another's routes.

`api.app.ROUTERS` puts the routers of the busiest requests first (routes are tried one by one).
That is only safe while no concrete path of one router's routes could be taken by a route of
another router: this test fills each route's path parameters and tries every other router.
"""

from __future__ import annotations

import re

from starlette.routing import Match

from api.app import ROUTERS

FILLERS = ("1", "x", "at", "check", "neighbours", "list")  # digits, words and literal segments


def concrete_paths(path: str) -> list[str]:
    """The path with its {parameters} filled in each of a few ways."""
    return [re.sub(r"\{[^}]+\}", filler, path) for filler in FILLERS]


def test_no_path_is_matched_by_two_routers() -> None:
    clashes = []
    for i, module in enumerate(ROUTERS):
        for route in module.router.routes:
            for path in concrete_paths(route.path):  # type: ignore[attr-defined]
                for method in sorted(route.methods or {"GET"}):  # type: ignore[attr-defined]
                    scope = {"type": "http", "path": path, "method": method, "root_path": ""}
                    for j, other in enumerate(ROUTERS):
                        if j == i:
                            continue
                        for candidate in other.router.routes:
                            match, _ = candidate.matches(scope)
                            if match != Match.NONE:
                                clashes.append((path, method, module.__name__, other.__name__))
    assert clashes == []


def test_the_busiest_routers_come_first() -> None:
    names = [m.__name__.rsplit(".", 1)[1] for m in ROUTERS]
    assert names[:4] == ["tiles", "neighbours", "analysis", "excavations"]
