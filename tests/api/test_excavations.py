"""Street-excavation checks on the generated town (Kempele rules) and real NLS streets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.ops import transform
from sqlalchemy import text

from geo.crs import from_storage
from tests.api import casework as cw
from tests.api import pdfs
from tests.conftest import fi_today, needs_nls

TODAY = dt.date(2026, 11, 22)
PROBLEM = "application/problem+json"


def _fi(d: dt.date) -> str:
    """A date as a Finnish document writes it."""
    return f"{d.day}.{d.month}.{d.year}"


def _geom(engine: Any, sql: str) -> Any:
    with engine.connect() as conn:
        return shapely.from_wkb(bytes(conn.execute(text(sql)).scalar_one()))


@pytest.fixture(scope="module")
def street(engine: Any, demo: Any) -> Any:
    """A plain municipal street unit of the demo town (not beside a state road)."""
    return _geom(
        engine,
        "SELECT ST_AsBinary(p.geom) FROM parcel p JOIN property_unit u USING (property_id)"
        " WHERE u.public_type='street' AND u.municipality='244' AND NOT EXISTS (SELECT 1 FROM road_area r"
        " WHERE ST_DWithin(r.geom, p.geom, 30)) ORDER BY p.id LIMIT 1",
    )


def _body(area: Any, start: dt.date, end: dt.date | None = None, **kw: Any) -> dict[str, Any]:
    phase = {
        "areas": [mapping(from_storage(area, 4326))],
        "start": start.isoformat(),
        "end": (end or start + dt.timedelta(days=5)).isoformat(),
        **kw.pop("phase", {}),
    }
    return {
        "municipality": "244",
        "kind": "excavation",
        "today": TODAY.isoformat(),
        "phases": [phase],
        **kw,
    }


def _codes(doc: dict[str, Any]) -> list[str]:
    return [f["code"] for f in doc["findings"]]


def _inside(street: Any, r: float = 1.5) -> Any:
    c = street.centroid
    return shapely.box(c.x - r, c.y - r, c.x + r, c.y + r)


def test_clean_dig_in_a_street(client: Any, street: Any) -> None:
    r = client.post(
        "/api/v1/excavations/check", json=_body(_inside(street), TODAY + dt.timedelta(days=10))
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert "on_private_land" not in _codes(doc) and "lead_time" not in _codes(doc)
    assert doc["fee"]["total_eur"] == 110.0  # Kempele flat fee
    assert doc["area_m2"] == pytest.approx(9.0, abs=0.01)
    assert doc["grantable"]


def test_lead_time_both_sides_and_emergency(client: Any, street: Any) -> None:
    ok = client.post(
        "/api/v1/excavations/check", json=_body(_inside(street), TODAY + dt.timedelta(days=5))
    ).json()
    assert "lead_time" not in _codes(ok)
    late = client.post(
        "/api/v1/excavations/check", json=_body(_inside(street), TODAY + dt.timedelta(days=4))
    ).json()
    f = next(f for f in late["findings"] if f["code"] == "lead_time")
    assert f["days_short"] == 1 and not late["grantable"]
    em = client.post(
        "/api/v1/excavations/check", json=_body(_inside(street), TODAY, emergency=True)
    ).json()
    f = next(f for f in em["findings"] if f["code"] == "lead_time")
    assert f["emergency"] and f["severity"] == "info"
    assert f["report_by"] == "2026-11-23"  # started on Sunday 22.11.2026: Monday


def test_an_emergency_dig_is_reported_by_the_next_working_day(client: Any, street: Any) -> None:
    """Domain.md K2: emergency work is reported the next working day. Started on Wednesday
    23.12.2026: Christmas Eve (Act 150/1930 5 §), Christmas Day, Boxing Day and Sunday follow,
    so Monday 28.12.2026, counted by hand."""
    start = dt.date(2026, 12, 23)
    body = {**_body(_inside(street), start, emergency=True), "today": start.isoformat()}
    for lang, said in (
        ("fi", "ilmoita työstä viimeistään 28.12.2026"),
        ("sv", "anmäl det senast 28.12.2026"),
        ("en", "report it by 2026-12-28"),
    ):
        doc = client.post(f"/api/v1/excavations/check?lang={lang}", json=body).json()
        f = next(f for f in doc["findings"] if f["code"] == "lead_time")
        assert f["report_by"] == "2026-12-28" and said in f["message"], f


def test_private_land_names_the_property_and_area(client: Any, street: Any, engine: Any) -> None:
    with engine.connect() as conn:
        pid, wkb = conn.execute(
            text(
                "SELECT p.property_id, ST_AsBinary(p.geom) FROM parcel p JOIN property_unit u USING (property_id)"
                " WHERE u.kind='private' AND ST_DWithin(p.geom, ST_GeomFromWKB(:s, 3067), 0.5) LIMIT 1"
            ),
            {"s": shapely.to_wkb(street)},
        ).one()
    lot = shapely.from_wkb(bytes(wkb))
    edge_dig = lot.intersection(street.buffer(2.0)).buffer(
        0
    )  # 2 m into the lot along its street side
    overlap = edge_dig.intersection(lot).area
    doc = client.post(
        "/api/v1/excavations/check",
        json=_body(edge_dig.union(_inside(street, 0.5)).convex_hull, TODAY + dt.timedelta(days=9)),
    ).json()
    f = next(f for f in doc["findings"] if f["code"] == "on_private_land")
    got = {p["property_id"]: p["area_m2"] for p in f["properties"]}
    assert pid in got and got[pid] >= overlap * 0.9


def test_state_road_makes_ely_the_authority(client: Any, engine: Any, demo: Any) -> None:
    road = _geom(
        engine, "SELECT ST_AsBinary(geom) FROM road_area WHERE name='Eteläsuomentie' LIMIT 1"
    )
    doc = client.post(
        "/api/v1/excavations/check", json=_body(_inside(road), TODAY + dt.timedelta(days=9))
    ).json()
    f = next(f for f in doc["findings"] if f["code"] == "state_road")
    assert f["road_name"] == "Eteläsuomentie" and "ELY" in f["authority"]


def test_carriageway_needs_a_traffic_plan_and_warns_the_opposite_side(
    client: Any, street: Any
) -> None:
    body = _body(_inside(street, 4.0), TODAY + dt.timedelta(days=9), phase={"on_carriageway": True})
    doc = client.post("/api/v1/excavations/check", json=body).json()
    assert "traffic_plan_missing" in _codes(doc)
    # stop 54's walkthrough: spaces, a dash or a dot lifted the blocker as a plan would
    for blank in ("   ", "-", ".", "\t"):
        body["phases"][0]["traffic_plan"] = blank
        doc = client.post("/api/v1/excavations/check", json=body).json()
        assert "traffic_plan_missing" in _codes(doc), blank
        assert not doc["grantable"], blank
    body["phases"][0]["traffic_plan"] = "vakiopiirustus LM-2"
    doc = client.post("/api/v1/excavations/check", json=body).json()
    assert "traffic_plan_missing" not in _codes(doc)
    opposite = [
        f for f in doc["findings"] if f["code"] == "access_affected" and f.get("side") == "opposite"
    ]
    assert opposite and all(p["side"] == "opposite" for p in opposite[0]["properties"])


def test_line_with_width_has_flat_ends(client: Any, street: Any) -> None:
    c = street.centroid
    line = shapely.LineString([(c.x - 3, c.y), (c.x + 3, c.y)])
    body = _body(line, TODAY + dt.timedelta(days=9), phase={"width_m": 0.6})
    doc = client.post("/api/v1/excavations/check", json=body).json()
    assert doc["area_m2"] == pytest.approx(3.6, abs=0.01)  # 6 m × 0.6 m, no round caps
    body["phases"][0].pop("width_m")
    r = client.post("/api/v1/excavations/check", json=body)
    assert r.status_code == 422 and "width_m" in r.json()["detail"]


def test_clash_in_space_and_time_both_sides(
    client: Any, contractor_client: Any, street: Any, engine: Any
) -> None:
    start = TODAY + dt.timedelta(days=30)
    first = contractor_client.post(
        "/api/v1/excavations",
        json=_body(_inside(street), start, start + dt.timedelta(days=10), applicant="Kaivuu Oy"),
    )
    assert first.status_code == 201, first.text
    pid = first.json()["id"]
    try:
        c = street.centroid
        near = shapely.box(c.x + 5, c.y - 1, c.x + 7, c.y + 1)  # 3.5 m from the first dig
        doc = client.post(
            "/api/v1/excavations/check", json=_body(near, start + dt.timedelta(days=5))
        ).json()
        clash = next(f for f in doc["findings"] if f["code"] == "clash" and f["permit_id"] == pid)
        assert clash["gap_m"] == pytest.approx(3.5, abs=0.01) and clash["overlap_days"] == 6
        later = client.post(
            "/api/v1/excavations/check", json=_body(near, start + dt.timedelta(days=11))
        ).json()
        assert not [f for f in later["findings"] if f["code"] == "clash" and f["permit_id"] == pid]
        far = shapely.box(c.x + 30, c.y - 1, c.x + 32, c.y + 1)
        doc = client.post(
            "/api/v1/excavations/check", json=_body(far, start + dt.timedelta(days=5))
        ).json()
        assert not [f for f in doc["findings"] if f["code"] == "clash" and f["permit_id"] == pid]
        lon, lat = from_storage(c, 4326).coords[0]
        fc = client.get(
            f"/api/v1/excavations?bbox={lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
            f"&from={start}&to={start + dt.timedelta(days=2)}"
        ).json()
        assert pid in {f["properties"]["permit_id"] for f in fc["features"]}
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": pid})


def _step(client: Any, pid: int, body: dict[str, Any]) -> Any:
    """A lifecycle step sent with the version the client just read."""
    version = client.get(f"/api/v1/excavations/{pid}").json()["version"]
    return client.post(f"/api/v1/excavations/{pid}/state", json={**body, "version": version})


def test_lifecycle_and_guarantee(
    contractor_client: Any,
    kempele_officer_client: Any,
    street: Any,
    engine: Any,
    service_day: Any,
) -> None:
    client = kempele_officer_client  # only the town's officer approves and accepts
    doc = contractor_client.post(
        "/api/v1/excavations", json=_body(_inside(street), TODAY + dt.timedelta(days=100))
    ).json()
    pid = doc["id"]
    try:
        # issue 14: steps on the site are dated within the permit's period, in order
        start = (TODAY + dt.timedelta(days=100)).isoformat()
        # issue 14: a change names the version read; without it nothing changes (428)
        blind = client.post(f"/api/v1/excavations/{pid}/state", json={"state": "approved"})
        assert blind.status_code == 428 and blind.json()["code"] == "version_required"
        edit = contractor_client.put(
            f"/api/v1/excavations/{pid}", json=_body(_inside(street), TODAY)
        )
        assert (
            edit.status_code == 428
            and client.get(f"/api/v1/excavations/{pid}").json()["version"] == 1
        )
        early = _step(client, pid, {"state": "approved"})
        assert early.status_code == 200, early.text
        ahead = _step(client, pid, {"state": "started", "date": start})
        assert ahead.status_code == 422 and "after today" in ahead.json()["detail"]
        service_day.to(dt.date(2029, 7, 1))  # each step below is recorded after its day
        for state, day in (("started", start), ("finished", "2027-03-07")):
            r = _step(client, pid, {"state": state, "date": day})
            assert r.status_code == 200, r.text
        r = _step(client, pid, {"state": "accepted", "date": "2027-06-15"}).json()
        assert r["guarantee_ends"] == "2029-06-15"
        assert {"kind": "guarantee", "date": "2029-06-08"} in r["inspections"]
        bad = _step(client, pid, {"state": "started"})
        assert bad.status_code == 409 and bad.headers["content-type"].startswith(PROBLEM)
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": pid})


def test_outside_the_municipality(client: Any, contractor_client: Any, engine: Any) -> None:
    empty = shapely.box(300_500, 6_900_500, 300_504, 6_900_504)
    doc = client.post(
        "/api/v1/excavations/check", json=_body(empty, TODAY + dt.timedelta(days=9))
    ).json()
    assert "outside_municipality" in _codes(doc)
    # stop 54's walkthrough: the finding named the municipality by its code ("kunnan 244 maan")
    for lang, said in (("fi", "kunnan (Kempele) maan"), ("sv", "utanför kommunens (Kempele) mark")):
        out = client.post(
            f"/api/v1/excavations/check?lang={lang}",
            json=_body(empty, TODAY + dt.timedelta(days=9)),
        ).json()
        found = next(f for f in out["findings"] if f["code"] == "outside_municipality")
        assert said in found["message"] and "244" not in found["message"], found["message"]
    # stop 54's walkthrough: such a dig was filed as the default municipality's. It is not
    # filed (nothing stored); a draft is kept; naming the municipality files it there
    body = {**_body(empty, TODAY + dt.timedelta(days=9)), "municipality": None}
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM excavation_permit")).scalar_one()
    r = contractor_client.post("/api/v1/excavations?lang=fi", json=body)
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM), r.text
    assert "kuntaa ei tiedetä" in r.json()["detail"], r.text
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM excavation_permit")).scalar_one() == before
    kept = []
    try:
        r = contractor_client.post("/api/v1/excavations?draft=true", json=body)
        assert r.status_code == 201, r.text
        kept.append(r.json()["id"])
        # nor is the draft filed later (stop 54's review: filing a draft went round the check)
        step = {"state": "submitted", "version": r.json()["version"]}
        filed = contractor_client.post(f"/api/v1/excavations/{kept[0]}/state?lang=sv", json=step)
        assert filed.status_code == 409, filed.text
        assert "kommunen är okänd" in filed.json()["detail"], filed.text
        with engine.connect() as conn:
            state = conn.execute(
                text("SELECT state FROM excavation_permit WHERE id = :i"), {"i": kept[0]}
            ).scalar_one()
        assert state == "draft"
        r = contractor_client.post("/api/v1/excavations", json={**body, "municipality": "244"})
        assert r.status_code == 201 and r.json()["municipality"] == "244", r.text
        kept.append(r.json()["id"])
        assert not r.json()["grantable"]  # its outside_municipality finding still blocks it
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = ANY(:i)"), {"i": kept})


def test_bad_input(client: Any, street: Any) -> None:
    good = _body(_inside(street), TODAY + dt.timedelta(days=9))
    cases = []
    b = _body(_inside(street), TODAY + dt.timedelta(days=9), TODAY + dt.timedelta(days=8))
    cases.append((b, "ends"))
    b = dict(good, municipality="999")
    cases.append((b, "unknown municipality"))
    b = _body(street.buffer(200), TODAY + dt.timedelta(days=9))
    cases.append((b, "too large"))
    b = dict(good)
    b["phases"] = [dict(good["phases"][0], areas=[{"type": "Polygon", "coordinates": []}])]
    cases.append((b, "empty"))
    b = dict(good)
    b["phases"] = [
        dict(
            good["phases"][0],
            areas=[
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[25.5, 64.9], [25.51, 64.91], [25.51, 64.9], [25.5, 64.91], [25.5, 64.9]]
                    ],
                }
            ],
        )
    ]
    cases.append((b, "Self-intersection"))
    for body, word in cases:
        r = client.post("/api/v1/excavations/check", json=body)
        assert r.status_code == 422, (word, r.text)
        assert r.headers["content-type"].startswith(PROBLEM)
        assert word in r.json()["detail"], (word, r.json())
    # stop 54's walkthrough: the Finnish and Swedish pages said it in English
    start, end = TODAY + dt.timedelta(days=9), TODAY + dt.timedelta(days=8)
    b = _body(_inside(street), start, end)
    for lang, said in (
        ("fi", f"vaihe 1: loppupäivä {end.day}.{end.month}.{end.year} on ennen alkupäivää "),
        ("sv", f"etapp 1: slutdagen {end.day}.{end.month}.{end.year} är före startdagen "),
    ):
        r = client.post(f"/api/v1/excavations/check?lang={lang}", json=b)
        assert r.status_code == 422 and r.json()["detail"].startswith(said), r.text
        assert r.json()["phase"] == 1


def test_cli_check(tmp_path: Any, street: Any) -> None:
    import json

    from typer.testing import CliRunner

    from api.cli import app as cli

    f = tmp_path / "dig.geojson"
    f.write_text(json.dumps(_body(_inside(street), TODAY + dt.timedelta(days=2))))
    r = CliRunner().invoke(cli, ["excavation", "check", str(f)])
    assert r.exit_code == 0, r.output
    assert "lead_time" in r.output


def test_multi_phase_permit(client: Any, street: Any) -> None:
    c = street.centroid
    line = shapely.LineString([(c.x - 3, c.y), (c.x + 3, c.y)])
    body = _body(_inside(street), TODAY + dt.timedelta(days=2))
    body["phases"].append(
        {
            "areas": [mapping(from_storage(line, 4326))],
            "width_m": 0.5,
            "start": (TODAY + dt.timedelta(days=20)).isoformat(),
            "end": (TODAY + dt.timedelta(days=25)).isoformat(),
            "on_carriageway": True,
        }
    )
    doc = client.post("/api/v1/excavations/check", json=body).json()
    by_phase = {(f["code"], f["phase"]) for f in doc["findings"]}
    assert ("lead_time", 1) in by_phase and ("lead_time", 2) not in by_phase
    assert ("traffic_plan_missing", 2) in by_phase and ("traffic_plan_missing", 1) not in by_phase
    assert [p["area_m2"] for p in doc["phases"]] == [
        pytest.approx(9.0, abs=0.01),
        pytest.approx(3.0, abs=0.01),
    ]
    assert (
        doc["starts_on"] == body["phases"][0]["start"]
        and doc["ends_on"] == body["phases"][1]["end"]
    )


@needs_nls
def test_real_helsinki_streets_and_state_road(client: Any, nls: Any, engine: Any) -> None:
    mid = _geom(
        engine,
        "SELECT ST_AsBinary(ST_LineInterpolatePoint(r.geom, 0.5)) FROM road_centreline r"
        " JOIN parcel p ON ST_Within(ST_Buffer(r.geom, 2), p.geom) JOIN property_unit u USING (property_id)"
        " WHERE r.name_fi = 'Mäkelänkatu' AND u.public_type = 'street' ORDER BY r.id LIMIT 1",
    )
    dig = shapely.box(mid.x - 1, mid.y - 1, mid.x + 1, mid.y + 1)
    body = _body(dig, TODAY + dt.timedelta(days=9))
    body["municipality"] = "091"
    doc = client.post("/api/v1/excavations/check", json=body).json()
    assert "on_private_land" not in _codes(doc) and "outside_municipality" not in _codes(doc)
    # Helsinki: handling + daily fee by band and zone, but no source gives the amounts, so the
    # rule file has none (issue 9; this asserted an invented handling-fee line before).
    fee = doc["fee"]
    assert fee["configured"] is False and fee["lines"] == [] and fee["total_eur"] is None
    assert "no excavation tariff configured for Helsinki" in fee["note"]
    assert "päivämaksu" in fee["structure"]
    # stop 54's walkthrough: the Swedish page said the note in Finnish, with the Finnish name
    sv = client.post("/api/v1/excavations/check?lang=sv", json=body).json()
    assert sv["municipality_name"] == "Helsingfors"
    note = sv["fee"]["note"]
    assert "Helsingfors (behandlingsavgift" in note and "avgiftszon" in note, note
    assert "maksu" not in note and "kunnalle" not in note, note
    en = client.post("/api/v1/excavations/check?lang=en", json=body).json()["fee"]["note"]
    assert "Helsinki (handling fee" in en and "maksu" not in en, en
    state = _geom(
        engine,
        "SELECT ST_AsBinary(geom) FROM road_centreline WHERE state_road AND source_id IS NOT NULL"
        " ORDER BY id LIMIT 1",
    )
    p = state.interpolate(0.5, normalized=True)
    body = _body(shapely.box(p.x - 1, p.y - 1, p.x + 1, p.y + 1), TODAY + dt.timedelta(days=9))
    body["municipality"] = "091"
    doc = client.post("/api/v1/excavations/check", json=body).json()
    assert "state_road" in _codes(doc)


def test_a_stored_permit_is_checked_on_the_servers_day(
    contractor_client: Any, street: Any, engine: Any
) -> None:
    """A client's "today" a week ago hid the lead time a permit stored now no longer has."""
    from tests.conftest import fi_today

    start = fi_today() + dt.timedelta(days=2)  # Kempele asks for 5 days
    body = {
        **_body(_inside(street), start),
        "today": (fi_today() - dt.timedelta(days=7)).isoformat(),
    }
    r = contractor_client.post("/api/v1/excavations", json=body)
    assert r.status_code == 201, r.text[:300]
    try:
        assert "lead_time" in _codes(r.json()) and not r.json()["grantable"]
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": r.json()["id"]})


