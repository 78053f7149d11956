"""Object-level checks on dig permits: each is its creator's; only the town's officers approve it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.api import casework as cw
from tests.conftest import fi_today

START = fi_today() + dt.timedelta(days=60)


def _body(dig: Any, applicant: str = "Aino Hakija") -> dict[str, Any]:
    end = START + dt.timedelta(days=2)
    return {
        "municipality": "244",
        "applicant": applicant,
        "phases": [{"areas": [dig], "start": str(START), "end": str(end)}],
    }


@pytest.fixture()
def permit(applicant_client: Any, dig: Any, engine: Any) -> Iterator[int]:
    """A permit applicant A submitted (deleted afterwards)."""
    r = applicant_client.post("/api/v1/excavations", json=_body(dig))
    assert r.status_code == 201, r.text
    yield r.json()["id"]
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": r.json()["id"]})


class Writer:
    """Steps and edits of a permit, each sent with the version stored now (as its owner read it)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def state(self, c: Any, pid: int, state: str) -> Any:
        version = cw.stored_permit_version(self.engine, pid)
        return c.post(f"/api/v1/excavations/{pid}/state", json={"state": state, "version": version})

    def edit(self, c: Any, pid: int, body: dict[str, Any]) -> Any:
        version = cw.stored_permit_version(self.engine, pid)
        return c.put(f"/api/v1/excavations/{pid}", json={**body, "version": version})


@pytest.fixture()
def w(engine: Any) -> Writer:
    return Writer(engine)


def test_another_applicant_can_neither_read_nor_change_it(
    w: Writer, permit: int, applicant_client: Any, applicant_b: TestClient, dig: Any
) -> None:
    assert (
        applicant_client.get(f"/api/v1/excavations/{permit}").json()["applicant"] == "Aino Hakija"
    )
    for r in (
        applicant_b.get(f"/api/v1/excavations/{permit}"),
        w.edit(applicant_b, permit, _body(dig, "Bertta")),
        w.state(applicant_b, permit, "withdrawn"),
        w.state(applicant_b, permit, "approved"),
    ):
        assert r.status_code == 404 and r.headers["content-type"].startswith(
            "application/problem+json"
        )
        assert "Aino" not in r.text
    # the same answer as for a permit that does not exist: its existence stays private
    assert applicant_b.get("/api/v1/excavations/999999999").json()["detail"] == (
        "excavation permit 999999999 does not exist"
    )
    assert applicant_client.get(f"/api/v1/excavations/{permit}").json()["state"] == "submitted"


def test_an_applicant_cannot_approve_their_own(
    w: Writer, permit: int, applicant_client: Any
) -> None:
    for step in ("approved", "started", "accepted"):
        r = w.state(applicant_client, permit, step)
        assert r.status_code == 403 and r.json()["code"] == "forbidden", step


def test_a_contractor_cannot_approve_their_own_but_can_edit_and_withdraw_it(
    w: Writer,
    contractor_client: Any,
    kempele_officer_client: Any,
    officer_client: Any,
    dig: Any,
    engine: Any,
) -> None:
    draft = contractor_client.post("/api/v1/excavations?draft=true", json=_body(dig, "Kaivu Oy"))
    assert draft.status_code == 201 and draft.json()["state"] == "draft"
    pid = draft.json()["id"]
    try:
        edited = w.edit(contractor_client, pid, _body(dig, "Kaivu Oy 2"))
        assert edited.status_code == 200 and edited.json()["state"] == "draft"
        assert (
            contractor_client.get(f"/api/v1/excavations/{pid}").json()["applicant"] == "Kaivu Oy 2"
        )
        assert w.state(contractor_client, pid, "submitted").status_code == 200
        assert w.state(contractor_client, pid, "approved").status_code == 403
        assert (
            w.state(officer_client, pid, "approved").status_code == 404
        )  # Helsinki's officer: not his
        assert w.edit(kempele_officer_client, pid, _body(dig)).status_code == 403
        assert w.state(kempele_officer_client, pid, "withdrawn").status_code == 403
        assert w.state(kempele_officer_client, pid, "approved").status_code == 200
        late_edit = w.edit(contractor_client, pid, _body(dig))
        assert late_edit.status_code == 409  # approved: no longer the applicant's to change
        assert w.state(contractor_client, pid, "started").status_code == 403
        withdrawn = w.state(contractor_client, pid, "withdrawn")
        assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
        assert (
            w.state(kempele_officer_client, pid, "started").status_code == 409
        )  # withdrawn is final
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": pid})


def test_works_map_shows_the_applicant_only_to_those_who_may_read_the_permit(
    permit: int,
    client: Any,
    applicant_client: Any,
    applicant_b: TestClient,
    kempele_officer_client: Any,
    dig: Any,
) -> None:
    lons = [p[0] for p in dig["coordinates"][0]]
    lats = [p[1] for p in dig["coordinates"][0]]
    bbox = f"{min(lons) - 0.001},{min(lats) - 0.001},{max(lons) + 0.001},{max(lats) + 0.001}"
    url = f"/api/v1/excavations?bbox={bbox}&from={START}&to={START}"

    def applicant_seen(c: Any) -> Any:
        feats = [f for f in c.get(url).json()["features"] if f["properties"]["permit_id"] == permit]
        assert feats, "the works map lists the permit to everyone"
        return feats[0]["properties"]["applicant"]

    assert applicant_seen(applicant_client) == "Aino Hakija"
    assert applicant_seen(kempele_officer_client) == "Aino Hakija"
    assert applicant_seen(applicant_b) is None and applicant_seen(client) is None


def test_an_officer_does_not_approve_a_permit_they_filed(
    w: Writer, kempele_officer_client: Any, dig: Any, engine: Any
) -> None:
    """The municipality's own works are filed by an officer and approved by another."""
    r = kempele_officer_client.post("/api/v1/excavations", json=_body(dig, "Kempeleen kunta"))
    assert r.status_code == 201, r.text[:300]
    pid = r.json()["id"]
    try:
        refused = w.state(kempele_officer_client, pid, "approved")
        assert refused.status_code == 403 and "another officer" in refused.json()["detail"]
        assert w.state(kempele_officer_client, pid, "withdrawn").status_code == 200  # their own
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": pid})
