"""The neighbour API on the generated town and the real sample: contract, owners, errors."""

from __future__ import annotations

import math
from typing import Any

import pytest
import shapely
from shapely.geometry import mapping
from sqlalchemy import text

from geo import property_id
from geo.crs import from_storage
from tests.conftest import fi_today, needs_nls

PROBLEM = "application/problem+json"


def _unit(engine: Any, pid: str) -> Any:
    from api.services import neighbours

    with engine.connect() as conn:
        return neighbours.site_of_property(conn, pid)[1]


def test_contract_keys_and_totals(client: Any, demo: Any) -> None:
    r = client.get("/api/v1/parcels/244-1-20-2/neighbours")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["property_id"] == "24400100200002"
    for n in doc["neighbours"]:
        assert len(n["property_id"]) == 14 and n["property_id"].isdigit()
        assert n["relation"] in ("adjacent", "opposite")
        assert n["property_id_short"].startswith("244-")
        assert n["evidence"]["type"] in ("Point", "LineString", "MultiLineString")
        if n["relation"] == "adjacent":
            assert n["contact"] in ("edge", "point") and n["shared_boundary_m"] >= 0
        else:
            assert n["across"] in ("road", "water", "park") and n["crossing_distance_m"] > 0
        assert n["reason"]
    t = doc["totals"]
    assert {"letters", "hearing_cost_eur", "earliest_decision_date", "hearing_deadline"} <= set(t)
    assert doc["legal_basis"] == "RakL 63 §"


def test_corner_and_opposite_in_the_grid(client: Any, demo: Any) -> None:
    doc = client.get("/api/v1/parcels/24400100200002/neighbours").json()
    by = {n["property_id_short"]: n for n in doc["neighbours"]}
    # slot 2 (bottom row, 2nd lot): left/right lots share edges, the lots diagonally above touch at a point
    assert by["244-1-20-1"]["contact"] == "edge" and by["244-1-20-3"]["contact"] == "edge"
    assert by["244-1-20-7"]["contact"] == "edge"
    assert by["244-1-20-6"]["contact"] == "point" and by["244-1-20-8"]["contact"] == "point"
    opposite = [n for n in doc["neighbours"] if n["relation"] == "opposite"]
    # the lot across the 16 m street and the two diagonally across it (issue 12: and the lots
    # a little farther along the far side, seen across the street within its 60 m cap)
    facing = [n for n in opposite if abs(n["crossing_distance_m"] - 16.0) < 0.35]
    assert len(facing) == 3
    assert all(n["across"] == "road" and n["crossing_distance_m"] <= 60.0 for n in opposite)
    far = sorted(n["crossing_distance_m"] for n in opposite if n not in facing)
    assert far and far[0] == pytest.approx((16.0**2 + 20.0**2) ** 0.5, abs=0.5)  # one lot along
    # the lots two places away along the same side of the street are not "opposite"
    assert "244-1-20-4" not in by


def test_estate_heard_once_and_co_owners_each(
    kempele_officer_client: Any, demo: Any, engine: Any
) -> None:
    client = kempele_officer_client  # owner contacts: an officer of the town (244) reads them
    from sqlalchemy import text

    with engine.connect() as conn:
        estate = conn.execute(
            text(
                "SELECT property_id FROM personal.owner WHERE kind='estate' AND property_id LIKE '244%' LIMIT 1"
            )
        ).scalar_one()
        co = conn.execute(
            text(
                "SELECT property_id FROM personal.owner WHERE property_id LIKE '244%' GROUP BY 1"
                # two different addressees (the generated town may name co-owners alike)
                " HAVING count(*) = 2 AND count(DISTINCT (name, COALESCE(address, ''))) = 2"
                " ORDER BY 1 LIMIT 1"
            )
        ).scalar_one()
    for pid in (estate, co):
        doc = client.get(f"/api/v1/parcels/{pid}/neighbours").json()
        # Find a neighbour whose list includes the unit: hear the unit from one of its neighbours.
        other = doc["neighbours"][0]["property_id"]
        listing = client.get(f"/api/v1/parcels/{other}/neighbours").json()
        n = next(x for x in listing["neighbours"] if x["property_id"] == pid)
        recips = [r for r in listing["totals"]["recipients"] if pid in r["property_ids"]]
        if pid == estate:
            assert n["owners"][0]["contact_name"] and len(recips) == 1
        else:
            assert len(n["owners"]) == 2 and len(recips) == 2