LATER_TARIFF = """

[[versions]]
effective_from = 2027-01-01
note = "test: a later tariff"

[versions.excavation]
flat_fee_eur = 300.00
guarantee_years = 5

[versions.sources]
"excavation.flat_fee_eur" = "test: a tariff that comes into force later"
"excavation.guarantee_years" = "test: a guarantee that comes into force later"
"""


def test_a_dig_is_charged_by_the_rules_of_its_filing_day(
    settings: Any, engine: Any, street: Any, tmp_path: Any, service_day: Any
) -> None:
    """Filed before a new tariff, for works after it: the tariff and guarantee of the filing day."""
    import shutil

    from api.schemas.requests import ExcavationIn
    from api.services import excavations
    from api.settings import RULESETS_DIR

    rules_dir = tmp_path / "rulesets"
    shutil.copytree(RULESETS_DIR, rules_dir)
    kempele = rules_dir / "244.toml"
    kempele.write_text(kempele.read_text(encoding="utf-8") + LATER_TARIFF, encoding="utf-8")
    own = settings.model_copy(update={"rulesets_dir": rules_dir})
    start = dt.date(2027, 2, 1)
    body = _body(_inside(street), start, start + dt.timedelta(days=5))
    with engine.connect() as conn:
        filed_now = excavations.check(conn, own, ExcavationIn.model_validate(body))
        as_if_later = {**body, "today": "2027-01-15"}
        filed_later = excavations.check(conn, own, ExcavationIn.model_validate(as_if_later))
        assert filed_now.fee.total_eur == 110.0  # Kempele's tariff in force on 22.11.2026
        assert filed_later.fee.total_eur == 300.0  # the test's tariff from 1.1.2027
        stored = excavations.create(conn, own, ExcavationIn.model_validate(body))
    try:
        assert stored.fee.total_eur == 110.0  # filed today, before 2027
        with engine.connect() as conn:
            for state, day in (
                ("approved", None),
                ("started", start),
                ("finished", start + dt.timedelta(days=5)),
                ("accepted", dt.date(2027, 3, 1)),
            ):
                if state == "started":  # recorded on the last step's day, after the work
                    service_day.to(dt.date(2027, 3, 1))
                version = excavations.get(conn, own, stored.id).version
                done = excavations.change_state(conn, own, stored.id, state, day, version)
                conn.commit()
        assert done.guarantee_ends == "2029-03-01"  # two years (Kempele), not the later five
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": stored.id})


