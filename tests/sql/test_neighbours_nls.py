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
from tests.conftest import NLS, needs_nls, neighbour_lists, opposite_lists, read_nls_units

pytestmark = needs_nls
DAY = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def units() -> dict[str, Any]:
    """Unit geometries read straight from the file with pyogrio (not through our importer)."""
    return read_nls_units()


@pytest.fixture(scope="module")
def computed(nls: Any, settings: Any, units: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Our neighbour list of every unit of the sample (from the relations stored at import)."""
    rules = rulesets.rules_for(settings.rulesets_dir, "091", DAY)
    return neighbour_lists(nls, rules, settings.rulesets_dir, list(units))


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


STREET = ("9901", "9905")  # street and traffic-area units
CROSSING = {"9901": "road", "9905": "road", "9903": "park", "9909": "water"}
CAPS = {"road": 60.0, "water": 200.0, "park": 30.0}  # Helsinki has the national default caps


@pytest.fixture(scope="module")
def crossing_areas(units: dict[str, Any]) -> Any:
    """Roads, parks and water read straight from the files (units by block code, sea areas)."""
    water = pyogrio.read_dataframe(NLS / "sea_shoreline.gpkg", layer="sea_part")
    polys = [g for g in water.geometry if g is not None and "Polygon" in g.geom_type]
    grown = shapely.buffer([g for k, g in units.items() if k[6:10] in CROSSING] + polys, 0.5)
    return grown, shapely.STRtree(grown)  # grown by 0.5 m: digitising gaps between areas


def _across_one_street(units: dict[str, Any]) -> list[tuple[str, str, float]]:
    """Pairs facing each other across one street unit, found independently (issue 12): not
    touching, shortest line at most 25 m and at least 95 % inside a street unit both touch."""
    keys = list(units)
    geoms = np.array([units[k] for k in keys])
    street = np.array([k[6:10] in STREET for k in keys])
    a, b = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=25)
    keep = (a != b) & ~street[a] & ~street[b]
    a, b = a[keep], b[keep]
    d = shapely.distance(geoms[a], geoms[b])
    a, b, d = a[d > 0.5], b[d > 0.5], d[d > 0.5]
    lines = shapely.shortest_line(geoms[a], geoms[b])
    streets = shapely.STRtree(geoms[street])
    sgeoms = geoms[street]
    pairs = []
    for i, j, line, dist in zip(a, b, lines, d, strict=True):
        both = set(streets.query(geoms[i], predicate="dwithin", distance=0.5))
        both &= set(streets.query(geoms[j], predicate="dwithin", distance=0.5))
        if any(line.intersection(sgeoms[s]).length >= 0.95 * dist for s in both):
            pairs.append((keys[i], keys[j], float(dist)))
    return pairs


def test_every_pair_across_one_street_is_opposite(
    units: dict[str, Any], computed: dict[str, Any]
) -> None:
    pairs = _across_one_street(units)
    ours = {
        k: {n["property_id"] for n in ns if n["relation"] == "opposite"}
        for k, ns in computed.items()
    }
    found = sum(b in ours[a] for a, b, _ in pairs)
    assert len(pairs) > 5000
    assert found / len(pairs) >= 0.97, (found, len(pairs))


def test_opposite_stays_within_the_caps_and_its_line_crosses(
    units: dict[str, Any], computed: dict[str, Any], crossing_areas: Any
) -> None:
    from geo import crs

    opposite = [(k, n) for k, ns in computed.items() for n in ns if n["relation"] == "opposite"]
    assert len(opposite) > 8000
    a = np.array([units[k] for k, _ in opposite])
    b = np.array([units[n["property_id"]] for _, n in opposite])
    lines = shapely.transform(  # the sight lines shown, back in EPSG:3067
        np.array([shapely.geometry.shape(n["evidence"]) for _, n in opposite]),
        crs.projection(crs.WGS84, crs.STORAGE_SRID),
    )
    dist = np.array([n["crossing_distance_m"] for _, n in opposite])
    cap = np.array([CAPS[n["across"]] for _, n in opposite])
    gap = shapely.distance(a, b)
    ok = (
        (gap > 0.5)  # not adjacent
        & (shapely.distance(a, shapely.get_point(lines, 0)) < 0.01)
        & (shapely.distance(b, shapely.get_point(lines, -1)) < 0.01)
        & (np.abs(shapely.length(lines) - dist) <= 0.05)
        & (gap <= cap)  # nothing beyond the caps
        & (dist <= cap)
    )
    assert ok.all(), [opposite[i] for i in np.flatnonzero(~ok)[:5]]
    grown, tree = crossing_areas
    inside = _length_inside(lines, grown, tree)
    clear = inside >= 0.9 * shapely.length(lines)
    # the line runs through roads, parks and water (the rest crosses unregistered slivers)
    assert clear.mean() >= 0.98


def _length_inside(lines: Any, areas: Any, tree: Any) -> Any:
    """The length of each straight line inside the union of `areas` (indexed by `tree`).

    Each line's pieces in each area it meets, as stretches along the line, merged where they
    overlap (grown areas overlap; neighbouring ones share edges): the union's length without
    making the union, whose many large polygons cost minutes a line at a time.
    """
    assert (shapely.get_num_coordinates(lines) == 2).all()  # straight: stretches are exact
    line_i, area_i = tree.query(lines)
    parts, piece = shapely.get_parts(
        shapely.intersection(lines[line_i], areas[area_i]), return_index=True
    )
    stretch = (shapely.get_type_id(parts) == 1) & ~shapely.is_empty(parts)  # not a touch
    line_i, parts = line_i[piece][stretch], parts[stretch]
    ends = [shapely.line_locate_point(lines[line_i], shapely.get_point(parts, k)) for k in (0, -1)]
    out = np.zeros(len(lines))
    last, reached = -1, 0.0
    order = sorted(zip(line_i.tolist(), np.minimum(*ends), np.maximum(*ends), strict=True))
    for i, start, stop in order:
        if i != last:
            last, reached = i, start
        start = max(start, reached)
        if stop > start:
            out[i] += stop - start
            reached = stop
    return out


def test_every_unit_with_a_partner_across_a_street_gets_one(
    units: dict[str, Any], computed: dict[str, Any]
) -> None:
    keys = list(units)
    geoms = np.array([units[k] for k in keys])
    a, b = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=40)
    m = a != b
    a, b = a[m], b[m]
    d = shapely.distance(geoms[a], geoms[b])
    lines = shapely.shortest_line(geoms[a], geoms[b])
    streets = geoms[[k[6:10] in STREET for k in keys]]
    inside = _length_inside(lines, streets, shapely.STRtree(streets))
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


def test_behind_a_park_strip_and_the_street_beyond(
    units: dict[str, Any], computed: dict[str, Any]
) -> None:
    from geo.crs import to_storage

    rel = {n["property_id"]: n for n in computed["09102206940025"]}
    n = rel["09102206990014"]  # 91-22-699-14 seen from 91-22-694-25 (issue 12)
    assert n["relation"] == "opposite" and n["across"] == "road"
    line = to_storage(shapely.geometry.shape(n["evidence"]), 4326)
    park, street = units["09102299030100"], units["09102299010100"]
    assert line.intersection(park).length > 5 and line.intersection(street).length > 5
    assert rel["09102299030100"]["relation"] == "adjacent"  # the park strip itself


def test_stored_relations_equal_the_live_computation_for_every_unit(
    nls: Any, settings: Any, computed: dict[str, Any]
) -> None:
    """Every unit's opposite neighbours from the table built at import equal a live computation
    of its site (and are those its neighbour list shows)."""
    rules = rulesets.rules_for(settings.rulesets_dir, "091", DAY)
    with nls.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM relation_build").scalar_one() >= 1
    ids = list(computed)
    stored = opposite_lists(nls, rules, settings.rulesets_dir, ids)
    live = opposite_lists(nls, rules, settings.rulesets_dir, ids, live=True)
    assert [pid for pid in ids if live[pid] != stored[pid]] == []
    # each unit's are the opposite units its neighbour list shows, in the same order (adjacent
    # ones are left out of the list: none here, geo/opposite.py leaves them out first)
    shown = {p: [n["property_id"] for n in computed[p] if n["relation"] == "opposite"] for p in ids}
    assert [p for p in ids if [o.property_id for _, o in stored[p]] != shown[p]] == []
    assert sum(map(len, shown.values())) > 5000  # 11 017 in a run


def _street_names(column: str) -> Any:
    """The names (road_name_fin or _swe) of the road file's links within 1 m of an evidence
    line (EPSG:4326), read straight from the file with pyogrio."""
    from geo.crs import to_storage

    roads = pyogrio.read_dataframe(NLS / "roads.gpkg", layer="road_link")
    named = roads[roads[column].notna()]
    tree = shapely.STRtree(shapely.force_2d(named.geometry.values))
    names = named[column].tolist()

    def along(evidence: dict[str, Any]) -> set[str]:
        line = to_storage(shapely.geometry.shape(evidence), 4326)
        return {names[i] for i in tree.query(line.buffer(1.0), predicate="intersects")}

    return along


def test_opposite_names_the_street_crossed(computed: dict[str, Any]) -> None:
    along = _street_names("road_name_fin")
    checked = agree = 0
    for ns in computed.values():
        for n in ns:
            if n["relation"] != "opposite" or n["across"] != "road" or not n["across_name"]:
                continue
            hits = along(n["evidence"])
            if hits:
                checked += 1
                agree += n["across_name"] in hits
    # the road file covers the north-east third of the parcels
    assert checked > 200 and agree / checked >= 0.9, (checked, agree)


def test_opposite_names_the_street_crossed_in_swedish(computed: dict[str, Any]) -> None:
    """A Swedish reason named the street in Finnish: 'över vägen Mäkelänkatu'. The street's
    Swedish name is checked against the road file's road_name_swe along the sight line."""
    along = _street_names("road_name_swe")
    checked = agree = 0
    for ns in computed.values():
        for n in ns:
            if n["relation"] != "opposite" or n["across_name_sv"] == n["across_name"]:
                continue
            hits = along(n["evidence"])
            if hits:
                checked += 1
                agree += n["across_name_sv"] in hits and n["across_name_sv"] in n["reason_sv"]
                assert n["across_name"] not in n["reason_sv"], n
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
