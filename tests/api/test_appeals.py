"""A decision under appeal: the case waits in 'appealed', and its limits run from the real day.

Before, an appeal had no state: the case could only become legally valid on the nominal day
after the appeal period, and start-by and finish-by ran from that day even when an appeal kept
the permit from being final for months. The dates below are worked out by hand from the
rule file's numbers (an inspector's decision: 14 days' rectification claim; a building permit
started within 3 and finished within 5 years of becoming legally valid; a limit ending on a
day off moves to the next working day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api import casework as cw
from tests.api import pdfs
from tests.conftest import fi_today, needs_nls

pytestmark = needs_nls
SITE = "91-22-696-2"
RECTIFICATION_DAYS, START_YEARS, FINISH_YEARS = 14, 3, 5  # default.toml [decisions], RakL
PROBLEM = "application/problem+json"


@pytest.fixture()
def heard(
    nls: Any, engine: Any, applicant_client: Any, officer_client: Any
) -> Iterator[dict[str, Any]]:
    """A building permit application whose hearing was answered today, to be decided."""
    app_id = cw.file_and_submit(applicant_client, {"kind": "building_permit", "property_id": SITE})[
        "id"
    ]
    try:
        url = f"/api/v1/applications/{app_id}"
        today = fi_today()
        letters = officer_client.post(
            f"{url}/hearing/letters", json={"sent": today.isoformat(), "heard_by": "authority"}
        )
        assert letters.status_code == 200, letters.text[:300]
        for a in letters.json()["addressees"]:
            status = "answered_no_remarks" if a["status"] != "open" else "heard_by_public_notice"
            done = officer_client.patch(
                f"{url}/hearing/{a['id']}", json={"status": status, "date": today.isoformat()}
            )
            assert done.status_code == 200, done.text[:300]
        yield {"id": app_id, "url": url, "posted": today}
    finally:
        cw.delete_application(engine, app_id)


@pytest.fixture()
def decided(heard: dict[str, Any], officer_client: Any) -> dict[str, Any]:
    """The permit granted by an inspector today."""
    r = _decide(officer_client, heard["id"], "granted", heard["posted"])
    assert r.status_code == 200, r.text[:300]
    return {**heard, "doc": r.json()}


REASONS = "Rakennus ei sovi kaupunkikuvaan (MRL 117 §)."  # a refusal's
GRANTED_BECAUSE = "Rakennus täyttää asemakaavan määräykset."  # a grant's


def _decide(c: Any, app_id: int, outcome: str, day: dt.date, by: str = "inspector") -> Any:
    decision = {"outcome": outcome, "decided_by": by, "decided_on": day.isoformat()}
    decision["reasons"] = REASONS if outcome == "refused" else GRANTED_BECAUSE
    state = "decided" if outcome == "granted" else "refused"
    return _step(c, app_id, state, decision=decision)


def _on(day: dt.date) -> dict[str, str]:
    return {"date": day.isoformat()}


def _step(c: Any, app_id: int, state: str, **body: Any) -> Any:
    return c.post(
        f"/api/v1/applications/{app_id}/state",
        json={"state": state, "version": cw.version(c, app_id), **body},
    )


def test_an_appeal_keeps_the_permit_from_being_final_and_its_limits_run_from_the_real_day(
    decided: dict[str, Any], officer_client: Any, applicant_client: Any, service_day: Any
) -> None:
    app_id, posted = decided["id"], decided["posted"]
    ends = cw.last_day(posted + dt.timedelta(days=RECTIFICATION_DAYS))
    nominal = ends + dt.timedelta(days=1)
    d = decided["doc"]["decision"]
    assert (d["appeal_kind"], d["appeal_ends_on"]) == ("rectification", ends.isoformat())
    assert d["legally_valid_on"] == nominal.isoformat() and d["appealed_on"] is None
    nominal_start_by = cw.last_day(cw.add_years(nominal, START_YEARS))
    assert d["start_by"] == nominal_start_by.isoformat()
    service_day.to(posted + dt.timedelta(days=4 * 365))  # each step recorded on its day
    # only the officer records it, and only within the period
    assert _step(applicant_client, app_id, "appealed", **_on(ends)).status_code == 403
    late = _step(officer_client, app_id, "appealed", **_on(ends + dt.timedelta(days=1)))
    assert late.status_code == 409 and late.json()["appeal_ends_on"] == ends.isoformat()
    r = _step(officer_client, app_id, "appealed", reason="oikaisuvaatimus", **_on(ends))
    assert r.status_code == 200, r.text[:300]
    doc = r.json()
    assert doc["state"] == "appealed" and doc["decision"]["appealed_on"] == ends.isoformat()
    assert doc["deadlines"] == []  # nothing runs towards a known day while it is pending
    pending = doc["decision"]
    assert [pending[k] for k in ("legally_valid_on", "start_by", "finish_by")] == [None] * 3
    assert sorted(doc["next_states"]) == ["decided", "legally_valid", "refused"]
    timeline = officer_client.get(f"/api/v1/applications/{app_id}/timeline").json()
    whats = {x["what"] for x in timeline["deadlines"]}
    assert "appealed" in whats and not whats & {"legally_valid", "start_by", "finish_by"}
    assert timeline["events"][-1]["to_state"] == "appealed"
    # settled: legally valid on the day it became final, not before the decision's own day
    early = _step(officer_client, app_id, "legally_valid", **_on(ends))
    assert early.status_code == 409
    real = nominal + dt.timedelta(days=200)
    r = _step(officer_client, app_id, "legally_valid", **_on(real))
    assert r.status_code == 200, r.text[:300]
    d = r.json()["decision"]
    assert d["legally_valid_on"] == real.isoformat() and d["valid_after_appeal"] is True
    start_by = cw.last_day(cw.add_years(real, START_YEARS))
    assert d["start_by"] == start_by.isoformat()
    assert d["finish_by"] == cw.last_day(cw.add_years(real, FINISH_YEARS)).isoformat()
    assert [x["what"] for x in r.json()["deadlines"]] == ["start_by"]
    # work is not started before the permit is legally valid
    service_day.to(real + dt.timedelta(days=1))
    before = _step(applicant_client, app_id, "started", **_on(real - dt.timedelta(days=1)))
    assert before.status_code == 409 and before.json()["legally_valid_on"] == real.isoformat()
    # a start after the nominal limit, within the real one, is on time
    late_start = nominal_start_by + dt.timedelta(days=1)
    assert late_start <= start_by
    service_day.to(late_start)
    r = _step(applicant_client, app_id, "started", **_on(late_start))
    assert r.status_code == 200, r.text[:300]
    assert r.json()["state"] == "started"


def test_a_rectified_decision_after_a_claim_starts_its_own_clock(
    decided: dict[str, Any], officer_client: Any, service_day: Any
) -> None:
    app_id, posted = decided["id"], decided["posted"]
    claim = posted + dt.timedelta(days=3)
    service_day.to(posted + dt.timedelta(days=60))
    r = _step(officer_client, app_id, "appealed", date=claim.isoformat())
    assert r.status_code == 200, r.text[:300]
    # the decision under appeal is not entered again: a new one is made after the claim
    same = _decide(officer_client, app_id, "granted", posted)
    assert same.status_code == 409 and same.json()["appealed_on"] == claim.isoformat()
    # the board decides again on the claim: a new decision, appealed to the court in 30 days
    again = posted + dt.timedelta(days=40)
    r = _decide(officer_client, app_id, "granted", again, by="board")
    assert r.status_code == 200, r.text[:300]
    events = officer_client.get(f"/api/v1/applications/{app_id}/timeline").json()["events"]
    assert events[-1]["detail"]["replaced"] == {
        "outcome": "granted",
        "decided_by": "inspector",
        "decided_on": posted.isoformat(),
        "posted_on": posted.isoformat(),
        "appealed_on": claim.isoformat(),
        "reasons": GRANTED_BECAUSE,  # what it said is kept (the decision now has the new one's)
    }
    d = r.json()["decision"]
    ends = cw.last_day(again + dt.timedelta(days=30))
    assert r.json()["state"] == "decided" and d["appeal_kind"] == "appeal"
    # the board's decision goes to the administrative court: its document says so, and when
    said = _said(officer_client.get(f"/api/v1/applications/{app_id}/decision.pdf?lang=fi").content)
    assert "Valitusosoitus" in said and "lautakunta" in said and "Oikaisuvaatimusohje" not in said
    assert f"30 päivän kuluessa päätöksen tiedoksisaannista, viimeistään {_fi(ends)}" in said
    nominal = again + dt.timedelta(days=30)  # a day off moves it: the document names which
    assert (f"{_fi(nominal)} ei ole arkipäivä" in said) == (nominal != ends), said
    assert d["appeal_ends_on"] == ends.isoformat() and d["appealed_on"] is None
    assert d["legally_valid_on"] == (ends + dt.timedelta(days=1)).isoformat()
    assert d["valid_after_appeal"] is False


def test_a_refusal_is_appealed_and_stands_or_is_decided_again(
    heard: dict[str, Any], officer_client: Any, service_day: Any
) -> None:
    app_id, day = heard["id"], heard["posted"]
    # a refusal gives its reasons (Hallintolaki 45 §): without them, refused, naming the member
    bare = {"outcome": "refused", "decided_by": "inspector", "decided_on": day.isoformat()}
    for reasons in (None, "  "):
        r = _step(officer_client, app_id, "refused", decision={**bare, "reasons": reasons})
        assert r.status_code == 422 and r.json()["field"] == "decision.reasons", r.text[:300]
        assert "perustelut" in r.json()["detail_i18n"]["fi"], r.json()
    assert officer_client.get(heard["url"]).json()["state"] != "refused"  # nothing written
    r = _decide(officer_client, app_id, "refused", day)
    assert r.status_code == 200 and r.json()["state"] == "refused", r.text[:300]
    assert r.json()["decision"]["reasons"] == REASONS
    # kept with the decision, and printed under its heading in the decision document
    pdf = officer_client.get(f"/api/v1/applications/{app_id}/decision.pdf?lang=fi")
    said = _said(pdf.content)
    assert f"Perustelut {REASONS}" in said and "Hakemus hylätään" in said, said
    service_day.to(day + dt.timedelta(days=400))
    r = _step(officer_client, app_id, "appealed", **_on(day + dt.timedelta(days=5)))
    assert r.status_code == 200, r.text[:300]
    # a refusal under appeal does not become legally valid: it is decided again, or stands
    assert sorted(r.json()["next_states"]) == ["decided", "refused"]
    valid = _step(officer_client, app_id, "legally_valid", **_on(day + dt.timedelta(days=300)))
    assert valid.status_code == 409
    assert officer_client.get(heard["url"]).json()["state"] == "appealed"  # nothing written
    # ended on a day before the appeal was lodged: refused (review 6), in the reader's language
    early = _step(officer_client, app_id, "refused", **_on(day + dt.timedelta(days=4)))
    assert early.status_code == 409 and early.json()["appealed_on"] == str(
        day + dt.timedelta(days=5)
    )
    lodged, ended = day + dt.timedelta(days=5), day + dt.timedelta(days=4)
    fi = officer_client.post(
        f"/api/v1/applications/{app_id}/state?lang=fi",
        json={"state": "refused", "version": cw.version(officer_client, app_id), **_on(ended)},
    )
    assert fi.json()["detail"] == (
        f"muutoksenhaku (oikaisuvaatimus, tehty {lodged.day}.{lodged.month}.{lodged.year}) ei ole voinut"
        f" päättää asiaa {ended.day}.{ended.month}.{ended.year}, ennen kuin se tehtiin"
    )
    stands = _step(officer_client, app_id, "refused", reason="valitus hylätty")
    assert stands.status_code == 200 and stands.json()["state"] == "refused", stands.text[:300]
    assert stands.json()["decision"]["outcome"] == "refused"
    assert stands.json()["decision"]["reasons"] == REASONS  # the refusal's own, upheld


def test_an_appeal_reaching_the_office_late_reopens_a_case_recorded_legally_valid(
    decided: dict[str, Any], officer_client: Any, service_day: Any
) -> None:
    """Lodged on the period's last day, it reached the office after the officer had recorded
    the permit legally valid; the court then annulled the permit."""
    app_id, posted = decided["id"], decided["posted"]
    ends = cw.last_day(posted + dt.timedelta(days=RECTIFICATION_DAYS))
    service_day.to(posted + dt.timedelta(days=90))
    r = _step(officer_client, app_id, "legally_valid", **_on(ends + dt.timedelta(days=1)))
    assert r.status_code == 200, r.text[:300]
    r = _step(officer_client, app_id, "appealed", **_on(ends))
    assert r.status_code == 200 and r.json()["state"] == "appealed", r.text[:300]
    assert r.json()["decision"]["legally_valid_on"] is None
    annulled = _step(officer_client, app_id, "refused", reason="hallinto-oikeus kumosi luvan")
    assert annulled.status_code == 200, annulled.text[:300]
    d = annulled.json()["decision"]
    assert annulled.json()["state"] == "refused" and d["outcome"] == "refused"
    # why it was annulled, not why it was granted (stop 59's review: the grant's were printed)
    assert d["reasons"] == "hallinto-oikeus kumosi luvan"
    assert (d["start_by"], d["finish_by"]) == (None, None)
    events = officer_client.get(f"/api/v1/applications/{app_id}/timeline").json()["events"]
    replaced = events[-1]["detail"]["replaced"]
    assert replaced["outcome"] == "granted" and replaced["reasons"] == GRANTED_BECAUSE


def test_the_ruling_that_settled_the_appeal_is_recorded_with_the_decision(
    decided: dict[str, Any], officer_client: Any, service_day: Any
) -> None:
    """The appeal ended with no record of what ended it: the court, the day of its ruling and
    its diary number lived only in a free-text reason. The step out of 'appealed' now takes
    them, checks them against the appeal's dates, and the decision and the timeline show them."""
    app_id, posted = decided["id"], decided["posted"]
    ends = cw.last_day(posted + dt.timedelta(days=RECTIFICATION_DAYS))
    lodged = ends - dt.timedelta(days=2)
    service_day.to(posted + dt.timedelta(days=400))
    court = "Helsingin  hallinto-oikeus\n"
    ruling = {"by": court, "ruled_on": (lodged + dt.timedelta(days=150)).isoformat()}
    # only with a step that ends an appeal: the decided case has none pending
    r = _step(
        officer_client, app_id, "legally_valid", ruling=ruling, **_on(ends + dt.timedelta(days=1))
    )
    assert r.status_code == 422 and "not from decided to legally valid" in r.json()["detail"]
    r = _step(officer_client, app_id, "appealed", **_on(lodged))
    assert r.status_code == 200, r.text[:300]
    valid_on = lodged + dt.timedelta(days=190)  # the ruling became final 40 days after it
    bad = [
        (
            {**ruling, "ruled_on": (lodged - dt.timedelta(days=1)).isoformat()},
            409,
        ),  # before the appeal
        (
            {**ruling, "ruled_on": (valid_on + dt.timedelta(days=1)).isoformat()},
            422,
        ),  # after what it settles
        ({**ruling, "by": "   "}, 422),  # no one ruled
        ({**ruling, "reference": "x" * 101}, 422),
    ]
    for body, status in bad:
        got = _step(officer_client, app_id, "legally_valid", ruling=body, **_on(valid_on))
        assert got.status_code == status, (body, got.text[:300])
        assert got.headers["content-type"].startswith("application/problem+json")
    assert officer_client.get(f"/api/v1/applications/{app_id}").json()["state"] == "appealed"
    r = _step(
        officer_client,
        app_id,
        "legally_valid",
        ruling={**ruling, "reference": " H 1234/2027 "},
        **_on(valid_on),
    )
    assert r.status_code == 200, r.text[:300]
    d = r.json()["decision"]
    assert (d["ruling_by"], d["ruling_on"], d["ruling_reference"]) == (
        "Helsingin hallinto-oikeus",
        ruling["ruled_on"],
        "H 1234/2027",
    )
    assert d["legally_valid_on"] == valid_on.isoformat()
    events = officer_client.get(f"/api/v1/applications/{app_id}/timeline").json()["events"]
    assert events[-1]["detail"]["ruling"] == {
        "by": "Helsingin hallinto-oikeus",
        "ruled_on": ruling["ruled_on"],
        "reference": "H 1234/2027",
    }
    # the decision document says what settled it, and that it stands (no "unless" any more)
    said = _said(officer_client.get(f"/api/v1/applications/{app_id}/decision.pdf?lang=fi").content)
    ruled_on = dt.date.fromisoformat(ruling["ruled_on"])
    assert (
        f"Muutoksenhaun ratkaisu: Helsingin hallinto-oikeus, {_fi(ruled_on)} (H 1234/2027)." in said
    ), said
    assert f"Päätös on lainvoimainen {_fi(valid_on)}." in said and "jos siihen ei" not in said


