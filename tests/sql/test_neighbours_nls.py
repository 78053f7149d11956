"""Neighbours on the real NLS Helsinki parcels, checked against independent shapely/libpysal."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
import pyogrio
import pytest
import shapely

from api import rulesets
from api.services import neighbours
from tests.conftest import NLS, needs_nls

pytestmark = needs_nls
DAY = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def units() -> dict[str, Any]:
    """Unit geometries read straight from the file with pyogrio (not through our importer)."""
    df = pyogrio.read_dataframe(NLS / "parcels.gpkg", layer="property_borders")
    groups: dict[str, list[Any]] = defaultdict(list)
    for pid, g in zip(df["kiinteistotunnus"], df.geometry, strict=True):
        groups[str(pid)].append(g)
    return {k: shapely.union_all(v) for k, v in groups.items()}


@pytest.fixture(scope="module")
def computed(nls: Any, settings: Any, units: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Our neighbour list of every unit of the sample."""
    rules = rulesets.rules_for(settings.rulesets_dir, "091", DAY)
    out = {}
    with nls.connect() as conn:
        for pid in units:
            _, site = neighbours.site_of_property(conn, pid)
            rows, _ = neighbours.find(conn, site, [pid], rules, settings.rulesets_dir)
            out[pid] = [n.model_dump() for n in rows]
    return out


def test_libpysal_queen_and_rook_counts_match_the_data_readme() -> None:
    from libpysal import weights

    df = pyogrio.read_dataframe(NLS / "parcels.gpkg", layer="property_borders")
    queen = weights.Queen.from_dataframe(df, use_index=False, silence_warnings=True)
    rook = weights.Rook.from_dataframe(df, use_index=False, silence_warnings=True)
    assert queen.s0 / 2 == 5918
    assert rook.s0 / 2 == 5504


def test_adjacent_equals_every_unit_within_the_tolerance(
    units: dict[str, Any], computed: dict[str, Any]
) -> None:
    keys = list(units)
    geoms = np.array([units[k] for k in keys])
    a, b = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=0.5)
    expected: dict[str, set[str]] = defaultdict(set)
    for i, j in zip(a, b, strict=True):
        if i != j:
            expected[keys[i]].add(keys[j])
    missing = {
        k: expected[k] - {n["property_id"] for n in computed[k] if n["relation"] == "adjacent"}
        for k in keys
    }
    extra = {
        k: {n["property_id"] for n in computed[k] if n["relation"] == "adjacent"} - expected[k]
        for k in keys
    }
    assert sum(len(v) for v in expected.values()) > 11000
    assert sum(map(len, missing.values())) == 0, {k: v for k, v in missing.items() if v}
    assert sum(map(len, extra.values())) == 0, {k: v for k, v in extra.items() if v}


def test_exact_touches_would_miss_neighbours_that_the_tolerance_finds(
    units: dict[str, Any], computed: dict[str, Any]
) -> None:
    adjacent = [
        (k, n["property_id"])
        for k, ns in computed.items()
        for n in ns
        if n["relation"] == "adjacent"
    ]
    gapped = [(k, o) for k, o in adjacent if not units[k].intersects(units[o])]
    overlapping = [
        (k, o)
        for k, o in adjacent
        if units[k].intersects(units[o]) and not units[k].touches(units[o])
    ]
    assert len(gapped) >= 4  # digitising gaps are real in this data
    assert len(overlapping) > 10  # and so are slivers: exact ST_Touches says "no" to both
    for k, other in gapped:
        assert 0 < units[k].distance(units[other]) <= 0.5


def test_corner_only_contacts_are_point_contacts(computed: dict[str, Any]) -> None:
    from libpysal import weights

    df = pyogrio.read_dataframe(NLS / "parcels.gpkg", layer="property_borders")
    ids = df["kiinteistotunnus"].astype(str).tolist()
    queen = weights.Queen.from_dataframe(df, use_index=False, silence_warnings=True)
    rook = weights.Rook.from_dataframe(df, use_index=False, silence_warnings=True)
    unit_rook = {(ids[i], ids[j]) for i in rook.neighbors for j in rook.neighbors[i]}
    corner = {
        (ids[i], ids[j])
        for i in queen.neighbors
        for j in queen.neighbors[i]
        if ids[i] != ids[j] and (ids[i], ids[j]) not in unit_rook
    }
    contact = {(k, n["property_id"]): n.get("contact") for k, ns in computed.items() for n in ns}
    assert all(p in contact for p in corner)  # one shared point is enough
    share = sum(contact[p] == "point" for p in corner) / len(corner)
    assert len(corner) > 300 and share >= 0.9


