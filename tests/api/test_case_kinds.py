"""Case kinds, dates and road authorities through the API (issue 9), on the generated town."""

from __future__ import annotations

from typing import Any

import pytest
import shapely
from shapely.geometry import mapping
from sqlalchemy import text

from geo.crs import from_storage
from tests.api.test_analysis import _house, _post

PROBLEM = "application/problem+json"
SITE = "24400100200002"


def _state_road_unit(engine: Any) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(
                text(
                    "SELECT p.property_id FROM parcel p JOIN road_area r ON r.state_road"
                    " AND ST_DWithin(p.geom, r.geom, 0.5) JOIN property_unit u USING (property_id)"
                    " WHERE u.kind = 'private' AND u.municipality = '244' ORDER BY 1 LIMIT 1"
                )
            ).scalar_one()
        )


@pytest.mark.parametrize(
    "kind,date,basis,swedish",
    [
        ("building_permit", "2026-03-01", "RakL 63 §", "bygglagen 63 §"),
        ("minor_deviation", "2026-03-01", "RakL 63 §", "bygglagen 63 §"),
        ("deviation", "2026-03-01", "RakL 64 §", "bygglagen 64 §"),
        ("planning_need", "2026-03-01", "RakL 64 §", "bygglagen 64 §"),
        ("building_permit", "2024-06-01", "MRL 133 §, MRA 65 §", "MBL 133 §, MBF 65 §"),
        ("deviation", "2024-06-01", "MRL 173 §, MRA 86 §", "MBL 173 §, MBF 86 §"),
    ],
)
def test_hearing_basis_follows_the_case_kind(
    client: Any, demo: Any, kind: str, date: str, basis: str, swedish: str
) -> None:
    doc = client.get(f"/api/v1/parcels/{SITE}/neighbours?kind={kind}&date={date}").json()
    assert doc["legal_basis"] == basis and doc["kind"] == kind and doc["date"] == date
    # in Swedish words for a Swedish reader (the code above stays as cited in Finnish)
    sv = client.get(f"/api/v1/parcels/{SITE}/neighbours?kind={kind}&date={date}&lang=sv").json()
    assert (sv["legal_basis"], sv["legal_basis_text"]) == (basis, swedish)
    wide = any(n["relation"] == "affected" for n in doc["neighbours"])
    assert wide is (kind in ("deviation", "planning_need"))


def test_the_wider_circle_matches_shapely(client: Any, demo: Any, engine: Any) -> None:
    doc = client.get(f"/api/v1/parcels/{SITE}/neighbours?kind=deviation&crs=EPSG:3067").json()
    radius = doc["rules"]["affected_radius_m"]
    assert radius == 100.0
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.property_id, u.kind, ST_AsBinary(p.geom) FROM parcel p"
                " JOIN property_unit u USING (property_id)"
                " WHERE p.geom && ST_Expand((SELECT ST_Collect(geom) FROM parcel WHERE property_id"
                " = :s), 200)"
            ),
            {"s": SITE},
        ).all()
    site = shapely.union_all([shapely.from_wkb(bytes(g)) for pid, _, g in rows if pid == SITE])
    near: dict[str, float] = {}
    for pid, kind, g in rows:
        if pid != SITE and kind == "private":
            d = site.distance(shapely.from_wkb(bytes(g)))
            near[pid] = min(d, near.get(pid, d))
    heard = {n["property_id"] for n in doc["neighbours"] if n["relation"] != "affected"}
    expected = {pid for pid, d in near.items() if d <= radius} - heard
    affected = [n for n in doc["neighbours"] if n["relation"] == "affected"]
    assert {n["property_id"] for n in affected} == expected and expected
    assert any(radius < d <= 200 for d in near.values())  # the circle has an outside here
    for n in affected:
        assert n["distance_m"] == pytest.approx(near[n["property_id"]], abs=0.01)
        assert "substantially affected" in n["reason"] and "Building Act 64 §" in n["reason"]
        assert n["reason_fi"].endswith("(RakL 64 §)") and n["reason_sv"].endswith(
            "(bygglagen 64 §)"
        )
    assert doc["totals"]["affected"] == len(affected)