def test_an_officer_reads_a_stored_permits_findings_and_cannot_approve_a_blocked_one(
    contractor_client: Any, kempele_officer_client: Any, client: Any, street: Any, engine: Any
) -> None:
    """The check a contractor saw is the officer's too, and a blocker stops the approval."""
    from tests.conftest import fi_today

    start = fi_today() + dt.timedelta(days=30)
    body = _body(_inside(street, 4.0), start, phase={"on_carriageway": True})
    body.pop("today")
    stored = contractor_client.post("/api/v1/excavations", json=body)
    assert stored.status_code == 201, stored.text[:300]
    pid = stored.json()["id"]
    officer = kempele_officer_client
    try:
        seen = officer.get(f"/api/v1/excavations/{pid}/check?lang=fi")
        assert seen.status_code == 200, seen.text[:300]
        doc = seen.json()
        # what the contractor's own check said when it was stored, area and all
        assert _codes(doc) == _codes(stored.json()) and "traffic_plan_missing" in _codes(doc)
        assert doc["area_m2"] == pytest.approx(64.0, abs=0.01) and not doc["grantable"]
        assert doc["fee"]["total_eur"] == 110.0 and doc["lang"] == "fi"
        assert client.get(f"/api/v1/excavations/{pid}/check").status_code == 401
        refused = _step(officer, pid, {"state": "approved"})
        assert refused.status_code == 409 and refused.headers["content-type"].startswith(PROBLEM)
        assert refused.json()["findings"] == ["traffic_plan_missing"], refused.json()
        assert officer.get(f"/api/v1/excavations/{pid}").json()["state"] == "submitted"
        # the contractor adds the plan: the same officer may now approve it
        body["phases"][0]["traffic_plan"] = "vakiopiirustus LM-2"
        version = officer.get(f"/api/v1/excavations/{pid}").json()["version"]
        edit = contractor_client.put(
            f"/api/v1/excavations/{pid}", json={**body, "version": version}
        )
        assert edit.status_code == 200, edit.text[:300]
        assert officer.get(f"/api/v1/excavations/{pid}/check").json()["grantable"]
        approved = _step(officer, pid, {"state": "approved"})
        assert approved.status_code == 200, approved.text[:300]
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": pid})


