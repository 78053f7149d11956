"""Issue 11's contract for scripts, as written: its bodies carry no `version`.

`POST .../submit` (no body), `POST .../hearing/letters` {"sent", "heard_by"}, `PATCH
.../hearing/{addressee_id}` {"status", "date", "remarks"} and `POST .../publish-contacts` were
refused 428 once every change had to name its version; a version sent is still checked (409).
"""

from __future__ import annotations

from typing import Any

from tests.api import casework as cw
from tests.conftest import fi_today, needs_nls

SITE = "91-22-696-2"


@needs_nls
def test_a_script_written_from_issue_11_runs_a_hearing(
    nls: Any, demo: Any, engine: Any, applicant_client: Any, officer_client: Any
) -> None:
    r = applicant_client.post(
        "/api/v1/applications", json={"kind": "building_permit", "property_id": SITE}
    )
    assert r.status_code == 201, r.text
    app_id = int(r.json()["id"])
    app = f"/api/v1/applications/{app_id}"
    try:
        cw.attach_required(applicant_client, r.json())
        done = applicant_client.post(f"{app}/submit")
        assert done.status_code == 200 and done.json()["state"] == "submitted", done.text[:300]
        sent = fi_today().isoformat()
        letters = officer_client.post(
            f"{app}/hearing/letters", json={"sent": sent, "heard_by": "authority"}
        )
        assert letters.status_code == 200, letters.text[:300]
        a = next(x for x in letters.json()["addressees"] if x["status"] == "letter_sent")
        answer = {"status": "answered_remarks", "date": sent, "remarks": "Varjostaa pihaa."}
        patched = officer_client.patch(f"{app}/hearing/{a['id']}", json=answer)
        assert patched.status_code == 200, patched.text[:300]
        after = {x["id"]: x["status"] for x in patched.json()["addressees"]}
        assert after[a["id"]] == "answered_remarks"
        # a version sent is checked as before: a stale one changes nothing
        stale = officer_client.patch(
            f"{app}/hearing/{a['id']}", json={**answer, "status": "consented", "version": 1}
        )
        assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    finally:
        cw.delete_application(engine, app_id)


@needs_nls
def test_a_neighbour_who_never_answers_does_not_hold_the_decision(
    nls: Any, demo: Any, engine: Any, applicant_client: Any, officer_client: Any, service_day: Any
) -> None:
    """Silence after the deadline is no remark (MRA 65 § / RakL 63 §; the letter says so): the
    officer decided only after hearing each silent neighbour again by public notice."""
    import datetime as dt

    r = applicant_client.post(
        "/api/v1/applications", json={"kind": "building_permit", "property_id": SITE}
    )
    app_id = int(r.json()["id"])
    app = f"/api/v1/applications/{app_id}"
    try:
        cw.attach_required(applicant_client, r.json())
        assert applicant_client.post(f"{app}/submit").status_code == 200
        sent = fi_today()
        hearing = officer_client.post(
            f"{app}/hearing/letters", json={"sent": sent.isoformat(), "heard_by": "authority"}
        ).json()
        for a in hearing["addressees"]:  # no letter reaches these: heard by public notice
            if a["status"] == "open":
                notice = {"status": "heard_by_public_notice", "date": sent.isoformat()}
                assert (
                    officer_client.patch(f"{app}/hearing/{a['id']}", json=notice).status_code == 200
                )
        hearing = officer_client.get(f"{app}/hearing").json()
        silent = [a for a in hearing["addressees"] if a["status"] == "letter_sent"]
        assert silent and not hearing["complete"]
        due = max(
            dt.date.fromisoformat(a["deadline"]) for a in hearing["addressees"] if a["deadline"]
        )
        day = cw.last_day(due + dt.timedelta(days=1))  # independent of the code's calendar
        decision = {"outcome": "granted", "decided_by": "board", "decided_on": day.isoformat()}
        service_day.to(day)  # the decision is made on that day
        done = officer_client.post(
            f"{app}/state",
            json={
                "state": "decided",
                "version": cw.version(officer_client, app_id),
                "decision": decision,
            },
        )
        assert done.status_code == 200, done.text[:300]
        assert done.json()["state"] == "decided"
    finally:
        cw.delete_application(engine, app_id)
