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
