"""Who may do what with an application: drafts, roles, contacts published on request (N9),
attachments checked by type and size, parties invited by e-mail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.api import casework as cw
from tests.conftest import TEST_USERS, fi_today, needs_nls

pytestmark = needs_nls
SITE = "91-22-696-2"


@pytest.fixture()
def draft(nls: Any, engine: Any, applicant_client: Any) -> Iterator[dict[str, Any]]:
    r = applicant_client.post(
        "/api/v1/applications", json={"kind": "building_permit", "property_id": SITE}
    )
    assert r.status_code == 201, r.text
    yield r.json()
    cw.delete_application(engine, r.json()["id"])


def test_anonymous_others_and_wrong_roles_are_refused(
    draft: dict[str, Any],
    client: Any,
    applicant_b: TestClient,
    contractor_client: Any,
    officer_client: Any,
) -> None:
    url = f"/api/v1/applications/{draft['id']}"
    assert client.get(url).status_code == 401
    assert (
        client.post(
            "/api/v1/applications", json={"kind": "deviation", "property_id": SITE}
        ).status_code
        == 401
    )
    for c in (applicant_b, officer_client):  # someone else's draft does not exist for them
        r = c.get(url)
        assert (
            r.status_code == 404
            and r.json()["detail"] == f"application {draft['id']} does not exist"
        )
    assert (
        contractor_client.post(
            "/api/v1/applications", json={"kind": "deviation", "property_id": SITE}
        ).status_code
        == 403
    )
    assert (
        officer_client.post(
            "/api/v1/applications", json={"kind": "deviation", "property_id": SITE}
        ).status_code
        == 403
    )
    mine = applicant_b.get("/api/v1/applications").json()
    assert draft["id"] not in {a["id"] for a in mine["applications"]}


def test_a_draft_saves_as_you_go_with_its_version(
    draft: dict[str, Any], applicant_client: Any
) -> None:
    url = f"/api/v1/applications/{draft['id']}"
    r = applicant_client.patch(url, json={"version": 1, "description": "Sauna ja varasto"})
    assert (
        r.status_code == 200
        and r.json()["version"] == 2
        and r.json()["description"] == "Sauna ja varasto"
    )
    stale = applicant_client.patch(url, json={"version": 1, "description": "toinen"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert applicant_client.get(url).json()["description"] == "Sauna ja varasto"  # nothing lost
    bad = applicant_client.patch(url, json={"version": 2, "property_id": "91-22-xx"})
    assert bad.status_code == 422


def test_the_applicants_name_is_saved_as_one_line_and_cleared_with_a_blank(
    draft: dict[str, Any], applicant_client: Any, applicant_b: TestClient, officer_client: Any
) -> None:
    url = f"/api/v1/applications/{draft['id']}"
    assert draft["applicant"] is None
    v = cw.version(applicant_client, draft["id"])
    r = applicant_client.patch(url, json={"version": v, "description": "Varasto"})
    assert r.status_code == 200
    r = applicant_client.patch(url, json={"version": v + 1, "applicant": "  Maija \n Meikäläinen "})
    assert r.status_code == 200 and r.json()["applicant"] == "Maija Meikäläinen"
    assert r.json()["description"] == "Varasto"  # only the name changes
    long = applicant_client.patch(url, json={"version": v + 2, "applicant": "x" * 201})
    assert long.status_code == 422 and long.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert applicant_client.get(url).json()["applicant"] == "Maija Meikäläinen"  # nothing lost
    # filed: the municipality's officer reads it, another applicant does not, no list carries it
    cw.attach_required(applicant_client, applicant_client.get(url).json())
    assert applicant_client.post(f"{url}/submit").status_code == 200
    assert officer_client.get(url).json()["applicant"] == "Maija Meikäläinen"
    assert applicant_b.get(url).status_code == 404
    listed = officer_client.get("/api/v1/applications")
    assert draft["id"] in [a["id"] for a in listed.json()["applications"]]
    assert "Meikäläinen" not in listed.text
    # taken back to a draft, a blank clears it
    back = applicant_client.post(
        f"{url}/state",
        json={"state": "draft", "version": cw.version(applicant_client, draft["id"])},
    )
    assert back.status_code == 200, back.text
    blank = applicant_client.patch(
        url, json={"version": cw.version(applicant_client, draft["id"]), "applicant": "   "}
    )
    assert blank.status_code == 200 and blank.json()["applicant"] is None


def test_attachments_are_checked_by_type_and_size(
    draft: dict[str, Any], applicant_client: Any, settings: Any
) -> None:
    url = f"/api/v1/applications/{draft['id']}/attachments"

    def form(kind: str) -> dict[str, str]:
        return {"kind": kind, "version": str(cw.version(applicant_client, draft["id"]))}

    cases = [
        (("a.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"), "not an accepted file type"),
        (("a.exe", b"MZ\x90\x00", "application/octet-stream"), "not an accepted file type"),
        (
            ("kuva.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 40, "application/pdf"),
            "its name ends otherwise",
        ),
        (
            ("a.pdf", b"%PDF-1.4" + b"0" * settings.attachment_max_bytes, "application/pdf"),
            "more than",
        ),
        (("a.pdf", b"", "application/pdf"), "empty"),
    ]
    for file, why in cases:
        r = applicant_client.post(url, files={"file": file}, data=form("site_plan"))
        assert r.status_code == 422 and why in r.json()["detail"], (file[0], r.text)
    r = applicant_client.post(
        url, files={"file": ("x.pdf", cw.tiny_pdf(), "application/pdf")}, data=form("nonsense")
    )
    assert r.status_code == 422
    ok = applicant_client.post(
        url,
        files={"file": ("asemapiirros.pdf", cw.tiny_pdf(), "application/pdf")},
        data=form("site_plan"),
    )
    assert ok.status_code == 201 and ok.json()["content_type"] == "application/pdf"
    got = applicant_client.get(f"{url}/{ok.json()['id']}")
    assert got.status_code == 200 and got.content == cw.tiny_pdf()
    doc = applicant_client.get(f"/api/v1/applications/{draft['id']}").json()
    assert "site_plan" not in doc["missing_attachments"]


def test_an_invited_co_applicant_accepts_and_may_then_edit(
    draft: dict[str, Any], applicant_client: Any, applicant_b: TestClient
) -> None:
    app_id = draft["id"]
    r = applicant_client.post(
        f"/api/v1/applications/{app_id}/parties",
        json={
            "version": cw.version(applicant_client, app_id),
            "role": "co_applicant",
            "email": "Applicant.B@test.invalid",
            "name": "Bertta",
        },
    )
    assert r.status_code == 200, r.text
    party = next(p for p in r.json()["parties"] if p["role"] == "co_applicant")
    assert party["status"] == "invited" and party["email"] == "applicant.b@test.invalid"
    listed = applicant_b.get("/api/v1/applications").json()["applications"]
    assert any(a["id"] == app_id and a["invited"] for a in listed)
    assert (
        applicant_b.get(f"/api/v1/applications/{app_id}").status_code == 404
    )  # not before accepting
    assert (
        applicant_b.post(f"/api/v1/applications/{app_id}/parties/{party['id']}/accept").json()[
            "status"
        ]
        == "accepted"
    )
    doc = applicant_b.get(f"/api/v1/applications/{app_id}").json()
    assert doc["yours"] is True
    r = applicant_b.patch(
        f"/api/v1/applications/{app_id}", json={"version": doc["version"], "description": "yhdessä"}
    )
    assert r.status_code == 200
    # declined (a slip): the applicant may invite the same address again, and it is answered anew
    url = f"/api/v1/applications/{app_id}/parties"
    assert applicant_b.post(f"{url}/{party['id']}/decline").json()["status"] == "declined"
    body = {"role": "co_applicant", "email": "applicant.b@test.invalid", "name": "Bertta V."}
    again = applicant_client.post(
        url, json={**body, "version": cw.version(applicant_client, app_id)}
    )
    assert again.status_code == 200, again.text
    back = next(p for p in again.json()["parties"] if p["role"] == "co_applicant")
    assert (back["id"], back["status"], back["name"]) == (party["id"], "invited", "Bertta V.")
    twice = applicant_client.post(
        url, json={**body, "version": cw.version(applicant_client, app_id)}
    )
    assert twice.status_code == 409  # while invited or accepted: once
    # the applicant's own address (any case): the applicant is a party already (review 10)
    own = {**body, "email": TEST_USERS["applicant"][0].upper()}
    mine = applicant_client.post(
        f"{url}?lang=fi", json={**own, "version": cw.version(applicant_client, app_id)}
    )
    assert mine.status_code == 422 and mine.json()["detail"] == (
        f"{TEST_USERS['applicant'][0]} on hakijan oma osoite: hakija on jo asianosainen"
    )


def test_the_invitee_corrects_their_name_and_a_declined_address_stays_with_the_applicant(
    draft: dict[str, Any], applicant_client: Any, applicant_b: TestClient, contractor_client: Any
) -> None:
    """Review 9 of stop 48: before accepting, the invitee sees the name and role the invitation
    gives them and may accept under a corrected name (it is printed on the letters). A
    declined invitation's e-mail address is shown to those who may invite, not to the other
    parties."""
    app_id = draft["id"]
    url = f"/api/v1/applications/{app_id}/parties"
    named = applicant_client.patch(
        f"/api/v1/applications/{app_id}",
        json={"applicant": "Maija Hakija", "version": cw.version(applicant_client, app_id)},
    )
    assert named.status_code == 200, named.text
    invites = [
        ("designer", TEST_USERS["applicant_b"][0], "Berta Virhe"),
        ("co_applicant", TEST_USERS["contractor"][0], "Kalle"),
    ]
    for role, email, name in invites:
        body = {"role": role, "email": email, "name": name}
        r = applicant_client.post(
            url, json={**body, "version": cw.version(applicant_client, app_id)}
        )
        assert r.status_code == 200, r.text
    ids = {p["email"]: p["id"] for p in r.json()["parties"] if p["id"] is not None}
    listed = applicant_b.get("/api/v1/applications").json()["applications"]
    row = next(a for a in listed if a["id"] == app_id)
    assert (row["invitation"], row["invitation_name"], row["invitation_role"]) == (
        ids[TEST_USERS["applicant_b"][0]],
        "Berta Virhe",
        "designer",
    )
    # who sent it (the applicant's account) and whose case it is, before answering
    assert row["invitation_from"] == TEST_USERS["applicant"][0]
    assert row["invitation_applicant"] == "Maija Hakija"
    accepted = applicant_b.post(
        f"{url}/{row['invitation']}/accept", json={"name": "  Bertta   Oikea "}
    )
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["name"], accepted.json()["status"]) == ("Bertta Oikea", "accepted")
    too_long = applicant_b.post(f"{url}/{row['invitation']}/accept", json={"name": "x" * 201})
    assert too_long.status_code == 422
    # accepted already (a second click): nothing changes, the name stays as accepted
    again = applicant_b.post(f"{url}/{row['invitation']}/accept", json={"name": "Toinen Nimi"})
    assert again.status_code == 200 and again.json()["name"] == "Bertta Oikea"
    # what each may do now, as the API takes it: the designer attaches but does not invite
    for c, attach, invite in ((applicant_client, True, True), (applicant_b, True, False)):
        doc = c.get(f"/api/v1/applications/{app_id}").json()
        assert (doc["may_attach"], doc["may_invite"]) == (attach, invite)
    refused = applicant_b.post(
        url,
        json={
            "role": "designer",
            "email": "third@example.fi",
            "version": cw.version(applicant_b, app_id),
        },
    )
    assert refused.status_code == 403
    declined = contractor_client.post(f"{url}/{ids[TEST_USERS['contractor'][0]]}/decline")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"

    def parties(c: Any) -> dict[str | None, tuple[str | None, str]]:
        doc = c.get(f"/api/v1/applications/{app_id}").json()
        return {p["name"]: (p["email"], p["status"]) for p in doc["parties"] if p["id"]}

    assert parties(applicant_client) == {
        "Bertta Oikea": (TEST_USERS["applicant_b"][0], "accepted"),
        "Kalle": (TEST_USERS["contractor"][0], "declined"),
    }
    # the designer reads the case but invites no one: the declined address is not theirs to see
    assert parties(applicant_b) == {
        "Bertta Oikea": (TEST_USERS["applicant_b"][0], "accepted"),
        "Kalle": (None, "declined"),
    }


def test_contacts_are_published_on_request_and_then_shown_to_the_applicant_only(
    draft: dict[str, Any],
    applicant_client: Any,
    applicant_b: TestClient,
    officer_client: Any,
    engine: Any,
) -> None:
    app_id = draft["id"]
    cw.attach_required(
        applicant_client, applicant_client.get(f"/api/v1/applications/{app_id}").json()
    )
    assert (
        applicant_client.post(
            f"/api/v1/applications/{app_id}/submit",
            json={"version": cw.version(applicant_client, app_id)},
        ).status_code
        == 200
    )
    assert (
        officer_client.post(
            f"/api/v1/applications/{app_id}/hearing/publish-contacts",
            json={"version": cw.version(officer_client, app_id)},
        ).status_code
        == 409
    )
    before = applicant_client.get(f"/api/v1/applications/{app_id}/hearing").json()
    private = [a for a in before["addressees"] if a["kind"] == "person"]
    assert private and all(a["withheld"] and a["name"] is None for a in private)
    r = applicant_client.post(
        f"/api/v1/applications/{app_id}/hearing/request-contacts",
        json={"version": cw.version(applicant_client, app_id)},
    )
    assert r.status_code == 200 and r.json()["heard_by"] == "applicant"
    r = officer_client.post(
        f"/api/v1/applications/{app_id}/hearing/publish-contacts",
        json={"version": cw.version(officer_client, app_id)},
    )
    assert r.status_code == 200 and r.json()["contacts_published"] is True
    after = applicant_client.get(f"/api/v1/applications/{app_id}/hearing").json()
    shown = [a for a in after["addressees"] if a["kind"] == "person"]
    assert all(a["name"] and not a["withheld"] and a["address"] for a in shown)
    # another applicant (were it to know the id) sees nothing; the reads are audited
    assert applicant_b.get(f"/api/v1/applications/{app_id}/hearing").status_code == 404
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT role, property_ids FROM audit.disclosure WHERE application_id = :i AND user_email = :e"
            ),
            {"i": app_id, "e": "applicant@test.invalid"},
        ).all()
    assert rows and {p for a in shown for p in a["property_ids"]} <= set(rows[-1][1])
    # the applicant hears: they send the letters and print them
    sent = fi_today().isoformat()
    r = applicant_client.post(
        f"/api/v1/applications/{app_id}/hearing/letters",
        json={
            "version": cw.version(applicant_client, app_id),
            "sent": sent,
            "heard_by": "applicant",
        },
    )
    assert r.status_code == 200, r.text
    assert applicant_client.get(f"/api/v1/applications/{app_id}/letters.pdf").status_code == 200
    one = shown[0]
    notice = {"status": "heard_by_public_notice", "date": sent}
    assert (
        applicant_client.patch(
            f"/api/v1/applications/{app_id}/hearing/{one['id']}",
            json={**notice, "version": cw.version(applicant_client, app_id)},
        ).status_code
        == 403
    )
    consent = {"status": "consented", "date": sent}
    assert (
        applicant_client.patch(
            f"/api/v1/applications/{app_id}/hearing/{one['id']}",
            json={**consent, "version": cw.version(applicant_client, app_id)},
        ).status_code
        == 200
    )


def test_the_authority_hearing_never_publishes(
    draft: dict[str, Any], applicant_client: Any, officer_client: Any
) -> None:
    app_id = draft["id"]
    cw.attach_required(
        applicant_client, applicant_client.get(f"/api/v1/applications/{app_id}").json()
    )
    applicant_client.post(
        f"/api/v1/applications/{app_id}/submit",
        json={"version": cw.version(applicant_client, app_id)},
    )
    r = officer_client.post(
        f"/api/v1/applications/{app_id}/hearing/letters",
        json={
            "version": cw.version(officer_client, app_id),
            "sent": fi_today().isoformat(),
            "heard_by": "authority",
        },
    )
    assert r.status_code == 200
    assert (
        applicant_client.post(
            f"/api/v1/applications/{app_id}/hearing/request-contacts",
            json={"version": cw.version(applicant_client, app_id)},
        ).status_code
        == 409
    )
    r = officer_client.post(
        f"/api/v1/applications/{app_id}/hearing/publish-contacts",
        json={"version": cw.version(officer_client, app_id)},
    )
    assert r.status_code == 409 and "N9" in r.json()["detail"]
    assert applicant_client.get(f"/api/v1/applications/{app_id}/letters.pdf").status_code == 403
    # only the officer decides
    v = applicant_client.get(f"/api/v1/applications/{app_id}").json()["version"]
    decide = {
        "state": "decided",
        "version": v,
        "decision": {
            "outcome": "granted",
            "decided_by": "inspector",
            "decided_on": fi_today().isoformat(),
        },
    }
    assert (
        applicant_client.post(f"/api/v1/applications/{app_id}/state", json=decide).status_code
        == 403
    )


def test_a_withdrawn_application_loses_its_personal_data_after_the_retention(
    draft: dict[str, Any], applicant_client: Any, engine: Any, settings: Any
) -> None:
    from api.services import audit

    app_id = draft["id"]
    named = applicant_client.patch(
        f"/api/v1/applications/{app_id}",
        json={
            "version": cw.version(applicant_client, app_id),
            "applicant": "Maija Meikäläinen",
            "description": "Sauna",
        },
    )
    assert named.status_code == 200 and named.json()["applicant"] == "Maija Meikäläinen"
    applicant_client.post(
        f"/api/v1/applications/{app_id}/parties",
        json={
            "version": cw.version(applicant_client, app_id),
            "role": "designer",
            "email": "d@test.invalid",
        },
    )
    cw.attach_required(
        applicant_client, applicant_client.get(f"/api/v1/applications/{app_id}").json()
    )
    v = applicant_client.get(f"/api/v1/applications/{app_id}").json()["version"]
    r = applicant_client.post(
        f"/api/v1/applications/{app_id}/state", json={"state": "withdrawn", "version": v}
    )
    assert r.status_code == 200 and r.json()["state"] == "withdrawn"
    days = settings.withdrawn_retention_days
    with engine.begin() as conn:
        assert audit.purge_withdrawn_applications(conn, days) == 0  # just withdrawn: kept
        conn.execute(
            text(
                "UPDATE application SET withdrawn_at = now() - make_interval(days => :d) WHERE id = :i"
            ),
            {"d": days + 1, "i": app_id},
        )
        assert audit.purge_withdrawn_applications(conn, days) >= 1
    with engine.connect() as conn:
        left = conn.execute(
            text(
                "SELECT description, applicant_name, purged_at IS NOT NULL,"
                " (SELECT count(*) FROM application_party WHERE application_id = a.id),"
                " (SELECT count(*) FROM application_attachment WHERE application_id = a.id) FROM application a WHERE id = :i"
            ),
            {"i": app_id},
        ).one()
    assert left == (None, None, True, 0, 0)


def test_the_officer_adds_and_removes_neighbours_before_the_letters(
    draft: dict[str, Any], applicant_client: Any, officer_client: Any
) -> None:
    app_id = draft["id"]
    cw.attach_required(
        applicant_client, applicant_client.get(f"/api/v1/applications/{app_id}").json()
    )
    applicant_client.post(
        f"/api/v1/applications/{app_id}/submit",
        json={"version": cw.version(applicant_client, app_id)},
    )
    before = officer_client.get(f"/api/v1/applications/{app_id}/hearing").json()
    gone = before["addressees"][0]["property_ids"][0]
    listed = {p for a in before["addressees"] for p in a["property_ids"]}
    extra = next(
        p for p in ("09102207030003", "09102207000011", "09102207060005") if p not in listed
    )
    body = {
        "added": [{"property_id": extra, "reason": "näkymä pihalle"}],
        "removed": [{"property_id": gone, "reason": "sama omistaja kuin hakijalla"}],
    }
    assert (
        applicant_client.post(
            f"/api/v1/applications/{app_id}/hearing/neighbours",
            json={**body, "version": cw.version(applicant_client, app_id)},
        ).status_code
        == 403
    )
    body["version"] = cw.version(officer_client, app_id)
    r = officer_client.post(f"/api/v1/applications/{app_id}/hearing/neighbours", json=body)
    assert r.status_code == 200, r.text
    units = {p: a["relation"] for a in r.json()["addressees"] for p in a["property_ids"]}
    assert units.get(extra) == "manual" and gone not in units
    doc = officer_client.get(f"/api/v1/applications/{app_id}").json()
    assert doc["analysis"]["purpose"] == "manual"
    fc = officer_client.get(f"/api/v1/applications/{app_id}/hearing/map").json()
    assert fc["features"][-1]["properties"] == {"role": "site"}
    assert {f["properties"]["property_id"] for f in fc["features"][:-1]} == set(units)
    assert all("name" not in f["properties"] for f in fc["features"])
    events = officer_client.get(f"/api/v1/applications/{app_id}/timeline").json()["events"]
    changed = next(e for e in events if e["event"] == "neighbours_changed")
    assert changed["detail"]["removed"][0]["reason"] == "sama omistaja kuin hakijalla"
