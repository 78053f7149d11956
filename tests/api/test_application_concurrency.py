"""Two officers change the same application at once: one wins, the other gets 409, nothing is lost."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api import casework as cw
from tests.conftest import TEST_PASSWORD, needs_nls

pytestmark = needs_nls


@pytest.fixture(scope="module")
def second_officer(app: Any, engine: Any, settings: Any) -> Iterator[TestClient]:
    from api.services import accounts

    with engine.connect() as conn:
        user = accounts.add_user(
            conn, settings, "officer2.091@test.invalid", "officer", "091", TEST_PASSWORD
        )
        token = accounts.issue_token(conn, settings, user).token
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:
        yield c


@pytest.fixture()
def submitted(nls: Any, engine: Any, applicant_client: Any) -> Iterator[dict[str, Any]]:
    app = cw.file_and_submit(
        applicant_client, {"kind": "building_permit", "property_id": "91-22-696-1"}
    )
    yield app
    cw.delete_application(engine, app["id"])


def _at_once(*calls: Any) -> list[Any]:
    """Run the calls in threads released together; return their responses in order."""
    gate = threading.Barrier(len(calls))
    out: list[Any] = [None] * len(calls)

    def run(i: int, call: Any) -> None:
        gate.wait()
        out[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out


def test_two_officers_take_the_same_step_one_wins_one_gets_409(
    submitted: dict[str, Any], officer_client: Any, second_officer: TestClient
) -> None:
    app_id, version = submitted["id"], submitted["version"]
    url = f"/api/v1/applications/{app_id}/state"
    a, b = _at_once(
        lambda: officer_client.post(
            url, json={"state": "in_review", "version": version, "reason": "A"}
        ),
        lambda: second_officer.post(
            url, json={"state": "in_review", "version": version, "reason": "B"}
        ),
    )
    assert sorted([a.status_code, b.status_code]) == [200, 409]
    loser = a if a.status_code == 409 else b
    assert loser.headers["content-type"].startswith("application/problem+json")
    problem = loser.json()
    assert problem["code"] == "stale_version" and problem["current_version"] == version + 1
    doc = officer_client.get(f"/api/v1/applications/{app_id}").json()
    assert doc["state"] == "in_review" and doc["version"] == version + 1
    timeline = officer_client.get(f"/api/v1/applications/{app_id}/timeline").json()
    steps = [e for e in timeline["events"] if e["event"] == "state"]
    assert len(steps) == 1  # the loser wrote nothing


def test_two_answers_recorded_at_once_both_survive(
    submitted: dict[str, Any], officer_client: Any, second_officer: TestClient
) -> None:
    app_id = submitted["id"]
    sent = submitted["filed_on"]
    r = officer_client.post(
        f"/api/v1/applications/{app_id}/hearing/letters",
        json={"version": cw.version(officer_client, app_id), "sent": sent, "heard_by": "authority"},
    )
    assert r.status_code == 200, r.text
    hearing = r.json()
    first, second = [a for a in hearing["addressees"] if a["status"] == "letter_sent"][:2]
    version = hearing["version"]

    def answer(c: Any, a: dict[str, Any], status: str, v: int) -> Any:
        body = {"status": status, "date": sent, "remarks": None, "version": v}
        return c.patch(f"/api/v1/applications/{app_id}/hearing/{a['id']}", json=body)

    x, y = _at_once(
        lambda: answer(officer_client, first, "answered_no_remarks", version),
        lambda: answer(second_officer, second, "consented", version),
    )
    assert sorted([x.status_code, y.status_code]) == [200, 409]
    # the loser reads again and records its answer: both are there
    fresh = second_officer.get(f"/api/v1/applications/{app_id}/hearing").json()
    retry_a, retry_status = (
        (second, "consented") if x.status_code == 200 else (first, "answered_no_remarks")
    )
    assert answer(second_officer, retry_a, retry_status, fresh["version"]).status_code == 200
    final = {
        a["id"]: a["status"]
        for a in officer_client.get(f"/api/v1/applications/{app_id}/hearing").json()["addressees"]
    }
    assert final[first["id"]] == "answered_no_remarks" and final[second["id"]] == "consented"