def test_filing_date_and_letters_sent_are_two_inputs(client: Any, demo: Any) -> None:
    url = f"/api/v1/parcels/{SITE}/neighbours?date=2024-12-20&letters_sent=2025-12-10"
    doc = client.get(url).json()
    assert doc["regime"] == "MRL" and doc["date"] == "2024-12-20"
    t = doc["totals"]
    assert t["letters_sent"] == "2025-12-10"
    assert (t["hearing_deadline"], t["earliest_decision_date"]) == ("2025-12-29", "2025-12-30")
    assert t["deadline_moved_from"] == "2025-12-24" and "150/1930" in t["deadline_rule"]
    body = {"property_id": SITE, "letters_sent": "2025-12-03"}
    listed = client.post("/api/v1/hearing/list", json=body).json()["totals"]
    assert (listed["hearing_deadline"], listed["earliest_decision_date"]) == (
        "2025-12-17",
        "2025-12-18",
    )


def test_kempele_road_authority_and_lappeenranta_letters(
    client: Any, demo: Any, engine: Any
) -> None:
    pid = _state_road_unit(engine)
    doc = client.get(f"/api/v1/parcels/{pid}/neighbours").json()
    assert doc["authorities"][0]["name"].startswith("Pohjois-Pohjanmaan ELY-keskus")
    site = mapping(shapely.from_wkb(bytes(_unit_wkb(engine, pid))))
    body = {"site": site, "crs": "EPSG:3067", "municipality": "405", "kind": "deviation"}
    t = client.post("/api/v1/neighbours", json=body).json()["totals"]
    assert any(r["kind"] == "state" for r in t["recipients"])
    # 56 € per letter, the ELY centre's letter not charged
    assert t["letters_charged"] == t["letters"] - 1
    assert t["hearing_cost_eur"] == 56.0 * (t["letters"] - 1)


def _unit_wkb(engine: Any, pid: str) -> bytes:
    with engine.connect() as conn:
        return bytes(
            conn.execute(
                text("SELECT ST_AsBinary(geom) FROM property_unit WHERE property_id = :p"),
                {"p": pid},
            ).scalar_one()
        )


def test_bad_case_inputs_are_problems(client: Any, demo: Any) -> None:
    for query in ("kind=permit", "heard_by=nobody", "letters_sent=2025-13-01"):
        r = client.get(f"/api/v1/parcels/{SITE}/neighbours?{query}")
        assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM), query
    r = client.post("/api/v1/analysis/site", json={"property_id": SITE, "decided_by": "mayor"})
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)


def test_analysis_fees_kotka_house_and_shed(client: Any, demo: Any, engine: Any) -> None:
    site = shapely.from_wkb(_unit_wkb(engine, SITE))
    house = _house(site, 10, 14)
    c = site.centroid
    shed = mapping(from_storage(shapely.box(c.x + 6, c.y - 2, c.x + 10, c.y + 3), 4326))
    buildings = [
        {"footprint": house, "use": "dwelling", "floor_area_m2": 140, "height_m": 6},
        {"footprint": shed, "use": "outbuilding", "floor_area_m2": 20, "height_m": 3},
    ]
    doc = _post(client, {"property_id": SITE, "municipality": "285", "buildings": buildings})
    permits = [x["eur"] for x in doc["fees"]["lines"] if x["code"] == "building_permit"]
    assert sum(permits) == pytest.approx(300 + 140 * 4.30 + 20 * 2.60) == 954.00
    helsinki = _post(client, {"property_id": SITE, "municipality": "091", "buildings": buildings})
    assert helsinki["fees"]["total_eur"] is None and helsinki["fees"]["configured"] is False


def test_cli_neighbours_case_options(demo: Any) -> None:
    import json

    from typer.testing import CliRunner

    from api.cli import app as cli

    args = ["neighbours", SITE, "--format", "json", "--kind", "deviation"]
    r = CliRunner().invoke(cli, [*args, "--letters-sent", "2025-12-10", "--date", "2025-02-01"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["legal_basis"] == "RakL 64 §" and doc["totals"]["hearing_deadline"] == "2025-12-29"
    bad = CliRunner().invoke(cli, ["neighbours", SITE, "--kind", "permit"])
    assert bad.exit_code != 0 and "unknown kind 'permit'" in bad.output
