"""Dig permits are applications of kind `excavation`: the same id, listed and read as cases, their
steps taken through their own lifecycle; /api/v1/excavations keeps working as before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import shapely
from shapely.geometry import mapping
from sqlalchemy import text

from geo.crs import from_storage
from tests.api import casework as cw
from tests.conftest import fi_today

START = fi_today() + dt.timedelta(days=60)


@pytest.fixture(scope="module")
def dig(engine: Any, demo: Any) -> Any:
    with engine.connect() as conn:
        wkb = conn.execute(
            text(
                "SELECT ST_AsBinary(p.geom) FROM parcel p JOIN property_unit u USING (property_id)"
                " WHERE u.public_type = 'street' AND u.municipality = '244' ORDER BY p.id LIMIT 1"
            )
        ).scalar_one()
    c = shapely.from_wkb(bytes(wkb)).centroid
    return mapping(from_storage(shapely.box(c.x - 1, c.y - 1, c.x + 1, c.y + 1), 4326))


def _phases(dig: Any) -> list[dict[str, Any]]:
    return [{"areas": [dig], "start": str(START), "end": str(START + dt.timedelta(days=3))}]


@pytest.fixture()
def permit(contractor_client: Any, dig: Any, engine: Any) -> Iterator[int]:
    r = contractor_client.post(
        "/api/v1/excavations",
        json={"municipality": "244", "applicant": "Kaivu Oy", "phases": _phases(dig)},
    )
    assert r.status_code == 201, r.text
    yield r.json()["id"]
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": r.json()["id"]})


def test_a_dig_permit_is_an_application_with_the_same_id(
    permit: int, contractor_client: Any
) -> None:
    doc = contractor_client.get(f"/api/v1/applications/{permit}").json()
    assert (
        doc["kind"] == "excavation" and doc["state"] == "submitted" and doc["municipality"] == "244"
    )
    assert (
        doc["works"]["permit_state"] == "submitted"
        and doc["works"]["url"] == f"/api/v1/excavations/{permit}"
    )
    assert doc["site_area_m2"] == pytest.approx(4.0, abs=0.2) and doc["yours"] is True
    listed = contractor_client.get("/api/v1/applications?kind=excavation").json()["applications"]
    assert permit in {a["id"] for a in listed}
    # the contractor applies alone: no parties are invited, and the case says so (may_invite)
    assert doc["may_invite"] is False
    r = contractor_client.post(
        f"/api/v1/applications/{permit}/parties",
        json={"role": "designer", "email": "suunnittelija@example.fi", "version": doc["version"]},
    )
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


def test_the_officer_steps_it_through_the_application_and_the_permit_follows(
    permit: int,
    contractor_client: Any,
    kempele_officer_client: Any,
    officer_client: Any,
    service_day: Any,
) -> None:
    assert (
        officer_client.get(f"/api/v1/applications/{permit}").status_code == 404
    )  # Helsinki's officer
    v = kempele_officer_client.get(f"/api/v1/applications/{permit}").json()["version"]
    r = kempele_officer_client.post(
        f"/api/v1/applications/{permit}/state", json={"state": "decided", "version": v}
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "decided" and r.json()["works"]["permit_state"] == "approved"
    assert contractor_client.get(f"/api/v1/excavations/{permit}").json()["state"] == "approved"
    stale = kempele_officer_client.post(
        f"/api/v1/applications/{permit}/state", json={"state": "started", "version": v}
    )
    assert stale.status_code == 409
    # the old endpoint moves the application too (work starts inside the permit's period: an
    # undated step would be dated today, before it, and refused - issue 14)
    early = kempele_officer_client.post(
        f"/api/v1/excavations/{permit}/state",
        json={"state": "started", "version": cw.permit_version(kempele_officer_client, permit)},
    )
    assert early.status_code == 422
    service_day.to(START)  # the day the work starts: the step is recorded on it
    r = kempele_officer_client.post(
        f"/api/v1/excavations/{permit}/state",
        json={
            "state": "started",
            "date": str(START),
            "version": cw.permit_version(kempele_officer_client, permit),
        },
    )
    assert r.status_code == 200, r.text
    assert contractor_client.get(f"/api/v1/applications/{permit}").json()["state"] == "started"
    # the case's timeline has its filing and both steps, whichever endpoint took them (a dig's
    # timeline had no event at all)
    events = contractor_client.get(f"/api/v1/applications/{permit}/timeline").json()["events"]
    seen = [
        (e["event"], e["from_state"], e["to_state"], e["role"], e["detail"].get("permit_state"))
        for e in events
    ]
    assert seen == [
        ("created", None, "submitted", "contractor", None),
        ("state", "submitted", "decided", "officer", "approved"),
        ("state", "decided", "started", "officer", "started"),
    ]
    assert events[-1]["on"] == str(START) and events[1]["on"] == str(fi_today())


def test_an_applicant_files_a_dig_either_way(applicant_client: Any, dig: Any, engine: Any) -> None:
    """A homeowner's own connection dig: `POST /excavations` took it, `/applications` did not."""
    body = {"kind": "excavation", "phases": _phases(dig), "municipality": "244"}
    r = applicant_client.post("/api/v1/applications", json=body)
    assert r.status_code == 201, r.text
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM application WHERE id = :i"), {"i": r.json()["id"]})


def test_a_dig_draft_is_filed_through_applications_with_its_phases(
    contractor_client: Any, dig: Any, engine: Any
) -> None:
    r = contractor_client.post(
        "/api/v1/applications",
        json={"kind": "excavation", "phases": _phases(dig), "municipality": "244"},
    )
    assert r.status_code == 201, r.text
    doc = r.json()
    try:
        assert doc["state"] == "draft" and doc["works"]["permit_state"] == "draft"
        assert (
            contractor_client.post("/api/v1/applications", json={"kind": "excavation"}).status_code
            == 422
        )
        r = contractor_client.post(
            f"/api/v1/applications/{doc['id']}/submit",
            json={"version": cw.version(contractor_client, doc["id"])},
        )
        assert r.status_code == 200 and r.json()["state"] == "submitted"
        timeline = contractor_client.get(f"/api/v1/applications/{doc['id']}/timeline").json()
        seen = [(e["event"], e["from_state"], e["to_state"]) for e in timeline["events"]]
        assert seen == [("created", None, "draft"), ("state", "draft", "submitted")]
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM application WHERE id = :i"), {"i": doc["id"]})


def test_an_emergency_dig_is_filed_as_one_through_applications(
    contractor_client: Any, dig: Any, engine: Any
) -> None:
    """A burst water main dug today: /applications dropped `emergency` (and the applicant's name),
    so the permit was an ordinary one, five days short of its lead time."""
    from tests.conftest import fi_today

    today = fi_today()
    phases = [{"areas": [dig], "start": str(today), "end": str(today + dt.timedelta(days=1))}]
    body = {
        "kind": "excavation",
        "phases": phases,
        "municipality": "244",
        "emergency": True,
        "applicant": "Vesihuolto Oy",
    }
    r = contractor_client.post("/api/v1/applications", json=body)
    assert r.status_code == 201, r.text[:300]
    app_id = r.json()["id"]
    try:
        permit = contractor_client.get(f"/api/v1/excavations/{app_id}").json()
        assert permit["emergency"] is True and permit["applicant"] == "Vesihuolto Oy", permit
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM application WHERE id = :i"), {"i": app_id})