def _case_version(client: Any, app_id: int) -> int:
    """The application's own version (a dig's permit record counts its own)."""
    return int(client.get(f"/api/v1/applications/{app_id}").json()["version"])


def test_an_officer_approves_on_conditions_or_refuses_with_a_reason(
    contractor_client: Any, kempele_officer_client: Any, street: Any, engine: Any
) -> None:
    """The officer grants a dig on the usual conditions as edited, or refuses it and says why."""
    import tomllib
    from pathlib import Path

    from tests.conftest import fi_today

    rules = tomllib.loads(Path("api/rulesets/244.toml").read_text(encoding="utf-8"))
    years = rules["excavation"]["guarantee_years"]
    start = fi_today() + dt.timedelta(days=30)
    body = _body(_inside(street, 4.0), start, phase={"on_carriageway": True})
    body.pop("today")
    body["phases"][0]["traffic_plan"] = "vakiopiirustus LM-2"
    officer = kempele_officer_client
    ids = []
    try:
        stored = contractor_client.post("/api/v1/excavations", json=body)
        assert stored.status_code == 201, stored.text[:300]
        pid = stored.json()["id"]
        ids.append(pid)
        doc = officer.get(f"/api/v1/excavations/{pid}/check?lang=fi").json()
        said = doc["suggested_conditions"]
        # one phase on the carriageway with its plan, the opposite side's parking affected
        assert any(f.get("side") == "opposite" for f in doc["findings"])
        assert len(said) == len(set(said)) and "johtoselvitys" in said[0]
        assert any("LM-2" in c for c in said) and any("vastakkaisen" in c for c in said)
        assert f"{years} vuoden ajan" in said[-1] and not any("vaihe" in c.lower() for c in said)
        sv = officer.get(f"/api/v1/excavations/{pid}/check?lang=sv").json()
        assert (
            len(sv["suggested_conditions"]) == len(said)
            and "ledning" in sv["suggested_conditions"][0]
        )
        # conditions go with an approval only, and as `conditions` (a building case's decision
        # is no place for them); the contractor approves nothing
        wrong = _step(officer, pid, {"state": "draft", "conditions": ["x"]})
        assert wrong.status_code == 422 and wrong.headers["content-type"].startswith(PROBLEM)
        decision = {"decided_by": "inspector", "decided_on": str(fi_today()), "conditions": ["x"]}
        as_case = officer.post(
            f"/api/v1/applications/{pid}/state",
            json={"state": "decided", "version": _case_version(officer, pid), "decision": decision},
        )
        assert as_case.status_code == 422, as_case.text
        assert (
            "a dig or area-use permit's conditions go in `conditions`" in as_case.json()["detail"]
        )
        mine = _step(contractor_client, pid, {"state": "approved", "conditions": ["x"]})
        assert mine.status_code == 403
        # a decision dated before the filing is refused (stop 55's walkthrough: it was stored)
        early = str(fi_today() - dt.timedelta(days=3))
        before = _step(officer, pid, {"state": "approved", "date": early, "conditions": ["x"]})
        assert before.status_code == 422 and "filing" in before.json()["detail"], before.text
        given = [said[0], "  ", " Työ tehdään arkisin klo 7–18. "]
        ok = _step(officer, pid, {"state": "approved", "conditions": given})
        assert ok.status_code == 200, ok.text[:300]
        kept = [said[0], "Työ tehdään arkisin klo 7–18."]
        assert ok.json()["conditions"] == kept and ok.json()["refusal_reason"] is None
        got = officer.get(f"/api/v1/excavations/{pid}").json()
        assert got["conditions"] == kept
        # the decision's own day, kept apart from the later steps' (stop 55's walkthrough)
        assert ok.json()["decided_on"] == got["decided_on"] == str(fi_today())
        case = contractor_client.get(f"/api/v1/applications/{pid}").json()
        assert case["state"] == "decided" and case["works"]["conditions"] == kept
        assert case["works"]["decided_on"] == str(fi_today())
        # when it stands: a claim within 14 days of the letter's 7th day, off days off
        ends = cw.last_day(fi_today() + dt.timedelta(days=7 + 14))
        claim = {"claim_ends_on": str(ends), "legally_valid_on": str(ends + dt.timedelta(days=1))}
        for doc in (ok.json(), got, case["works"]):
            assert {k: doc[k] for k in claim} == claim
        events = contractor_client.get(f"/api/v1/applications/{pid}/timeline").json()["events"]
        assert events[-1]["detail"]["conditions"] == kept

        # a second dig, refused: only with a reason, and it then ends. Filed in Swedish, its
        # check's texts are Swedish (stop 55's walkthrough: the filing answered in Finnish)
        stored = contractor_client.post("/api/v1/excavations?lang=sv", json=body)
        rid = stored.json()["id"]
        ids.append(rid)
        # (the first dig, approved now, adds a condition to coordinate with it)
        assert stored.json()["suggested_conditions"][0] == sv["suggested_conditions"][0]
        assert stored.json()["lang"] == "sv"
        bare = _step(officer, rid, {"state": "refused", "reason": "   "})
        assert bare.status_code == 422 and bare.headers["content-type"].startswith(PROBLEM)
        fi = officer.post(
            f"/api/v1/excavations/{rid}/state?lang=fi",
            json={"state": "refused", "version": stored.json()["version"]},
        )
        assert fi.status_code == 422 and "perustelut" in fi.json()["detail"], fi.text
        by_case = officer.post(
            f"/api/v1/applications/{rid}/state",
            json={
                "state": "refused",
                "version": _case_version(officer, rid),
                "reason": " Kadulla on samaan aikaan toinen työ. ",
            },
        )
        assert by_case.status_code == 200, by_case.text[:300]
        assert by_case.json()["state"] == "refused"
        assert by_case.json()["works"]["refusal_reason"] == "Kadulla on samaan aikaan toinen työ."
        assert by_case.json()["next_states"] == []
        assert by_case.json()["works"]["decided_on"] == str(fi_today())
        assert {k: by_case.json()["works"][k] for k in claim} == claim
        assert _step(officer, rid, {"state": "started"}).status_code == 409
        # a refused dig is no works: not on the map, not a clash for the next one
        lon, lat = from_storage(street.centroid, 4326).coords[0]
        fc = officer.get(
            f"/api/v1/excavations?bbox={lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
            f"&from={start}&to={start + dt.timedelta(days=2)}"
        ).json()
        shown = {f["properties"]["permit_id"] for f in fc["features"]}
        assert pid in shown and rid not in shown
        with engine.connect() as conn:
            ogc = conn.execute(
                text("SELECT count(*) FROM ogc.excavation_areas WHERE permit_id = :i"), {"i": rid}
            ).scalar_one()
        assert ogc == 0
        again = officer.post("/api/v1/excavations/check", json=body).json()
        clashes = {f["permit_id"] for f in again["findings"] if f["code"] == "clash"}
        assert pid in clashes and rid not in clashes
        # approved through the API with no `conditions`: none recorded (null), not "none at all"
        third = contractor_client.post("/api/v1/excavations", json=body).json()
        ids.append(third["id"])
        plain = _step(officer, third["id"], {"state": "approved"})
        assert plain.status_code == 200 and plain.json()["conditions"] is None, plain.text
    finally:
        with engine.begin() as conn:
            for i in ids:
                conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": i})


