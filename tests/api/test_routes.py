"""Routers may be matched in any order: no path of one router is matched by another's routes.

`api.app.ROUTERS` puts the routers of the busiest requests first (routes are tried one by one).
That is only safe while no concrete path of one router's routes could be taken by a route of
another router: this test fills each route's path parameters and tries every other router.
"""

from __future__ import annotations

import re

from starlette.routing import Match

from api.app import ROUTERS


def fillers() -> list[str]:
    """Values for path parameters: digits, a word, and every literal segment of every route.

    A literal segment of one route where another has a parameter is where two routes can
    meet (`/parcels/at` and `/parcels/{property_id}`).
    """
    words = {"1", "x"}
    for module in ROUTERS:
        for route in module.router.routes:
            path: str = route.path  # type: ignore[attr-defined]
            words |= {seg for seg in path.split("/") if seg and "{" not in seg}
    return sorted(words)


def concrete_paths(path: str, values: list[str]) -> list[str]:
    """The path with its {parameters} filled, each time all with one of `values`."""
    return [re.sub(r"\{[^}]+\}", value, path) for value in values]


def test_no_path_is_matched_by_two_routers() -> None:
    clashes = []
    values = fillers()
    for i, module in enumerate(ROUTERS):
        for route in module.router.routes:
            for path in concrete_paths(route.path, values):  # type: ignore[attr-defined]
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