def test_a_new_decision_after_the_court_returned_the_case_carries_the_ruling(
    decided: dict[str, Any], officer_client: Any, service_day: Any
) -> None:
    app_id, posted = decided["id"], decided["posted"]
    service_day.to(posted + dt.timedelta(days=400))
    r = _step(officer_client, app_id, "appealed", **_on(posted + dt.timedelta(days=3)))
    assert r.status_code == 200, r.text[:300]
    returned = posted + dt.timedelta(days=200)
    again = returned + dt.timedelta(days=30)
    decision = {"outcome": "granted", "decided_by": "board", "decided_on": again.isoformat()}
    ruling = {"by": "Helsingin hallinto-oikeus", "ruled_on": returned.isoformat()}
    r = _step(officer_client, app_id, "decided", decision=decision, ruling=ruling)
    assert r.status_code == 200, r.text[:300]
    d = r.json()["decision"]
    assert (d["ruling_by"], d["ruling_on"], d["ruling_reference"]) == (
        "Helsingin hallinto-oikeus",
        returned.isoformat(),
        None,
    )
    assert d["decided_on"] == again.isoformat() and d["decided_by"] == "board"
    # appealed again and the permit annulled, with no ruling given: the first appeal's ruling
    # does not stay on the decision as if it had settled this one
    r = _step(officer_client, app_id, "appealed", **_on(again + dt.timedelta(days=5)))
    assert r.status_code == 200, r.text[:300]
    r = _step(officer_client, app_id, "refused", **_on(again + dt.timedelta(days=60)))
    assert r.status_code == 200 and r.json()["state"] == "refused", r.text[:300]
    d = r.json()["decision"]
    assert (d["ruling_by"], d["ruling_on"], d["ruling_reference"]) == (None, None, None)