def test_a_building_case_gives_its_conditions_in_its_decision(
    applicant_client: Any, engine: Any
) -> None:
    """`conditions` at the top of a step is a dig's; a building case's are its decision's."""
    r = applicant_client.post(
        "/api/v1/applications",
        json={"kind": "building_permit", "municipality": "244", "description": "x"},
    )
    assert r.status_code == 201, r.text[:300]
    app = r.json()
    try:
        for state in ("submitted", "decided", "refused"):
            bad = applicant_client.post(
                f"/api/v1/applications/{app['id']}/state",
                json={"state": state, "version": app["version"], "conditions": ["x"]},
            )
            assert bad.status_code == 422 and "decision" in bad.json()["detail"], (state, bad.text)
        # nor is a building case's decision sent: it is posted (`decision.posted_on`)
        sent = applicant_client.post(
            f"/api/v1/applications/{app['id']}/state",
            json={"state": "decided", "version": app["version"], "notice": {"method": "letter"}},
        )
        assert sent.status_code == 422 and "posted_on" in sent.json()["detail"], sent.text
        assert sent.json()["field"] == "notice"
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM application WHERE id = :i"), {"i": app["id"]})


def test_an_edit_starts_from_the_stored_application_and_is_checked_without_its_own_works(
    client: Any,
    contractor_client: Any,
    applicant_client: Any,
    kempele_officer_client: Any,
    street: Any,
    engine: Any,
) -> None:
    """The page edits a filed dig: it reads the application as stored, checks the changes
    (its own works are no clash with them) and saves them with the version it read."""
    start = fi_today() + dt.timedelta(days=40)  # approved below: past the lead time on any day
    dig = _inside(street)
    body = _body(dig, start, applicant="Kaivuu Oy", description="vesijohto", emergency=False)
    body["phases"][0]["traffic_plan"] = "LJS-7"
    made = contractor_client.post("/api/v1/excavations", json=body)
    assert made.status_code == 201, made.text
    pid = made.json()["id"]
    try:
        assert client.get(f"/api/v1/excavations/{pid}/application").status_code == 401
        # another applicant's: as if it did not exist (what they may not read, they may not check)
        assert applicant_client.get(f"/api/v1/excavations/{pid}/application").status_code == 404
        assert (
            applicant_client.post(f"/api/v1/excavations/{pid}/check", json=body).status_code == 404
        )
        got = contractor_client.get(f"/api/v1/excavations/{pid}/application")
        assert got.status_code == 200, got.text
        doc = got.json()
        assert (doc["version"], doc["crs"], doc["kind"]) == (1, "EPSG:4326", "excavation")
        assert "today" not in doc  # a request's field, not the application's
        assert (doc["applicant"], doc["description"], doc["emergency"]) == (
            "Kaivuu Oy",
            "vesijohto",
            False,
        )
        (ph,) = doc["phases"]
        assert (ph["start"], ph["end"], ph["traffic_plan"]) == (
            start.isoformat(),
            (start + dt.timedelta(days=5)).isoformat(),
            "LJS-7",
        )
        # the area as drawn, back in EPSG:4326 (RFC 7946: a counter-clockwise exterior ring)
        (area,) = ph["areas"]
        to_tm35 = Transformer.from_crs(4326, 3067, always_xy=True)
        back = shapely.transform(shapely.geometry.shape(area), to_tm35.transform, interleaved=False)
        assert shapely.LinearRing(area["coordinates"][0]).is_ccw
        assert dig.symmetric_difference(back).area < 0.05  # m², of a 9 m² dig: centimetres
        # a check of the edit: its own stored works are no clash (the general check's is)
        own = [f for f in _edit_check(client, None, doc) if f.get("permit_id") == pid]
        assert [f["code"] for f in own] == ["clash"]
        assert not [
            f for f in _edit_check(contractor_client, pid, doc) if f.get("permit_id") == pid
        ]
        # moved a day later and saved with the version read: stored as sent
        doc["phases"][0]["start"] = (start + dt.timedelta(days=1)).isoformat()
        saved = contractor_client.put(f"/api/v1/excavations/{pid}", json=doc)
        assert saved.status_code == 200, saved.text
        again = contractor_client.get(f"/api/v1/excavations/{pid}/application").json()
        assert again["version"] == 2 and again["phases"][0]["start"] == doc["phases"][0]["start"]
        assert again["applicant"] == "Kaivuu Oy"
        stale = contractor_client.put(f"/api/v1/excavations/{pid}", json=doc)
        assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
        # decided meanwhile: the edit is no longer checked as one that could be saved
        ok = _step(kempele_officer_client, pid, {"state": "approved", "conditions": []})
        assert ok.status_code == 200, ok.text[:300]
        late = contractor_client.post(f"/api/v1/excavations/{pid}/check", json=body)
        assert late.status_code == 409 and "approved" in late.json()["detail"]
        gone = contractor_client.get("/api/v1/excavations/999999999/application")
        assert gone.status_code == 404 and gone.headers["content-type"].startswith(PROBLEM)
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": pid})


