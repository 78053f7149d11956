"""Report an inaccuracy (issue 13): anyone reports a flag, the municipality's officers read it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text


def _body(**kw: Any) -> dict[str, Any]:
    return {
        "source": "analysis",
        "code": "neighbour_consent_needed",
        "municipality": "091",
        "property_id": "91-22-694-25",
        "message": "Rakennus 1 on 1,49 m rajasta",
        "comment": f"raja on siirretty 2024 ({uuid.uuid4().hex})",
        **kw,
    }


def test_reports_are_stored_for_the_municipalitys_officers(
    client: Any,
    applicant_client: Any,
    officer_client: Any,
    kempele_officer_client: Any,
    admin_client: Any,
    engine: Any,
) -> None:
    anon = _body()
    r = client.post("/api/v1/reports", json=anon)
    assert r.status_code == 201, r.text and r.json()["state"] == "open"
    mine = _body(
        source="excavation", code="clash", location={"type": "Point", "coordinates": [24.94, 60.17]}
    )
    r = applicant_client.post("/api/v1/reports", json=mine)
    assert r.status_code == 201, r.text
    listed = officer_client.get("/api/v1/reports").json()["reports"]
    comments = {x["comment"]: x for x in listed}
    assert anon["comment"] in comments and mine["comment"] in comments
    got = comments[mine["comment"]]
    assert got["reported_by"] == "applicant@test.invalid" and got["location"]["type"] == "Point"
    assert comments[anon["comment"]]["property_id"] == "09102206940025"
    with engine.connect() as conn:
        n = conn.execute(
            text("SELECT count(*) FROM flag_report WHERE municipality = '091'")
        ).scalar_one()
    assert len(listed) == n and {x["municipality"] for x in listed} == {"091"}
    other = kempele_officer_client.get("/api/v1/reports").json()["reports"]
    assert anon["comment"] not in {x["comment"] for x in other}
    assert anon["comment"] in {
        x["comment"] for x in admin_client.get("/api/v1/reports").json()["reports"]
    }
    assert client.get("/api/v1/reports").status_code == 401
    assert applicant_client.get("/api/v1/reports").status_code == 403
    rid = comments[anon["comment"]]["id"]
    url = f"/api/v1/reports/{rid}/state"
    assert kempele_officer_client.post(url, json={"state": "accepted"}).status_code == 404
    assert applicant_client.post(url, json={"state": "accepted"}).status_code == 403
    r = officer_client.post(url, json={"state": "rejected"})
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    rejected = officer_client.get("/api/v1/reports", params={"state": "rejected"}).json()
    assert rid in {x["id"] for x in rejected["reports"]}


def test_bad_reports_are_refused(client: Any) -> None:
    for body, words in (
        (_body(code="made_up"), "unknown analysis code"),
        (_body(municipality="999"), "unknown municipality"),
        (_body(location={"type": "Point", "coordinates": [2.35, 48.85]}), "Finland"),
        (_body(location={"type": "LineString", "coordinates": [[24, 60], [25, 61]]}), "Point"),
    ):
        r = client.post("/api/v1/reports", json=body)
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
        assert words in r.json()["detail"], (words, r.json())
    assert client.post("/api/v1/reports", json=_body(comment="")).status_code == 422
