"""Street crossing areas carry the name of the centrelines running longest inside each parcel.

A generated town is loaded first into an empty database (the crossing areas' indexes and keys
set aside and made again), then the real NLS Helsinki parcels and roads are imported beside
it (the crossing areas rebuilt over the roads' box, indexes kept). Each street unit's names
are then worked out here one parcel at a time, with plain shapely and a dict: the lines that
meet the parcel grouped by name, a named group before the unnamed one, the longest summed
length inside first, equal lengths by name; no line, or only unnamed ones: the unit's name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
import shapely
from sqlalchemy import Engine, text

from api import ingest
from api.ingest.demo import loader
from tests.conftest import HAVE_NLS, NLS

MUN = "996"
ORIGIN = (640_000.0, 7_330_000.0)


def _rows(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql)))


def _expected(engine: Engine) -> tuple[dict[str, set[tuple[str, bool]]], Counter[str]]:
    """Each street unit's (name, state road) of its parcels; per municipality, how many parcels
    more than one name met (the lengths decided)."""
    parcels = _rows(
        engine,
        "SELECT u.property_id, u.name, ST_AsBinary(p.geom) FROM property_unit u"
        " JOIN parcel p USING (property_id)"
        " WHERE u.kind = 'public' AND u.public_type IN ('street', 'traffic')",
    )
    lines = _rows(engine, "SELECT ST_AsBinary(geom), name_fi, state_road FROM road_centreline")
    geoms = [shapely.from_wkb(bytes(r[0])) for r in lines]
    tree = shapely.STRtree(geoms)
    out: dict[str, set[tuple[str, bool]]] = defaultdict(set)
    choices: Counter[str] = Counter()
    for pid, unit_name, wkb in parcels:
        parcel = shapely.from_wkb(bytes(wkb))
        groups: dict[str | None, list[float]] = {}
        for k in tree.query(parcel):  # boxes only; the test below is the exact one
            if geoms[k].intersects(parcel):
                acc = groups.setdefault(lines[k][1], [0.0, 0.0])
                acc[0] += geoms[k].intersection(parcel).length
                acc[1] = max(acc[1], float(lines[k][2]))
        if not groups:
            out[pid].add((unit_name, False))
            continue
        best = min(groups, key=lambda n: (n is None, -groups[n][0], n or ""))
        choices[pid[:3]] += sum(n is not None for n in groups) > 1
        out[pid].add((best or unit_name, bool(groups[best][1])))
    return out, choices


@pytest.mark.skipif(
    not HAVE_NLS, reason=f"the NLS Helsinki sample is not at {NLS} (../shared absent)"
)
def test_street_crossing_areas_are_named_after_the_longest_centreline(target: Engine) -> None:
    loader.reset(target)
    loader.load(target, 3000, MUN, seed=5, origin=ORIGIN)  # a first load: into_empty
    ingest.import_parcels(target, NLS / "parcels.gpkg")
    ingest.import_roads(target, NLS / "roads.gpkg")  # rebuilds the crossing areas it meets

    expected, choices = _expected(target)
    found: dict[str, set[tuple[str, bool]]] = defaultdict(set)
    for pid, name, state_road in _rows(
        target,
        "SELECT property_id, name, state_road FROM crossing_area"
        " WHERE kind = 'road' AND property_id IS NOT NULL",
    ):
        found[pid].add((name, state_road))
    assert Counter(k[:3] for k in expected) == {"091": 19, MUN: 481}  # street units
    assert choices["091"] >= 5 and choices[MUN] > 100  # the lengths decided
    assert found == expected
