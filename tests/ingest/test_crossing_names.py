"""Street crossing areas carry the name of the centrelines running longest inside each parcel.

A generated town is loaded first into an empty database (the crossing areas' indexes and keys
set aside and made again; its lines read by box), then the real NLS Helsinki parcels and roads
are imported beside it (the crossing areas rebuilt over the roads' box, indexes kept; lines
read parcel by parcel). Each street parcel's name is then worked out here with plain shapely
and a dict: the lines that meet the parcel grouped by name, a named group before the unnamed
one, the longest summed length inside first, equal lengths by name; no line, or only unnamed
ones: the unit's name. Each crossing-area piece is matched to the parcel it was cut from.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import shapely
from sqlalchemy import Engine, text

from api import ingest
from api.ingest import derive
from api.ingest.demo import loader
from api.storage.engine import run_named
from tests.conftest import HAVE_NLS, NLS
from tests.geo.test_street_names import line_groups, winner

MUN = "996"
ORIGIN = (640_000.0, 7_330_000.0)


def _rows(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql)))


def _expected(engine: Engine) -> tuple[dict[int, tuple[str, bool]], Counter[str]]:
    """Each street parcel's (name, state road); per municipality, how many parcels more than
    one name met (the lengths decided)."""
    parcels = _rows(
        engine,
        "SELECT p.id, u.property_id, u.name, ST_AsBinary(p.geom) FROM property_unit u"
        " JOIN parcel p USING (property_id)"
        " WHERE u.kind = 'public' AND u.public_type IN ('street', 'traffic')",
    )
    lines = _rows(engine, "SELECT ST_AsBinary(geom), name_fi, state_road FROM road_centreline")
    geoms = [shapely.from_wkb(bytes(r[0])) for r in lines]
    tree = shapely.STRtree(geoms)
    out: dict[int, tuple[str, bool]] = {}
    choices: Counter[str] = Counter()
    for parcel_id, pid, unit_name, wkb in parcels:
        parcel = shapely.from_wkb(bytes(wkb))
        near = [(geoms[k], lines[k][1], lines[k][2]) for k in tree.query(parcel)]  # by box
        groups = line_groups(parcel, near)
        if not groups:
            out[parcel_id] = (unit_name, False)
            continue
        best = winner(groups)
        choices[pid[:3]] += sum(n is not None for n in groups) > 1
        out[parcel_id] = (best or unit_name, bool(groups[best][1]))
    return out, choices


@pytest.mark.skipif(
    not HAVE_NLS, reason=f"the NLS Helsinki sample is not at {NLS} (../shared absent)"
)
def test_street_crossing_areas_are_named_after_the_longest_centreline(
    target: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []

    def spy(cur: Any, name: str, **params: Any) -> Any:
        read.append(name)
        return run_named(cur, name, **params)

    monkeypatch.setattr(derive, "run_named", spy)
    loader.reset(target)
    monkeypatch.setattr(derive, "FEW_PARCELS", 0)  # the town's lines read in one scan of a box
    loader.load(target, 3000, MUN, seed=5, origin=ORIGIN)  # a first load: into_empty
    monkeypatch.setattr(derive, "FEW_PARCELS", 10**9)  # Helsinki's: one probe per parcel
    ingest.import_parcels(target, NLS / "parcels.gpkg")
    ingest.import_roads(target, NLS / "roads.gpkg")  # rebuilds the crossing areas it meets
    assert {"crossing_street_lines", "crossing_street_lines_of"} <= set(read)

    expected, choices = _expected(target)
    # each piece of a street parcel's crossing area, with the parcel it was cut from
    pieces = _rows(
        target,
        "SELECT p.id, c.name, c.state_road FROM crossing_area c"
        " JOIN parcel p ON p.property_id = c.property_id"
        " AND ST_Contains(p.geom, ST_PointOnSurface(c.geom))"
        " WHERE c.kind = 'road'",
    )
    subdivided = _rows(
        target,
        "SELECT count(*) FROM parcel p JOIN property_unit u USING (property_id),"
        " ST_Subdivide(p.geom, 64) WHERE u.kind = 'public' AND u.public_type IN ('street', 'traffic')",
    )[0][0]
    assert len(pieces) == subdivided  # every piece once, none doubled by the names' join
    found = {parcel_id: (name, state_road) for parcel_id, name, state_road in pieces}
    assert len(expected) > 500
    assert found == expected
    assert choices["091"] >= 5 and choices[MUN] > 100  # the lengths decided