def test_state_road_adds_the_road_authority(client: Any, demo: Any, engine: Any) -> None:
    from sqlalchemy import text

    with engine.connect() as conn:
        pid = conn.execute(
            text(
                "SELECT p.property_id FROM parcel p JOIN road_area r ON r.state_road AND ST_DWithin(p.geom, r.geom, 0.5)"
                " JOIN property_unit u USING (property_id) WHERE u.kind='private' LIMIT 1"
            )
        ).scalar_one()
    doc = client.get(f"/api/v1/parcels/{pid}/neighbours").json()
    assert doc["authorities"] and "ELY" in doc["authorities"][0]["name"]
    assert any(r["kind"] == "state" for r in doc["totals"]["recipients"])


def test_multi_parcel_unit_is_one_site(client: Any, demo: Any, engine: Any) -> None:
    from sqlalchemy import text

    with engine.connect() as conn:
        pid = conn.execute(
            text(
                "SELECT property_id FROM parcel WHERE property_id LIKE '244%' GROUP BY 1 HAVING count(*) > 1 LIMIT 1"
            )
        ).scalar_one()
        parts = [
            shapely.from_wkb(bytes(r[0]))
            for r in conn.execute(
                text("SELECT ST_AsBinary(geom) FROM parcel WHERE property_id = :p"), {"p": pid}
            )
        ]
    doc = client.get(f"/api/v1/parcels/{pid}/neighbours").json()
    assert pid not in {n["property_id"] for n in doc["neighbours"]}
    assert doc["site"]["area_m2"] == round(sum(p.area for p in parts), 1)


def test_drawn_site_matches_the_property(client: Any, demo: Any, engine: Any) -> None:
    site = _unit(engine, "24400100200002")
    drawn = mapping(from_storage(site, 4326))
    r = client.post("/api/v1/neighbours", json={"site": drawn})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert [u["property_id"] for u in doc["site"]["units"]] == ["24400100200002"]
    by_prop = client.get("/api/v1/parcels/24400100200002/neighbours").json()
    assert {n["property_id"] for n in doc["neighbours"]} == {
        n["property_id"] for n in by_prop["neighbours"]
    }
    # the same drawing in EPSG:3067
    r3067 = client.post("/api/v1/neighbours", json={"site": mapping(site), "crs": "EPSG:3067"})
    assert {n["property_id"] for n in r3067.json()["neighbours"]} == {
        n["property_id"] for n in doc["neighbours"]
    }