def test_opposite_across_streets_agrees_with_an_independent_crossing_test(
    units: dict[str, Any], computed: dict[str, Any]
) -> None:
    streets = shapely.union_all([g for k, g in units.items() if k[6:10] in ("9901", "9905")])
    shapely.prepare(streets)
    pairs = [
        (k, n)
        for k, ns in computed.items()
        for n in ns
        if n["relation"] == "opposite" and n["across"] == "road"
    ]
    assert len(pairs) > 3000
    confirmed = 0
    from geo.crs import to_storage

    for k, n in pairs:
        a, b = units[k], units[n["property_id"]]
        line = to_storage(shapely.geometry.shape(n["evidence"]), 4326)  # the crossing line shown
        start, end = shapely.get_point(line, 0), shapely.get_point(line, -1)
        assert a.distance(b) > 0.5
        assert a.distance(start) < 0.01 and b.distance(end) < 0.01
        assert line.length == pytest.approx(n["crossing_distance_m"], abs=0.05)
        if line.length <= 60 and line.intersection(streets).length >= 0.9 * line.length:
            confirmed += 1
    assert confirmed / len(pairs) >= 0.9

    # every unit that independently has a street-crossing partner under 40 m gets one of its own
    keys = list(units)
    geoms = np.array([units[k] for k in keys])
    a, b = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=40)
    m = a != b
    a, b = a[m], b[m]
    d = shapely.distance(geoms[a], geoms[b])
    lines = shapely.shortest_line(geoms[a], geoms[b])
    inside = shapely.length(shapely.intersection(lines, streets))
    ok = (d > 0.5) & (inside >= 0.9 * d)
    independent: dict[str, set[str]] = defaultdict(set)
    for i, j in zip(a[ok], b[ok], strict=True):
        independent[keys[i]].add(keys[j])
    ours = {
        k: {n["property_id"] for n in ns if n["relation"] == "opposite"}
        for k, ns in computed.items()
    }
    covered = sum(1 for k, v in independent.items() if v & ours[k])
    assert covered / len(independent) >= 0.97


def test_opposite_names_the_street_crossed(computed: dict[str, Any]) -> None:
    roads = pyogrio.read_dataframe(NLS / "roads.gpkg", layer="road_link")
    named = roads[roads["road_name_fin"].notna()]
    tree = shapely.STRtree(shapely.force_2d(named.geometry.values))
    names = named["road_name_fin"].tolist()
    checked = agree = 0
    for ns in computed.values():
        for n in ns:
            if n["relation"] != "opposite" or n["across"] != "road" or not n["across_name"]:
                continue
            line = shapely.geometry.shape(n["evidence"])  # EPSG:4326 evidence line
            from geo.crs import to_storage

            line3067 = to_storage(line, 4326)
            hits = {names[i] for i in tree.query(line3067.buffer(1.0), predicate="intersects")}
            if hits:
                checked += 1
                agree += n["across_name"] in hits
    # the road file covers the north-east third of the parcels
    assert checked > 200 and agree / checked >= 0.9, (checked, agree)


def test_known_site_on_makelankatu(nls: Any, client: Any) -> None:
    r = client.get("/api/v1/parcels/91-22-694-25/neighbours")
    assert r.status_code == 200
    doc = r.json()
    assert doc["property_id"] == "09102206940025"
    rel = {n["property_id"]: n for n in doc["neighbours"]}
    assert (
        rel["09102299010100"]["relation"] == "adjacent"
        and rel["09102299010100"]["owners"][0]["kind"] == "municipality"
    )
    assert rel["09102206950001"]["relation"] == "opposite"
    assert rel["09102206950001"]["across_name"] == "Mäkelänkatu"
    assert doc["attribution"] == "© Maanmittauslaitos, CC BY 4.0"
