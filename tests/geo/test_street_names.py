"""Street parcels named after the centrelines running longest inside them (geo/street_names.py).

The expected names are worked out by hand from the drawn geometry (lengths of axis-parallel
segments inside boxes) and, for a random street grid, one parcel at a time with plain shapely
and a dict, the way the SQL statement it replaces did it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
import shapely

from geo import street_names
from geo.street_names import longest_names

Lines = Sequence[tuple[Any, str | None, bool]]


def _named(parcels: list[Any], lines: Lines, **kw: Any) -> dict[int, Any]:
    found = longest_names(
        np.array(parcels, dtype=object),
        np.array([g for g, _, _ in lines], dtype=object),
        [n for _, n, _ in lines],
        np.array([s for _, _, s in lines], bool),
        **kw,
    )
    assert len(set(found.parcel.tolist())) == len(found.parcel)  # each parcel once
    return {
        int(p): (n, bool(s))
        for p, n, s in zip(found.parcel, found.name, found.state_road, strict=True)
    }


def seg(x0: float, y0: float, x1: float, y1: float) -> Any:
    return shapely.LineString([(x0, y0), (x1, y1)])


def test_the_longest_name_inside_wins_summed_over_its_lines() -> None:
    street = shapely.box(0, 0, 100, 20)
    lines = [
        (seg(-50, 10, 30, 10), "Aleksanterinkatu", False),  # 30 m inside
        (seg(30, 10, 60, 10), "Aleksanterinkatu", False),  # 30 m more: 60 m in all
        (seg(60, 10, 150, 10), "Bulevardi", True),  # 40 m inside, 90 m long
        (seg(50, -30, 50, 50), "Cygnaeuksenkatu", False),  # crosses: 20 m inside
    ]
    assert _named([street], lines) == {0: ("Aleksanterinkatu", False)}
    # Bulevardi longer inside than the two Aleksanterinkatu lines together: it wins, a state road
    lines[2] = (seg(0, 5, 100, 5), "Bulevardi", True)
    assert _named([street], lines) == {0: ("Bulevardi", True)}


def test_a_named_line_before_an_unnamed_one_and_ties_by_name() -> None:
    street = shapely.box(0, 0, 100, 20)
    unnamed_long = (seg(0, 10, 100, 10), None, True)
    short = (seg(0, 5, 10, 5), "Albertinkatu", False)
    assert _named([street], [unnamed_long, short]) == {0: ("Albertinkatu", False)}
    # only unnamed lines: the unnamed group (the unit's own name is used), its state road flag
    assert _named([street], [unnamed_long]) == {0: (None, True)}
    # 40 m each: the name first in code point order, whichever line comes first
    tie = [(seg(0, 5, 40, 5), "Fredrikinkatu", False), (seg(0, 15, 40, 15), "Eerikinkatu", False)]
    assert _named([street], tie) == {0: ("Eerikinkatu", False)}
    assert _named([street], tie[::-1]) == {0: ("Eerikinkatu", False)}


def test_a_parcel_no_line_meets_is_left_out_and_each_parcel_is_named_on_its_own() -> None:
    parcels = [
        shapely.box(0, 0, 100, 20),
        shapely.box(500, 0, 600, 20),
        shapely.box(0, 20, 20, 200),
    ]
    lines = [
        (seg(10, -10, 10, 150), "Mannerheimintie", True),
        (seg(0, 10, 100, 10), "Esplanadi", False),
    ]
    # parcel 0: Esplanadi 100 m against Mannerheimintie 20 m; parcel 2: Mannerheimintie alone
    # (the Esplanadi line touches its edge at one point: it meets it, with no length inside)
    assert _named(parcels, lines) == {0: ("Esplanadi", False), 2: ("Mannerheimintie", True)}
    assert _named(parcels, []) == {}


def line_groups(parcel: Any, lines: Lines) -> dict[str | None, list[float]]:
    """The lines meeting a parcel by name: [summed length inside, 1.0 if any is a state road]."""
    groups: dict[str | None, list[float]] = {}
    for g, n, s in lines:
        if g.intersects(parcel):
            acc = groups.setdefault(n, [0.0, 0.0])
            acc[0] += g.intersection(parcel).length
            acc[1] = max(acc[1], float(s))
    return groups


def winner(groups: dict[str | None, list[float]]) -> str | None:
    """A named group before the unnamed one, then the longest, then the first name."""
    return min(groups, key=lambda n: (n is None, -groups[n][0], n or ""))


def _one_by_one(parcels: list[Any], lines: Lines) -> dict[int, Any]:
    """The rule written out per parcel: group the lines meeting it by name, sum their lengths."""
    out = {}
    for k, p in enumerate(parcels):
        groups = line_groups(p, lines)
        if groups:
            best = winner(groups)
            out[k] = (best, bool(groups[best][1]))
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_a_random_street_grid_equals_the_rule_parcel_by_parcel(
    workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(street_names, "CHUNK", 97)  # many chunks over the threads
    rng = np.random.default_rng(12)
    parcels = [
        shapely.affinity.rotate(
            shapely.box(x, y, x + rng.uniform(20, 200), y + rng.uniform(8, 30)), rng.uniform(0, 180)
        )
        for x, y in rng.uniform(0, 2000, (400, 2))
    ]
    names = ["Annankatu", "Bulevardi", "Eira", None, "Kalevankatu", "Ääkkönen"]
    lines = [
        (
            shapely.LineString(
                rng.uniform(0, 2000, 2)
                + rng.uniform(-120, 120, (int(rng.integers(2, 5)), 2)).cumsum(0)
            ),
            names[int(rng.integers(len(names)))],
            bool(rng.random() < 0.2),
        )
        for _ in range(1500)
    ]
    expected = _one_by_one(parcels, lines)
    assert len(expected) > 200
    assert sum(1 for k in expected if sum(g.intersects(parcels[k]) for g, _, _ in lines) > 1) > 50
    assert _named(parcels, lines, workers=workers) == expected