def _parcels_near(engine: Any, geom: Any, reach_m: float) -> list[tuple[str, Any, str]]:
    """(property id, parcel, unit kind) of every parcel within reach of a geometry."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.property_id, ST_AsBinary(p.geom), u.kind FROM parcel p"
                " JOIN property_unit u USING (property_id)"
                " WHERE ST_DWithin(p.geom, ST_GeomFromWKB(:g, 3067), :r)"
            ),
            {"g": shapely.to_wkb(geom), "r": reach_m},
        ).all()
    return [(pid, shapely.from_wkb(bytes(wkb)), kind) for pid, wkb, kind in rows]


@needs_nls
def test_a_site_drawn_inside_its_plot_has_the_plots_neighbours(
    client: Any, nls: Any, engine: Any, settings: Any
) -> None:
    """Walkthrough 1: a homeowner draws the building site a little inside the plot's lines.

    The drawing alone touches no other unit; the site stands for the plot it lies on, so
    the adjacent units are those within the tolerance of the plot (shapely, in the test),
    and the list says which property it stood for.
    """
    from api import rulesets

    tol_m = rulesets.rules_for(
        settings.rulesets_dir, "091", fi_today()
    ).neighbours.adjacent_tolerance_m
    pid = "09102206940025"
    plot = _unit(engine, pid)
    drawing = plot.buffer(-2 * tol_m - 1, join_style="mitre")
    near = _parcels_near(engine, plot, 10)
    assert not [p for p, g, _ in near if p != pid and shapely.distance(drawing, g) <= tol_m]
    expected = {p for p, g, _ in near if p != pid and shapely.distance(plot, g) <= tol_m}
    assert len(expected) >= 4
    r = client.post("/api/v1/neighbours", json={"site": mapping(drawing), "crs": "EPSG:3067"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["site"]["neighbours_of"] == [pid]
    assert doc["site"]["area_m2"] == pytest.approx(drawing.area, abs=0.1)  # still the drawing
    adjacent = {n["property_id"] for n in doc["neighbours"] if n["relation"] == "adjacent"}
    assert adjacent == expected
    # and the property asked for by its id has the same list
    by_id = client.get(f"/api/v1/parcels/{pid}/neighbours").json()
    assert {n["property_id"] for n in doc["neighbours"]} == {
        n["property_id"] for n in by_id["neighbours"]
    }
    assert by_id["site"]["neighbours_of"] == []


def test_a_drawing_stands_only_for_the_parcel_it_lies_on_and_never_for_a_park(
    client: Any, demo: Any, engine: Any, settings: Any
) -> None:
    """A unit of several parcels: a drawing inside one of them is heard as that parcel, not
    the unit's others (which may lie elsewhere). A drawing inside a park stands for nothing.
    """
    from api import rulesets

    tol_m = rulesets.rules_for(
        settings.rulesets_dir, "244", fi_today()
    ).neighbours.adjacent_tolerance_m
    with engine.connect() as conn:
        pid, wkb = conn.execute(
            text(
                "SELECT p.property_id, ST_AsBinary(p.geom) FROM parcel p"
                " JOIN property_unit u USING (property_id)"
                " WHERE p.property_id LIKE '244%' AND u.kind = 'private' AND p.property_id IN"
                " (SELECT property_id FROM parcel GROUP BY 1 HAVING count(*) > 1)"
                " ORDER BY p.property_id, ST_Area(p.geom) DESC LIMIT 1"
            )
        ).one()
        park = shapely.from_wkb(
            bytes(
                conn.execute(
                    text(
                        "SELECT ST_AsBinary(geom) FROM property_unit WHERE kind = 'public'"
                        " AND public_type = 'park' AND property_id LIKE '244%'"
                        " ORDER BY ST_Area(geom) DESC LIMIT 1"
                    )
                ).scalar_one()
            )
        )
    parcel = shapely.from_wkb(bytes(wkb))
    unit = _unit(engine, pid)
    drawing = parcel.buffer(-2 * tol_m - 1, join_style="mitre")
    near = _parcels_near(engine, unit, 10)
    of_parcel = {p for p, g, _ in near if p != pid and shapely.distance(parcel, g) <= tol_m}
    of_unit = {p for p, g, _ in near if p != pid and shapely.distance(unit, g) <= tol_m}
    assert of_unit - of_parcel, "the unit's other parcel has neighbours of its own"
    doc = client.post(
        "/api/v1/neighbours", json={"site": mapping(drawing), "crs": "EPSG:3067"}
    ).json()
    assert doc["site"]["neighbours_of"] == [pid]
    assert {n["property_id"] for n in doc["neighbours"] if n["relation"] == "adjacent"} == of_parcel
    # a drawing over most of two adjacent lots (a pair of semi-detached plots): both are the site
    lot1, lot2 = _unit(engine, "24400100200001"), _unit(engine, "24400100200002")
    assert shapely.distance(lot1, lot2) < tol_m
    pair = shapely.union_all([lot1, lot2]).buffer(-1.5, join_style="mitre")
    near = _parcels_near(engine, pair, 20)
    pair_ids = {"24400100200001", "24400100200002"}
    expected = {
        p for p, g, _ in near if p not in pair_ids and shapely.distance(lot1 | lot2, g) <= tol_m
    }
    doc = client.post("/api/v1/neighbours", json={"site": mapping(pair), "crs": "EPSG:3067"}).json()
    assert doc["site"]["neighbours_of"] == sorted(pair_ids)
    assert {n["property_id"] for n in doc["neighbours"] if n["relation"] == "adjacent"} == expected
    # mostly on the street, 2 m onto the lot: the street is the site's own unit and stands for
    # nothing; the lot's parcel under it is taken in (deeper than the tolerance), and the lot
    # is heard as a neighbour all the same
    x0, y0, x1, _ = lot1.bounds
    cx = (x0 + x1) / 2
    corner = shapely.box(cx - 2, y0 - 6, cx + 2, y0 + 2)  # 2 m of its 8 m on the lot
    doc = client.post("/api/v1/neighbours", json={"site": mapping(corner), "crs": "EPSG:3067"})
    doc = doc.json()
    assert doc["site"]["neighbours_of"] == ["24400100200001"]
    assert [u["property_id"] for u in doc["site"]["reaches"]] == ["24400100200001"]
    assert doc["site"]["reaches"][0]["property_id_short"] == "244-1-20-1"
    listed = {n["property_id"] for n in doc["neighbours"]}
    assert "24400100200001" in listed
    assert "24400100200002" in listed  # the lot's own neighbour, far from the drawing
    assert shapely.distance(corner, lot2) > 5
    # a kiosk drawn in the middle of a park: the park is not the site
    kiosk = park.point_on_surface().buffer(3, quad_segs=1)
    assert park.contains(kiosk.buffer(2 * tol_m))
    doc = client.post(
        "/api/v1/neighbours", json={"site": mapping(kiosk), "crs": "EPSG:3067"}
    ).json()
    assert doc["site"]["neighbours_of"] == []
    assert [u["property_id"] for u in doc["site"]["units"]] != []
    assert not [n for n in doc["neighbours"] if n["relation"] == "adjacent"]


def test_a_site_split_over_two_plots_is_heard_as_both(
    client: Any, demo: Any, engine: Any, settings: Any
) -> None:
    """Walkthrough 2 of stop 49: a site drawn across the boundary of two lots, nearly half on
    each. Both lots' parcels are the site heard, so the neighbours of both are listed; the
    lot holding the smaller part is not the drawing's own and is heard too. A drawing that
    crosses the boundary by less than the tolerance (a hand-traced line) takes nothing in.
    Expected lists from shapely distances in the test.
    """
    from api import rulesets

    tol_m = rulesets.rules_for(
        settings.rulesets_dir, "244", fi_today()
    ).neighbours.adjacent_tolerance_m
    ids = ("24400100200002", "24400100200003")  # in the middle of a block's row
    lot1, lot2 = _unit(engine, ids[0]), _unit(engine, ids[1])
    # the shared boundary's midpoint, and the direction from lot 1 to lot 2
    seam = shapely.intersection(lot1.buffer(tol_m), lot2.buffer(tol_m)).centroid
    c1, c2 = lot1.centroid, lot2.centroid
    ux, uy = (c2.x - c1.x), (c2.y - c1.y)
    norm = math.hypot(ux, uy)
    ux, uy = ux / norm, uy / norm
    cx, cy = seam.x + 0.4 * ux, seam.y + 0.4 * uy  # 0.4 m towards lot 2 of a 10 m square
    split = shapely.box(cx - 5, cy - 5, cx + 5, cy + 5)
    share1, share2 = (shapely.intersection(split, g).area / split.area for g in (lot1, lot2))
    assert 0.4 < share1 < 0.5 < share2 < 0.6, (share1, share2)
    near = _parcels_near(engine, lot1 | lot2, 20)
    both = {p for p, g, _ in near if shapely.distance(lot1 | lot2, g) <= tol_m} - {ids[1]}
    only2 = {p for p, g, _ in near if shapely.distance(lot2, g) <= tol_m} - {ids[1]}
    assert both - only2, "lot 1 has neighbours of its own"
    doc = client.post("/api/v1/neighbours", json={"site": mapping(split), "crs": "EPSG:3067"})
    assert doc.status_code == 200, doc.text
    doc = doc.json()
    assert [u["property_id"] for u in doc["site"]["units"]] == [ids[1]]  # the larger part
    assert doc["site"]["neighbours_of"] == list(ids)
    assert [u["property_id"] for u in doc["site"]["reaches"]] == [ids[0]]
    adjacent = {n["property_id"] for n in doc["neighbours"] if n["relation"] == "adjacent"}
    assert adjacent == both  # lot 1 itself among them: it is heard
    # lot 1 is heard because the drawing lies on it, and its letter says so (not the length of
    # its whole boundary, which now lies inside the site heard)
    on_lot1 = shapely.intersection(split, lot1).area
    reached = doc["site"]["reaches"][0]
    assert reached["overlap_m2"] == pytest.approx(on_lot1, abs=0.1)
    assert reached["site_share"] == pytest.approx(share1, abs=0.001)
    row = next(n for n in doc["neighbours"] if n["property_id"] == ids[0])
    assert row["reason_code"] == "reaches"
    assert f"{on_lot1:.1f} m²".replace(".", ",") in row["reason_fi"]
    # a neighbour of lot 1 only (farther than the tolerance from the drawing and lot 2) is
    # reasoned against lot 1, which it borders; the others against the site
    rest = shapely.union(split, lot2)
    via_lot1 = {p for p, g, _ in near if p in adjacent and shapely.distance(rest, g) > tol_m}
    assert via_lot1 and via_lot1 < adjacent - {ids[0]}
    short1 = property_id.short(ids[0])
    units_near = {p: shapely.union_all([g for q, g, _ in near if q == p]) for p, _, _ in near}
    mixed = 0
    for n in doc["neighbours"]:
        if n["relation"] != "adjacent" or n["property_id"] == ids[0]:
            continue
        if n["property_id"] in via_lot1:
            assert n["via_property_id"] == ids[0], n
            assert n["reason_code"] in ("edge", "point")
            assert f"kiinteistön {short1} kanssa, jolle piirros ulottuu" in n["reason_fi"], n
            continue
        assert n["via_property_id"] is None, n
        # one bordering the rest of the site and running on along lot 1 (stop 53's
        # walkthrough: the length along both was said to be shared with the site) has each
        # contact said apart, the site's first, adding up to the whole. Measured here by
        # cutting its boundary within the tolerance into the part near the rest of the site and
        # the part beyond: the first runs on past the cut by the tolerance and has a run-off of
        # about the tolerance at its far end; the second lacks that stretch past the cut and has
        # its far end's run-off, about the same length.
        g = units_near[n["property_id"]]
        near_rest = shapely.intersection(g.boundary, rest.buffer(tol_m)).length
        beyond = shapely.difference(g.boundary, rest.buffer(tol_m)).intersection(lot1.buffer(tol_m))
        if beyond.length < 1.0:  # under the rule file's edge
            assert n["via_property_ids"] == [], n
            assert short1 not in n["reason_fi"], n
            continue
        assert n["via_property_ids"] == [ids[0]], n
        own_part, lot1_part = n["reason_fi"].split(" sekä ")
        assert lot1_part.endswith(f"kiinteistön {short1} kanssa, jolle piirros ulottuu"), n
        m_lot1 = float(lot1_part.split(" m ")[0].rsplit(" ", 1)[1].replace(",", "."))
        assert m_lot1 == pytest.approx(beyond.length, abs=0.3), (n, beyond.length)
        if own_part == "yhteinen rajapiste rakennuspaikan kanssa":
            m_own = 0.0
            assert near_rest - 2 * tol_m < 1.3, (n, near_rest)
        else:
            assert own_part.startswith("yhteistä rajaa ") and own_part.endswith(
                " m rakennuspaikan kanssa"
            ), n
            m_own = float(own_part.split()[2].replace(",", "."))
            assert m_own == pytest.approx(near_rest - 2 * tol_m, abs=0.3), (n, near_rest)
        assert m_own + m_lot1 == pytest.approx(n["shared_boundary_m"], abs=0.11), n
        mixed += 1
    assert mixed, "a neighbour of lot 2 runs on along lot 1"
    # an opposite unit facing lot 1 only (nearer to it than to the drawing and lot 2 by more
    # than 10 m) is reasoned against lot 1, measured from it; one facing the drawing or lot 2
    # is not, nor one about as near them as lot 1 (stop 52's walkthrough: a near tie named the
    # reached plot, though redrawing would not unhear it). From shapely distances in the test.
    parcels = {p: g for p, g, _ in _parcels_near(engine, rest, 100)}
    opposite = [n for n in doc["neighbours"] if n["relation"] == "opposite"]
    faces_lot1 = faces_rest = 0
    for n in opposite:
        unit = parcels[n["property_id"]]
        to_lot1, to_rest = shapely.distance(lot1, unit), shapely.distance(rest, unit)
        if n["via_property_id"]:  # heard for the reach: the rest of the site is farther
            assert to_rest > n["crossing_distance_m"] + tol_m, (n, to_rest)
        if to_rest - to_lot1 > 10:
            faces_lot1 += 1
            assert n["via_property_id"] == ids[0], n
            assert n["reason_code"] == "opposite", n
            assert n["crossing_distance_m"] == pytest.approx(to_lot1, abs=0.05), n
            assert n["reason_fi"].startswith(f"vastapäätä kiinteistöä {short1}, jolle"), n
            assert n["reason_sv"].startswith(f"mittemot fastigheten {short1} (som"), n
        elif to_lot1 - to_rest > 10:
            faces_rest += 1
            assert n["via_property_id"] is None, n
            assert short1 not in n["reason_fi"], n
    assert faces_lot1 and faces_rest, [n["property_id"] for n in opposite]
    # drawn over lot 2 with a strip reaching into lot 1: by 0.6 and by 2.5 times the tolerance
    # (by construction: the strip starts at their common boundary), then by a narrow arm 0.6 m
    # wide reaching 6 m in, no wider than twice the tolerance
    x_seam = lot1.bounds[2]
    assert x_seam == pytest.approx(lot2.bounds[0]) and lot1.centroid.x < x_seam
    inner = lot2.buffer(-1.0, join_style="mitre")
    cases = [
        (shapely.box(x_seam - 0.6 * tol_m, seam.y - 3, x_seam + 1.5, seam.y + 3), []),
        (shapely.box(x_seam - 2.5 * tol_m, seam.y - 3, x_seam + 1.5, seam.y + 3), [ids[0]]),
        (shapely.box(x_seam - 6, seam.y - 0.3, x_seam + 1.5, seam.y + 0.3), [ids[0]]),
    ]
    for strip, reaches in cases:
        drawing = shapely.union(inner, strip)
        assert drawing.geom_type == "Polygon"
        r = client.post("/api/v1/neighbours", json={"site": mapping(drawing), "crs": "EPSG:3067"})
        assert r.status_code == 200, r.text
        doc = r.json()
        assert [u["property_id"] for u in doc["site"]["reaches"]] == reaches, strip.bounds
        assert doc["site"]["neighbours_of"] == sorted([ids[1], *reaches]), strip.bounds
        assert ids[0] in {n["property_id"] for n in doc["neighbours"]}


def test_a_neighbour_of_two_plots_the_drawing_reaches_into_names_both(
    client: Any, demo: Any, engine: Any, settings: Any
) -> None:
    """Review 4 of stop 51: a neighbour bordering two plots a drawing reaches into was reasoned
    against the nearer one only, with the length along both. A site drawn on lot 20-3 with an
    arm into lots 20-2 and 20-7 (which meet at its corner): lots 20-1 and 20-6 border both and
    nothing else of the site, so each reason names both, with the metres along each, which the
    test measures with shapely.
    """
    from api import rulesets

    tol_m = rulesets.rules_for(
        settings.rulesets_dir, "244", fi_today()
    ).neighbours.adjacent_tolerance_m
    own, south, north = "24400100200003", "24400100200002", "24400100200007"
    lots = {p: _unit(engine, p) for p in (own, south, north)}
    x0, y0, _, y1 = lots[own].bounds  # 20 x 30 m; 20-2 west of it, 20-7 north of 20-2
    assert lots[south].bounds[2] == pytest.approx(x0, abs=0.3)
    assert lots[north].bounds[1] == pytest.approx(y1, abs=0.3)
    drawing = shapely.union_all(
        [
            lots[own].buffer(-1.0, join_style="mitre"),
            shapely.box(x0 - 10, y1 - 16, x0 + 1.5, y1 - 1),  # into 20-2 from 20-3
            shapely.box(x0 - 10, y1 - 2, x0 - 1, y1 + 9),  # on into 20-7
        ]
    )
    assert drawing.geom_type == "Polygon"
    doc = client.post("/api/v1/neighbours", json={"site": mapping(drawing), "crs": "EPSG:3067"})
    assert doc.status_code == 200, doc.text
    doc = doc.json()
    assert sorted(u["property_id"] for u in doc["site"]["reaches"]) == sorted([south, north])
    rest = shapely.union(drawing, lots[own])
    rows = {n["property_id"]: n for n in doc["neighbours"] if n["relation"] == "adjacent"}
    both = [
        p
        for p, g, kind in _parcels_near(engine, rest, 40)
        if kind == "private"
        and p not in lots
        and shapely.distance(rest, g) > tol_m
        and all(shapely.distance(lots[r], g) <= tol_m for r in (south, north))
    ]
    assert sorted(both) == ["24400100200001", "24400100200006"], both
    parcels = {p: g for p, g, _ in _parcels_near(engine, rest, 40)}
    for p in both:
        n = rows[p]
        along = {
            via: shapely.intersection(parcels[p].boundary, lots[via].buffer(tol_m)).length
            for via in (south, north)
        }
        # both, the longer contact first (one is an edge, the other a corner)
        assert n["via_property_ids"] == sorted(along, key=lambda v: -along[v]), (n, along)
        assert n["via_property_id"] == n["via_property_ids"][0]
        assert n["reason_code"] == "edge", n
        # joined by "sekä": a list's "; " parts an addressee's units in the letters
        parts = n["reason_fi"].split(" sekä ")
        assert len(parts) == 2 and "; " not in n["reason_fi"], n
        assert parts[0].startswith("yhteistä rajaa"), n
        for via in (south, north):
            said = next(x for x in parts if property_id.short(via) in x)
            if along[via] > 5:  # an edge: the metres along it, less the run-off at its ends
                m = float(said.split(" m ", 1)[0].rsplit(" ", 1)[1].replace(",", "."))
                assert m == pytest.approx(along[via], abs=2 * tol_m + 0.1), (said, along)
                assert said.startswith("yhteistä rajaa"), said
            else:  # they meet at a corner
                assert said.startswith("yhteinen rajapiste"), said
        assert n["reason_sv"].count("som ritningen når in på") == 2, n
        assert " och har " in n["reason_sv"] and " and " in n["reason_en"], n


def test_a_site_drawn_just_within_or_beyond_the_tolerance(
    client: Any, demo: Any, engine: Any, settings: Any
) -> None:
    """Adjacent exactly where the site comes within the rule file's tolerance of a parcel.

    The query settles most parcels with two buffers of the site (95 % and 130 % of the
    tolerance) and measures the distance only between them. A site is drawn beside a lot's
    straight edge at gaps on either side of each threshold, and checked against shapely's
    distance to every parcel near it; then a corner whose arc GEOS draws as one long chord.
    The sites lie south of the lot, on the street: a site drawn on a lot would be heard as
    that lot (test_a_site_drawn_inside_its_plot_has_the_plots_neighbours).
    """
    from api import rulesets

    rules = rulesets.rules_for(settings.rulesets_dir, "244", fi_today())
    tol_m = rules.neighbours.adjacent_tolerance_m
    lot = _unit(engine, "24400100200001")  # an axis-aligned 20 x 30 m lot
    x0, y0, x1, y1 = lot.bounds
    assert lot.area == pytest.approx((x1 - x0) * (y1 - y0))
    cx = (x0 + x1) / 2
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT property_id, ST_AsBinary(geom) FROM parcel"
                " WHERE geom && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 3067)"
            ),
            {"x0": cx - 15, "y0": y0 - 20, "x1": cx + 15, "y1": y0 + 5},
        ).all()
    parcels = [(pid, shapely.from_wkb(bytes(wkb))) for pid, wkb in rows]
    found = []
    # inside the inner buffer, then each side of the tolerance
    for share in (0.9, 0.98, 1.02, 1.15):
        gap = share * tol_m
        site = shapely.box(cx - 5, y0 - gap - 8, cx + 5, y0 - gap)
        assert shapely.distance(site, lot) == pytest.approx(gap, abs=1e-6)
        under = {p for p, g in parcels if shapely.intersection(site, g).area > 0.01}
        assert under == {"24400199010392"}  # the street, which stands for no site
        expected = {p for p, g in parcels if p not in under and shapely.distance(site, g) <= tol_m}
        r = client.post("/api/v1/neighbours", json={"site": mapping(site), "crs": "EPSG:3067"})
        assert r.status_code == 200, r.text
        got = {n["property_id"] for n in r.json()["neighbours"] if n["relation"] == "adjacent"}
        assert got == expected, (share, sorted(got ^ expected))
        found.append("24400100200001" in got)
    assert found == [True, True, False, False]
    # A corner turning 67.4° pointing at the lot, 99.9 % of the tolerance from it: GEOS grows
    # such a corner with one chord, whose middle lies at 83 % of the radius.
    gap = 0.999 * tol_m
    dx, dy = 10 * math.cos(math.radians(56.3)), 10 * math.sin(math.radians(56.3))
    wedge = shapely.Polygon([(cx, y0 - gap), (cx + dy, y0 - gap - dx), (cx - dy, y0 - gap - dx)])
    assert shapely.distance(wedge, lot) == pytest.approx(gap, abs=1e-6)
    r = client.post("/api/v1/neighbours", json={"site": mapping(wedge), "crs": "EPSG:3067"})
    assert r.status_code == 200, r.text
    adjacent = {n["property_id"] for n in r.json()["neighbours"] if n["relation"] == "adjacent"}
    assert "24400100200001" in adjacent


def test_lappeenranta_fee_per_letter(client: Any, demo: Any, engine: Any) -> None:
    site = _unit(engine, "24400100200002")
    doc = client.post(
        "/api/v1/neighbours",
        json={"site": mapping(site), "crs": "EPSG:3067", "municipality": "405"},
    ).json()
    t = doc["totals"]
    # Issue 9: Lappeenranta's 56 € per letter applies only when the authority hears in a
    # deviation or planning-need case; a building permit's hearing costs no letter fee.
    assert t["fee_per_letter_eur"] == 56.0 and t["hearing_cost_eur"] == 0.0
    body = {"site": mapping(site), "crs": "EPSG:3067", "municipality": "405", "kind": "deviation"}
    t = client.post("/api/v1/neighbours", json=body).json()["totals"]
    assert t["letters"] > 0 and t["hearing_cost_eur"] == 56.0 * t["letters"]
    t = client.post("/api/v1/neighbours", json={**body, "heard_by": "applicant"}).json()["totals"]
    assert t["hearing_cost_eur"] == 0.0


def test_malformed_id_is_422_naming_the_forms(client: Any) -> None:
    r = client.get("/api/v1/parcels/12-ab/neighbours")
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)
    assert "91-22-694-25" in r.json()["detail"]


def test_unknown_id_is_404_with_the_normalised_id(client: Any, demo: Any) -> None:
    r = client.get("/api/v1/parcels/244-999-9-9/neighbours")
    assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["property_id"] == "24499900090009"


def test_bad_drawings(client: Any) -> None:
    cases = {
        "self": {
            "type": "Polygon",
            "coordinates": [
                [[25.45, 64.9], [25.46, 64.91], [25.46, 64.9], [25.45, 64.91], [25.45, 64.9]]
            ],
        },
        "empty": {"type": "Polygon", "coordinates": []},
        "outside": {
            "type": "Polygon",
            "coordinates": [[[2.0, 48.0], [2.01, 48.0], [2.01, 48.01], [2.0, 48.0]]],
        },
        "large": {
            "type": "Polygon",
            "coordinates": [[[25.0, 64.5], [26.0, 64.5], [26.0, 65.0], [25.0, 64.5]]],
        },
        "point": {"type": "Point", "coordinates": [25.0, 64.5]},
    }
    words = {
        "self": "Self-intersection",
        "empty": "empty",
        "outside": "outside Finland",
        "large": "too large",
        "point": "Polygon",
    }
    for key, geom in cases.items():
        r = client.post("/api/v1/neighbours", json={"site": geom})
        assert r.status_code == 422, key
        assert r.headers["content-type"].startswith(PROBLEM)
        assert words[key] in r.json()["detail"], (key, r.json())
    r = client.post("/api/v1/neighbours", json={"site": cases["self"]})
    assert r.json()["location"] == [25.455, 64.905]


def test_missing_body_field_is_problem_json(client: Any) -> None:
    r = client.post("/api/v1/neighbours", json={"crs": "EPSG:4326"})
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)


@needs_nls
def test_health_estimates_parcels_without_counting(client: Any, nls: Any, engine: Any) -> None:
    with engine.begin() as conn:
        conn.execute(text("ANALYZE parcel"))
        counted = conn.execute(text("SELECT count(*) FROM parcel")).scalar_one()
    assert counted >= 2244
    estimate = client.get("/api/v1/health").json()["parcels"]
    assert abs(estimate - counted) <= 0.02 * counted, (estimate, counted)