def _edit_check(c: Any, pid: int | None, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings of a check of `doc`: of an edit of `pid`, or (None) of a new application."""
    url = f"/api/v1/excavations/{pid}/check" if pid else "/api/v1/excavations/check"
    r = c.post(url, json={k: v for k, v in doc.items() if k != "version"})
    assert r.status_code == 200, r.text
    found: list[dict[str, Any]] = r.json()["findings"]
    return found


def test_a_dig_decision_is_sent_by_letter_or_electronically_and_its_claim_runs_from_receipt(
    contractor_client: Any, kempele_officer_client: Any, street: Any, engine: Any, service_day: Any
) -> None:
    """The officer records how and when the decision went out: the claim's 14 days run from the
    day it is deemed received, a letter's 7th day after sending (Hallintolaki 59 §) or an
    electronic message's 3rd (13/2003 19 §), each moved off a day off by the test's calendar."""
    officer = kempele_officer_client
    filed = fi_today()
    body = _body(_inside(street), filed + dt.timedelta(days=40))
    body.pop("today")
    ids = [contractor_client.post("/api/v1/excavations", json=body).json()["id"] for _ in "ab"]
    pid, other = ids
    try:
        early = officer.get(f"/api/v1/applications/{pid}/decision.pdf")  # not decided yet
        assert early.status_code == 409 and early.headers["content-type"].startswith(PROBLEM)
        today = filed + dt.timedelta(days=10)
        service_day.to(today)
        decided, sent = filed + dt.timedelta(days=2), filed + dt.timedelta(days=4)
        step = {"state": "approved", "date": str(decided), "conditions": []}
        # not before the decision, not on a day still to come: each names the input at fault
        for day, words in (
            (decided - dt.timedelta(days=1), "before"),
            (today + dt.timedelta(days=1), "after today"),
        ):
            bad = _step(officer, pid, {**step, "notice": {"method": "letter", "sent_on": str(day)}})
            assert bad.status_code == 422 and words in bad.json()["detail"], bad.text
            assert bad.json()["field"] == "notice.sent_on"
        assert _step(officer, pid, {**step, "notice": {"method": "fax"}}).status_code == 422
        notice = {"method": "electronic", "sent_on": str(sent)}
        ok = _step(officer, pid, {**step, "notice": notice})
        assert ok.status_code == 200, ok.text[:300]
        received = sent + dt.timedelta(days=3)
        ends = cw.last_day(received + dt.timedelta(days=14))
        want = {
            "decided_on": str(decided),
            "notice_method": "electronic",
            "notice_sent_on": str(sent),
            "notice_received_on": str(received),
            "claim_ends_on": str(ends),
            "legally_valid_on": str(ends + dt.timedelta(days=1)),
        }
        got = officer.get(f"/api/v1/excavations/{pid}").json()
        case = contractor_client.get(f"/api/v1/applications/{pid}").json()
        for doc in (ok.json(), got, case["works"]):
            assert {k: doc[k] for k in want} == want
        events = officer.get(f"/api/v1/applications/{pid}/timeline").json()["events"]
        assert events[-1]["detail"]["notice"] == notice
        # the decision as a document: how it went out, the claim's last day, no conditions
        pdf = contractor_client.get(f"/api/v1/applications/{pid}/decision.pdf?lang=fi")
        assert pdf.status_code == 200, pdf.text[:300]
        said = " ".join(pdfs.text_of(pdf.content)[0].split())
        start, end = body["phases"][0]["start"], body["phases"][0]["end"]
        for words in (
            "Lupa myönnetään",
            f"Lähetetty hakijalle sähköisesti {_fi(sent)}; katsotaan saaduksi {_fi(received)}",
            f"Työn aika {_fi(dt.date.fromisoformat(start))} – {_fi(dt.date.fromisoformat(end))}",
            "Ei erityisiä lupaehtoja.",
            f"14 päivän kuluessa päätöksen tiedoksisaannista, viimeistään {_fi(ends)}",
        ):
            assert words in said, (words, said)

        # the other refused through its case, by letter on the day of the decision (default)
        by_case = officer.post(
            f"/api/v1/applications/{other}/state",
            json={"state": "refused", "version": _case_version(officer, other), "reason": "x"},
        )
        assert by_case.status_code == 200, by_case.text[:300]
        works = by_case.json()["works"]
        letter = cw.last_day(today + dt.timedelta(days=7 + 14))
        assert (works["notice_method"], works["notice_sent_on"]) == ("letter", str(today))
        assert works["notice_received_on"] == str(today + dt.timedelta(days=7))
        assert works["claim_ends_on"] == str(letter)
        said = " ".join(
            pdfs.text_of(officer.get(f"/api/v1/applications/{other}/decision.pdf?lang=fi").content)[
                0
            ].split()
        )
        assert "Päätös Hakemus hylätään" in said and "Perustelut x" in said
        assert "Lähetetty hakijalle kirjeenä" in said

        # only a decision is sent: another step with a notice is refused, naming it
        service_day.to(filed + dt.timedelta(days=45))
        later = _step(officer, pid, {"state": "started", "notice": {"method": "letter"}})
        assert later.status_code == 422 and later.json()["field"] == "notice", later.text
    finally:
        with engine.begin() as conn:
            for i in ids:
                conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": i})


def test_a_dig_withdrawn_after_its_approval_says_so_with_its_day(
    contractor_client: Any, kempele_officer_client: Any, street: Any, engine: Any, service_day: Any
) -> None:
    """Stop 58's review: a dig permit given up after it was granted printed as granted, and
    nothing named the day. The permit and its case carry `withdrawn_on` (the step's day), and
    the decision document says the permit is not in force from it, in each language."""
    officer = kempele_officer_client
    filed = fi_today()
    body = _body(_inside(street), filed + dt.timedelta(days=40))
    body.pop("today")
    pid = contractor_client.post("/api/v1/excavations", json=body).json()["id"]
    try:
        decided = filed + dt.timedelta(days=1)
        service_day.to(filed + dt.timedelta(days=3))
        step = {"state": "approved", "date": str(decided), "conditions": []}
        assert _step(officer, pid, step).status_code == 200
        assert officer.get(f"/api/v1/excavations/{pid}").json()["withdrawn_on"] is None
        gone_on = filed + dt.timedelta(days=6)
        service_day.to(gone_on)
        r = _step(contractor_client, pid, {"state": "withdrawn"})
        assert r.status_code == 200, r.text[:300]
        assert officer.get(f"/api/v1/excavations/{pid}").json()["withdrawn_on"] == str(gone_on)
        case = contractor_client.get(f"/api/v1/applications/{pid}").json()
        assert case["works"]["permit_state"] == "withdrawn"
        assert case["works"]["withdrawn_on"] == str(gone_on)
        url = f"/api/v1/applications/{pid}/decision.pdf"
        for lang, words in (
            ("fi", f"Hakija luopui luvasta {_fi(gone_on)}, eikä lupa ole enää voimassa."),
            (
                "sv",
                f"Sökanden avstod från tillståndet {_fi(gone_on)}, och tillståndet gäller inte längre.",
            ),
            (
                "en",
                f"The applicant gave up the permit on {gone_on.isoformat()}; it is no longer in force.",
            ),
        ):
            pdf = officer.get(f"{url}?lang={lang}")
            assert pdf.status_code == 200, pdf.text[:300]
            said = " ".join(pdfs.text_of(pdf.content)[0].split())
            assert words in said, (lang, said)
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": pid})


def test_a_dig_line_comes_back_to_an_edit_as_the_line_drawn_with_its_width(
    contractor_client: Any, street: Any, engine: Any
) -> None:
    """Stop 57 stored a dig line as the area it covers: an edit got a polygon back, not the line
    with its width. The line and its phase's width are kept beside the area; an area stays one."""
    c = street.centroid
    line = shapely.LineString([(c.x - 4, c.y), (c.x + 4, c.y)])
    body = _body(line, fi_today() + dt.timedelta(days=30), phase={"width_m": 0.8})
    body.pop("today")
    area = _body(_inside(street), fi_today() + dt.timedelta(days=30))["phases"][0]
    body["phases"].append(
        {**area, "start": body["phases"][0]["start"], "end": body["phases"][0]["end"]}
    )
    stored = contractor_client.post("/api/v1/excavations", json=body)
    assert stored.status_code == 201, stored.text[:300]
    pid = stored.json()["id"]
    try:
        got = contractor_client.get(f"/api/v1/excavations/{pid}/application").json()
        first, second = got["phases"]
        assert first["width_m"] == 0.8 and second["width_m"] is None
        (drawn,) = first["areas"]
        assert drawn["type"] == "LineString", drawn
        back = transform(Transformer.from_crs(4326, 3067, always_xy=True).transform, shape(drawn))
        assert back.hausdorff_distance(line) < 0.01  # the line drawn, to the centimetre
        assert second["areas"][0]["type"] == "Polygon"
        # checked again as stored, it covers what the line covered: 8 m x 0.8 m, flat ends
        again = contractor_client.post(
            f"/api/v1/excavations/{pid}/check", json={**got, "today": None}
        )
        assert again.status_code == 200, again.text[:300]
        first_area = again.json()["phases"][0]["area_m2"]
        assert first_area == pytest.approx(8 * 0.8, abs=0.01)
        # saved back unchanged, it stays a line
        put = contractor_client.put(f"/api/v1/excavations/{pid}", json=got)
        assert put.status_code == 200, put.text[:300]
        kept = contractor_client.get(f"/api/v1/excavations/{pid}/application").json()
        assert kept["phases"][0]["areas"][0]["type"] == "LineString"
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": pid})