def _said(data: bytes) -> str:
    """A PDF's text as one line of single spaces (a table cell's text wraps)."""
    return " ".join(pdfs.text_of(data)[0].split())


def _fi(d: dt.date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def test_the_decision_document_says_what_was_decided_and_how_to_seek_a_change(
    heard: dict[str, Any],
    officer_client: Any,
    applicant_client: Any,
    applicant_b: Any,
    client: Any,
) -> None:
    """The permit's decision as a document for its applicant and the officer: the grant and its
    conditions, the posting, the claim's last day, the day it stands and the start-by and
    finish-by limits, each worked out by hand from the rule file's numbers; in Swedish too."""
    app_id, posted = heard["id"], heard["posted"]
    url = f"/api/v1/applications/{app_id}/decision.pdf"
    early = officer_client.get(url)  # nothing decided yet
    assert early.status_code == 409 and early.headers["content-type"].startswith(PROBLEM)
    conditions = ["Rakennus liitetään kunnan vesijohtoon.", "Julkisivut rapataan vaaleiksi."]
    decision = {"outcome": "granted", "decided_by": "inspector", "decided_on": str(posted)}
    r = _step(officer_client, app_id, "decided", decision={**decision, "conditions": conditions})
    assert r.status_code == 200, r.text[:300]
    ends = cw.last_day(posted + dt.timedelta(days=RECTIFICATION_DAYS))
    valid = ends + dt.timedelta(days=1)
    start_by = cw.last_day(cw.add_years(valid, START_YEARS))
    finish_by = cw.last_day(cw.add_years(valid, FINISH_YEARS))
    got = applicant_client.get(url + "?lang=fi")
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''p%C3%A4%C3%A4t%C3%B6s-" in got.headers["content-disposition"]
    said = _said(got.content)
    for text in (
        f"Päätös – hakemus {app_id}",
        "91-22-696-2",
        "Lupa myönnetään",
        "viranhaltija",
        f"Asetettu nähtäville {_fi(posted)}",
        *conditions,
        f"{RECTIFICATION_DAYS} päivän kuluessa päätöksen tiedoksisaannista, viimeistään {_fi(ends)}",
        f"Päätös saa lainvoiman {_fi(valid)}",
        f"aloitettava viimeistään {_fi(start_by)} ja saatettava loppuun viimeistään {_fi(finish_by)}",
        "© Maanmittauslaitos",
    ):
        assert text in said, (text, said)
    assert "Valitusosoitus" not in said  # an officer's decision: a claim first, no appeal
    sv = _said(officer_client.get(url + "?lang=sv").content)
    assert "Beslut – ansökan" in sv and "Tillståndet beviljas" in sv and _fi(ends) in sv
    en = _said(officer_client.get(url, headers={"Accept-Language": "en"}).content)
    assert "The permit is granted" in en and f"by {ends.isoformat()}" in en
    # the case's readers only: another household's applicant does not learn it exists
    assert applicant_b.get(url).status_code == 404
    assert client.get(url).status_code == 401
