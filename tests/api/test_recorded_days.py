"""A step is recorded on the day it happened or later, never ahead, and counts from that day.

A decision dated forward passed the hearing check before the hearing had run; a step dated
forward took a case to legally valid before its appeal period ended; an answer recorded on a
later day than the decision made the hearing look complete on the decision's day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.api import casework as cw
from tests.conftest import fi_today, needs_nls

SITE = "91-22-696-2"


def _filed(applicant_client: Any) -> tuple[int, str]:
    app = cw.file_and_submit(applicant_client, {"kind": "building_permit", "property_id": SITE})
    return int(app["id"]), f"/api/v1/applications/{app['id']}"


def _letters(officer_client: Any, app: str, sent: dt.date) -> Any:
    """The authority's letters, sent on `sent`."""
    body = {"sent": sent.isoformat(), "heard_by": "authority"}
    letters = officer_client.post(f"{app}/hearing/letters", json=body)
    assert letters.status_code == 200, letters.text[:300]
    return letters


def _decide(officer_client: Any, app_id: int, app: str, day: dt.date) -> Any:
    decision = {"outcome": "granted", "decided_by": "board", "decided_on": day.isoformat()}
    body = {"state": "decided", "version": cw.version(officer_client, app_id), "decision": decision}
    return officer_client.post(f"{app}/state", json=body)


@needs_nls
def test_nothing_is_recorded_ahead_of_today(
    nls: Any, demo: Any, engine: Any, applicant_client: Any, officer_client: Any
) -> None:
    app_id, app = _filed(applicant_client)
    today = fi_today()
    try:
        ahead = officer_client.post(
            f"{app}/hearing/letters",
            json={"sent": (today + dt.timedelta(days=10)).isoformat(), "heard_by": "authority"},
        )
        assert ahead.status_code == 422 and ahead.json()["today"] == today.isoformat()
        letters = _letters(officer_client, app, today)
        for a in letters.json()["addressees"]:
            answer = {"status": "answered_no_remarks", "date": today.isoformat()}
            if a["status"] == "open":
                answer["status"] = "heard_by_public_notice"
            later = {**answer, "date": (today + dt.timedelta(days=1)).isoformat()}
            assert officer_client.patch(f"{app}/hearing/{a['id']}", json=later).status_code == 422
            done = officer_client.patch(f"{app}/hearing/{a['id']}", json=answer)
            assert done.status_code == 200, done.text[:300]
        forward = _decide(officer_client, app_id, app, today + dt.timedelta(days=30))
        assert forward.status_code == 422, forward.text[:300]  # it was 200 before
        assert "after today" in forward.json()["detail"]
        assert officer_client.get(app).json()["state"] == "hearing"
        # a step of the decision's clock dated forward is refused the same way
        ahead_step = {"state": "legally_valid", "date": (today + dt.timedelta(days=90)).isoformat()}
        assert _decide(officer_client, app_id, app, today).status_code == 200
        step = officer_client.post(
            f"{app}/state", json={**ahead_step, "version": cw.version(officer_client, app_id)}
        )
        assert step.status_code == 422, step.text[:300]  # it was 200 before
        assert officer_client.get(app).json()["state"] == "decided"
    finally:
        cw.delete_application(engine, app_id)


@needs_nls
def test_an_answer_given_after_the_decisions_day_does_not_complete_the_hearing(
    nls: Any,
    demo: Any,
    engine: Any,
    applicant_client: Any,
    officer_client: Any,
    service_day: Any,
) -> None:
    app_id, app = _filed(applicant_client)
    filed = fi_today()
    try:
        service_day.to(filed + dt.timedelta(days=60))  # the case is entered weeks later
        letters = _letters(officer_client, app, filed)
        answered = filed + dt.timedelta(days=3)
        for a in letters.json()["addressees"]:
            status = "answered_no_remarks" if a["status"] == "letter_sent" else "consented"
            answer = {"status": status, "date": answered.isoformat()}
            done = officer_client.patch(f"{app}/hearing/{a['id']}", json=answer)
            assert done.status_code == 200, done.text[:300]
        # on the day after the letters, no one had answered and no deadline had passed
        early = _decide(officer_client, app_id, app, filed + dt.timedelta(days=1))
        assert early.status_code == 409, early.text[:300]  # it was 200 before
        on_time = _decide(officer_client, app_id, app, answered)
        assert on_time.status_code == 200, on_time.text[:300]
    finally:
        cw.delete_application(engine, app_id)


@needs_nls
def test_a_reminder_moves_the_cases_hearing_deadline(
    nls: Any,
    demo: Any,
    engine: Any,
    applicant_client: Any,
    officer_client: Any,
    service_day: Any,
) -> None:
    """The case's hearing deadline is the last running one, as its timeline says."""
    app_id, app = _filed(applicant_client)
    filed = fi_today()
    try:
        letters = _letters(officer_client, app, filed)
        reminded = filed + dt.timedelta(days=12)
        service_day.to(reminded + dt.timedelta(days=1))
        a = next(x for x in letters.json()["addressees"] if x["status"] == "letter_sent")
        body = {"status": "reminded", "date": reminded.isoformat()}
        assert officer_client.patch(f"{app}/hearing/{a['id']}", json=body).status_code == 200
        # 7 days' delivery + 7 days from the reminder, moved off a day off (counted here)
        due = cw.last_day(reminded + dt.timedelta(days=14)).isoformat()
        doc = officer_client.get(app).json()
        got = {d["what"]: d["date"] for d in doc["deadlines"]}
        assert got.get("hearing_deadline") == due, doc["deadlines"]
        listed = officer_client.get("/api/v1/applications").json()["applications"]
        row = next(x for x in listed if x["id"] == app_id)
        assert due in str(row), row
    finally:
        cw.delete_application(engine, app_id)
