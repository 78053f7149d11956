"""Applications in the real Chromium: the applicant files from the drawing, saves as they type, attaches and
submits; the officer works the case (worklist, hearing table and map, letters, answers, a non-responder, the
contacts, the decision); a contractor sees their dig permit the same way. Screenshots in test-artifacts/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import holidays
import httpx
import pytest
import shapely
from shapely.geometry import mapping
from sqlalchemy import text

from geo import property_id
from tests.api import casework as cw
from tests.api import pdfs
from tests.conftest import TEST_USERS, fi_today
from tests.web.kit import MARKS, Watch, axe_violations, find, shot, sign_in

pytestmark = MARKS
API = "/api/v1/applications"


def _as(server: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=server, headers={"Authorization": f"Bearer {token}"}, timeout=30)


@pytest.fixture()
def filed(server: str, tokens: dict[str, str], engine: Any) -> Iterator[dict[str, Any]]:
    """A deviation the test applicant filed and submitted through the API (deleted afterwards)."""
    with _as(server, tokens["applicant"]) as c:
        app = cw.file_and_submit(
            c, {"kind": "deviation", "property_id": "91-22-697-18", "description": "Katos"}
        )
    yield app
    cw.delete_application(engine, app["id"])


def test_applicant_files_from_the_drawing_saves_attaches_and_submits(
    page: tuple[Any, Watch], engine: Any
) -> None:
    pg, watch = page
    sign_in(pg, "applicant")
    find(pg, "91-22-699-14")
    pg.wait_for_selector("#a-neighbours li")
    pg.select_option("#new-kind", "deviation")
    pg.click("#create-application")
    pg.wait_for_selector("#case:not([hidden]) #case-draft:not([hidden])")
    app_id = int(pg.inner_text("#case-title").split()[0].lstrip("#"))
    try:
        assert pg.get_attribute("#tab-cases", "aria-selected") == "true"
        pg.fill("#case-applicant", "Maija Meikäläinen")
        pg.fill("#case-description", "Autokatos tontin rajalle")
        pg.wait_for_selector("#case-status:has-text('Tallennettu')")
        with engine.connect() as conn:  # saved on the server as it was typed
            assert conn.execute(
                text("SELECT applicant_name, description FROM application WHERE id = :i"),
                {"i": app_id},
            ).one() == ("Maija Meikäläinen", "Autokatos tontin rajalle")
        # the form says where the name goes
        assert "kuulemiskirjeissä" in pg.inner_text("#case-applicant-hint")
        pg.set_input_files(
            "#attach-file",
            files=[{"name": "muistio.txt", "mimeType": "text/plain", "buffer": b"x"}],
        )
        pg.wait_for_selector("#error:has-text('Vain PDF')")
        for code in [
            li.get_attribute("data-code") for li in pg.query_selector_all("#case-checklist li")
        ]:
            pg.select_option("#attach-kind", code)
            pg.set_input_files(
                "#attach-file",
                files=[
                    {
                        "name": f"{code}.pdf",
                        "mimeType": "application/pdf",
                        "buffer": cw.tiny_pdf(code),
                    }
                ],
            )
            pg.wait_for_selector(f"#case-checklist li.ok[data-code='{code}']")
        shot(pg, "case-applicant-draft")
        pg.click("#case-submit")
        pg.wait_for_selector("#case-title:has-text('jätetty')")
        pg.wait_for_selector("#hearing-table tbody tr")
        assert "RakL" in pg.inner_text("#case-status") and pg.is_visible("#case-analysis-box")
        assert "Hakija: Maija Meikäläinen" in pg.inner_text("#case-status")
        assert pg.locator("#hearing-table td.withheld").count() > 0  # the applicant sees no names
        shot(pg, "case-applicant-submitted")
        pg.focus("#case-back")  # by keyboard back to "my applications"
        pg.keyboard.press("Enter")
        pg.wait_for_selector(f"#cases-table tr[data-id='{app_id}'][data-state='submitted']")
        shot(pg, "case-applicant-list")
        watch.errors = [e for e in watch.errors if "422" not in e]  # the refused text file
        watch.clean()
    finally:
        cw.delete_application(engine, app_id)


# whether an element lies whole inside the window (to the pixel: its box has fractions)
IN_VIEW = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
  return r.top >= -1 && r.bottom <= window.innerHeight + 1 && r.height > 0; }"""


def _open_case(pg: Any, app_id: int) -> None:
    """Open a case from the applications list (the signed-in user's worklist)."""
    pg.click("#tab-cases")
    pg.click(f"#cases-table tr[data-id='{app_id}'] button")


def _row_status(pg: Any, n: int) -> str:
    return pg.get_attribute(f"#hearing-table tbody tr:nth-child({n})", "data-status") or ""


REMARK = "Katos varjostaa pihaamme iltaisin."  # a neighbour's answer in the hearing


def test_officer_works_the_case_letters_answers_non_responder_and_decision(
    page: tuple[Any, Watch], filed: dict[str, Any], engine: Any, server: str, tokens: dict[str, str]
) -> None:
    pg, watch = page
    app_id = filed["id"]
    sign_in(pg, "officer")
    pg.click("#tab-cases")
    pg.wait_for_selector(f"#cases-table tr[data-id='{app_id}']")
    shot(pg, "officer-worklist")
    pg.click(f"#cases-table tr[data-id='{app_id}'] button")
    pg.wait_for_selector("#hearing-table tbody tr")
    assert "(demo)" in pg.inner_text("#hearing-table")  # the officer of 091 sees the owners
    assert "RakL" in pg.inner_text("#case-status") and "naapuria" in pg.inner_text("#case-analysis")
    pg.click("#case-rerun")  # the frozen analysis against today's data: nothing changed
    pg.wait_for_selector("#case-diff li.ok")
    pg.fill("#letters-sent", filed["filed_on"])
    pg.click("#send-letters")
    pg.wait_for_selector("#hearing-table tbody tr[data-status='letter_sent']")
    # the first neighbour answers with a remark: the grant below must answer it in its reasons
    pg.select_option("#hearing-table tbody tr:nth-child(1) select", "answered_remarks")
    pg.fill("#hearing-table tbody tr:nth-child(1) .row-controls input[type='text']", REMARK)
    pg.click("#hearing-table tbody tr:nth-child(1) .row-controls button")
    pg.wait_for_selector("#hearing-table tbody tr:nth-child(1)[data-status='answered_remarks']")
    # one neighbour never answers: past the deadline it is marked in the table and on the map
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE personal.hearing_addressee SET deadline = current_date - 1 WHERE id = (SELECT min(id)"
                " FROM personal.hearing_addressee WHERE application_id = :i AND status = 'letter_sent')"
            ),
            {"i": app_id},
        )
    pg.click("#case-back")
    pg.click(f"#cases-table tr[data-id='{app_id}'] button")
    pg.wait_for_selector("#hearing-table tr.non-responder")
    # the other letters' periods still run: the decision form says from which day a grant may
    # be dated (the working day after the last deadline), before the server would refuse it
    with _as(server, tokens["officer"]) as c:
        rows = c.get(f"{API}/{app_id}/hearing").json()["addressees"]
    last = max(dt.date.fromisoformat(a["deadline"]) for a in rows if a["status"] == "letter_sent")
    first = cw.last_day(last + dt.timedelta(days=1))
    assert first > fi_today()
    assert pg.inner_text("#decision-earliest") == (
        f"Myöntävän päätöksen voi kirjata aikaisintaan {first.day}.{first.month}.{first.year}:"
        " kuulemisaika on vielä kesken."
    )
    assert (
        pg.locator("path.non-responder").count() >= 1
        and pg.locator("path.hs-letter_sent").count() >= 1
    )
    shot(pg, "officer-case-hearing")
    pg.locator("#hearing-table tr.non-responder").scroll_into_view_if_needed()
    pg.evaluate("document.querySelector('#hearing-table').closest('.scroll').scrollLeft = 0")
    shot(pg, "officer-hearing-table")
    with pg.expect_download() as dl:
        pg.click("#letters-pdf")
    assert dl.value.suggested_filename.endswith(".pdf")
    _hear_the_rest_and_decide((pg, watch), app_id, server, tokens, engine)
    watch.clean()


def _hear_the_rest_and_decide(
    page: tuple[Any, Watch], app_id: int, server: str, tokens: dict[str, str], engine: Any
) -> None:
    pg, watch = page
    with _as(server, tokens["officer"]) as c:
        hearing = c.get(f"{API}/{app_id}/hearing").json()
        for a in hearing["addressees"]:
            if a["status"] not in ("answered_no_remarks", "answered_remarks", "consented"):
                body = {
                    "status": "heard_by_public_notice",
                    "date": fi_today().isoformat(),
                    "version": cw.version(c, app_id),
                }
                assert c.patch(f"{API}/{app_id}/hearing/{a['id']}", json=body).status_code == 200
    # a decision is recorded on its day, never ahead (the server refuses it): the periods are
    # made to have run, as the non-responder's deadline above
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE personal.hearing_addressee SET deadline = current_date - 10"
                " WHERE application_id = :i AND deadline IS NOT NULL"
            ),
            {"i": app_id},
        )
    earliest = fi_today().isoformat()
    pg.click("#case-back")
    pg.click(f"#cases-table tr[data-id='{app_id}'] button")
    pg.wait_for_selector("#decision-form:not([hidden])")
    pg.select_option("#decision-by", "inspector")
    pg.fill("#decision-on", earliest)
    pg.fill("#decision-posted", earliest)
    pg.fill("#decision-conditions", "Katos avoin kahdelta sivulta")
    assert pg.is_hidden("#case-decision-pdf")  # nothing decided yet
    # a refusal without its reasons (Hallintolaki 45 §): refused, the reasons box marked and focused
    pg.select_option("#decision-outcome", "refused")
    pg.click("#record-decision")
    pg.wait_for_selector("#error:has-text('perustelut')")
    assert pg.evaluate("() => document.activeElement.id") == "decision-reasons"
    assert pg.get_attribute("#decision-reasons", "aria-invalid") == "true"
    # said beside the form as well, which the box points at (the panel's top is out of view)
    beside = pg.inner_text("#decision-error")
    assert "perustelut" in beside and pg.is_visible("#decision-error")
    assert pg.get_attribute("#decision-reasons", "aria-describedby") == "decision-error"
    watch.errors = [e for e in watch.errors if "422" not in e]  # that refusal, expected
    # the remark the reasons must answer is listed under them (Hallintolaki 45 §)
    with _as(server, tokens["officer"]) as c:
        hearing = c.get(f"{API}/{app_id}/hearing").json()
    (a,) = [x for x in hearing["addressees"] if x["status"] == "answered_remarks"]
    pg.wait_for_selector("#decision-remarks li")  # once the hearing is read
    listed = pg.inner_text("#decision-remarks")
    assert listed.startswith(f"#{a['n']} {', '.join(a['property_ids_short'])}")
    assert listed.endswith(f": {REMARK}") and a["remarks"] == REMARK
    # granted after all, with its reasons in two paragraphs: kept, shown and printed as written
    reasons = "Katos ei haittaa naapureita.\n\nKaava sallii katoksen."
    pg.select_option("#decision-outcome", "granted")
    pg.fill("#decision-reasons", reasons)
    pg.click("#record-decision")
    pg.wait_for_selector("#decision-dates li")
    assert pg.inner_text("#decision-reasons-shown") == f"Perustelut: {reasons}"
    with pg.expect_download() as dl:  # the decision document, with its conditions
        pg.click("#case-decision-pdf")
    said = " ".join(pdfs.text_of(dl.value.path().read_bytes())[0].split())
    assert "Lupa myönnetään" in said and "Katos avoin kahdelta sivulta" in said, said
    assert f"Perustelut {' '.join(reasons.split())}" in said, said
    text_ = pg.inner_text("#case-decision")
    assert (
        "oikaisuvaatimusaika päättyy" in text_
        and "lainvoimainen" in text_
        and "Katos avoin" in text_
    )
    pg.locator("#case-decision").scroll_into_view_if_needed()
    shot(pg, "officer-decision")
    assert pg.locator("#decision-earliest").is_hidden()  # nothing holds a decision back now
    # legally valid only after the claim period: the step says from when, and waits
    with _as(server, tokens["officer"]) as c:
        valid_on = dt.date.fromisoformat(
            c.get(f"{API}/{app_id}").json()["decision"]["legally_valid_on"]
        )
    step = pg.locator("#case-steps button[data-state='legally_valid']")
    assert step.get_attribute("aria-disabled") == "true"  # in the tab order, its day read out
    step.focus()  # reachable by keyboard; Enter sends nothing
    pg.keyboard.press("Enter")
    assert "lainvoimainen" not in pg.inner_text("#case-title")
    assert step.inner_text().endswith(
        f"(aikaisintaan {valid_on.day}.{valid_on.month}.{valid_on.year})"
    )
    # a rectification claim arrives today: the case waits, with no legally valid day yet
    pg.click("#case-steps button[data-state='appealed']")
    pg.wait_for_selector("#case-title:has-text('muutoksenhaku vireillä')")
    text_ = pg.inner_text("#case-decision")
    assert "Oikaisuvaatimus tai valitus tehty" in text_ and "ratkaistu lainvoimaisesti" in text_
    assert "lainvoimainen:" not in text_ and "aloitettava" not in text_.lower()
    assert pg.locator("#case-steps button[data-state='legally_valid']").count() == 1
    # valid after it, but not before the claim period's end: the step still waits for that day
    pending = pg.locator("#case-steps button[data-state='legally_valid']")
    assert pending.get_attribute("aria-disabled") == "true"
    assert pending.inner_text().endswith(
        f"(aikaisintaan {valid_on.day}.{valid_on.month}.{valid_on.year})"
    )
    # the claim against the inspector's decision is the board's to decide: the form says so
    assert pg.inner_text("#decision-claim").startswith("Oikaisuvaatimuksen ratkaisee lautakunta")
    assert pg.locator("#decision-earliest").is_hidden()
    assert pg.locator("#case-steps button[data-state='refused']").count() == 1  # upheld/annulled
    shot(pg, "officer-appeal-pending")
    # the court annuls the permit today: its ruling goes with the step and shows with the decision
    pg.fill("#ruling-by", "Helsingin hallinto-oikeus")
    pg.fill("#ruling-reference", "H 1234/2026")
    pg.click("#case-steps button[data-state='refused']")  # the ruling's day is not assumed
    pg.wait_for_selector("#error:has-text('ratkaisupäivä')")
    assert "muutoksenhaku vireillä" in pg.inner_text("#case-title")  # nothing sent
    pg.fill("#ruling-on", earliest)
    pg.click("#case-steps button[data-state='refused']")
    pg.wait_for_selector("#decision-ruling")
    day = dt.date.fromisoformat(earliest)
    assert pg.inner_text("#decision-ruling") == (
        f"Muutoksenhaun ratkaisu: Helsingin hallinto-oikeus, {day.day}.{day.month}.{day.year}"
        " (H 1234/2026)"
    )
    assert "hylätty" in pg.inner_text("#case-title")


def test_officer_publishes_the_contacts_the_applicant_asked_for(
    page: tuple[Any, Watch], filed: dict[str, Any], server: str, tokens: dict[str, str]
) -> None:
    pg, watch = page
    app_id = filed["id"]
    with _as(server, tokens["applicant"]) as c:
        assert (
            c.post(
                f"{API}/{app_id}/hearing/request-contacts",
                json={
                    "version": cw.version(c, app_id),
                },
            ).status_code
            == 200
        )
    sign_in(pg, "officer")
    # by the page's own controls: navigating away would abort the map's requests in flight
    pg.select_option("#lang", "en")
    _open_case(pg, app_id)
    pg.wait_for_selector("#publish-contacts:not([hidden])")
    pg.click("#publish-contacts")
    pg.wait_for_selector("#hearing-summary:has-text('contacts published')")
    shot(pg, "officer-published-en")
    watch.clean()


def test_the_case_view_names_the_plot_the_site_reaches_into(
    page: tuple[Any, Watch], server: str, tokens: dict[str, str], engine: Any
) -> None:
    """A case whose drawn site reaches 3 m into the lot beside the plot: the officer's case view
    says, under the frozen analysis, that the lot's neighbours were heard too (in Swedish)."""
    from shapely.geometry import mapping

    from geo import property_id

    drawing, other, _ = cw.reaching_site(engine, "09102206940025")
    body = {"kind": "building_permit", "site": mapping(drawing), "crs": "EPSG:3067"}
    with _as(server, tokens["applicant"]) as c:
        app = cw.file_and_submit(c, body)
    pg, watch = page
    try:
        sign_in(pg, "officer")
        pg.select_option("#lang", "sv")
        _open_case(pg, app["id"])
        pg.wait_for_selector("#case-site-units:not([hidden])")
        note = pg.inner_text("#case-site-units")
        assert f"Byggplatsen når in på fastigheten {property_id.short(other)}:" in note, note
        assert "91-22-694-25" in note  # the plot itself: its neighbours are heard
        assert "rätta ritningen" not in note  # advice to redraw is the applicant's, before filing
        watch.clean()
    finally:
        cw.delete_application(engine, app["id"])


# the controls of the given row (its text, field and buttons) that are not wholly on the screen
OFF_SCREEN = """(sel) => [...document.querySelectorAll(sel + ' input, ' + sel + ' button, ' + sel + ' .note')]
  .map((e) => [e.tagName, e.getBoundingClientRect()])
  .filter(([, r]) => r.left < 0 || r.right > innerWidth)
  .map(([t, r]) => `${t} ${Math.round(r.left)}-${Math.round(r.right)} of ${innerWidth}`)"""


def test_the_applicant_invites_a_co_applicant_who_accepts_from_the_list(
    page: tuple[Any, Watch], filed: dict[str, Any]
) -> None:
    """The API took invitations, but the page had no way to send one, and an invited
    co-applicant who clicked the case in their list got "not found": accepting needed the API."""
    pg, watch = page
    app_id = filed["id"]
    sign_in(pg, "applicant")
    _open_case(pg, app_id)
    pg.wait_for_selector("#invite-form:not([hidden])")
    assert "Hakija:" in pg.inner_text("#case-parties")
    pg.select_option("#invite-role", "co_applicant")
    pg.fill("#invite-email", TEST_USERS["applicant_b"][0])
    pg.fill("#invite-name", "Bertta Virtanen")
    pg.press("#invite-name", "Enter")  # the form sends by keyboard
    pg.wait_for_selector("#case-parties li[data-role='co_applicant'][data-status='invited']")
    assert "Kanssahakija: Bertta Virtanen" in pg.inner_text("#case-parties")
    shot(pg, "case-parties-invited")
    pg.click("#signout")
    sign_in(pg, "applicant_b")
    pg.select_option("#lang", "sv")
    pg.click("#tab-cases")
    row = f"#cases-table tr[data-id='{app_id}']"
    invitation = f"#cases-table tr[data-invitation='{app_id}']"  # the row below the case's
    pg.wait_for_selector(f"{invitation} button[data-answer='accept']:has-text('Godkänn inbjudan')")
    # the invitee sees the role and the name the invitation gives, and corrects the name
    assert "(inbjuden: medsökande)" in pg.inner_text(row)
    # and who sent it
    sent = pg.inner_text(f"{invitation} [data-invitation-from]")
    assert f"Inbjudan skickades av {TEST_USERS['applicant'][0]}." in sent, sent
    # read out with the name field and the buttons
    note_id = pg.get_attribute(f"{invitation} [data-invitation-from]", "id")
    for control in ("input", "button[data-answer='accept']", "button[data-answer='decline']"):
        assert pg.get_attribute(f"{invitation} {control}", "aria-describedby") == note_id
    name = pg.get_by_label(f"Ditt namn i ansökan #{app_id}")
    assert name.input_value() == "Bertta Virtanen"
    # on a phone the list scrolls sideways (its case rows are wider than the screen): the
    # invitation's note, name field and buttons wrap within the screen and stay in view however
    # far it is scrolled (stop 51's walkthrough: the name field and buttons were off the screen)
    pg.set_viewport_size({"width": 320, "height": 700})
    for scrolled in (0, 400):
        pg.evaluate(
            "([sel, x]) => { document.querySelector(sel).closest('.scroll').scrollLeft = x; }",
            [invitation, scrolled],
        )
        off = pg.evaluate(OFF_SCREEN, invitation)
        assert off == [], (scrolled, off)
    name.fill("Bertta Virtanen-Koski")
    shot(pg, "case-invitation-sv")
    pg.set_viewport_size({"width": 1280, "height": 860})
    pg.click(f"{invitation} button[data-answer='accept']")
    pg.wait_for_selector("#case-parties li[data-role='co_applicant'][data-status='accepted']")
    assert "Medsökande: Bertta Virtanen-Koski" in pg.inner_text("#case-parties")
    assert pg.is_visible("#invite-form")  # a co-applicant who accepted may invite too
    shot(pg, "case-parties-accepted-sv")
    watch.clean()


def _street_dig(
    engine: Any,
    server: str,
    tokens: dict[str, str],
    start: dt.date,
    nth: int = 0,
    width_m: float | None = None,
) -> tuple[int, float]:
    """A contractor's dig on the nth street unit of the Helsinki sample: id, m².

    A 3 m circle; with `width_m`, a 6 m line (east-west) of that width instead.
    """
    with engine.connect() as conn:
        wkt, area_m2 = conn.execute(
            text(
                "SELECT ST_AsText(ST_Transform(g, 4326)), ST_Area(ST_Buffer(c, 1.5))"
                " FROM (SELECT c, CASE WHEN :line THEN ST_MakeLine(ST_Translate(c, -3, 0),"
                " ST_Translate(c, 3, 0)) ELSE ST_Buffer(c, 1.5) END AS g"
                " FROM (SELECT ST_PointOnSurface(p.geom) AS c FROM parcel p"
                " JOIN property_unit u USING (property_id) WHERE u.public_type = 'street'"
                " AND u.municipality = '091' ORDER BY p.id OFFSET :n LIMIT 1) s) d"
            ),
            {"n": nth, "line": width_m is not None},
        ).one()
    phase = {"areas": [mapping(shapely.from_wkt(wkt))], "start": str(start)}
    phase["end"] = str(start + dt.timedelta(days=2))
    if width_m is not None:
        phase["width_m"] = width_m
        area_m2 = 6 * width_m
    with _as(server, tokens["contractor"]) as c:
        r = c.post("/api/v1/excavations", json={"phases": [phase]})
    assert r.status_code == 201, r.text[:300]
    return int(r.json()["id"]), float(area_m2)


def test_contractor_sees_the_dig_permit_as_an_application(
    browser: Any, server: str, tokens: dict[str, str], engine: Any
) -> None:
    start = fi_today() + dt.timedelta(days=30)
    permit, area_m2 = _street_dig(engine, server, tokens, start)
    ctx = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    pg = ctx.new_page()
    watch = Watch(pg)
    try:
        pg.goto(server + "/?lang=sv&mode=cases")
        pg.wait_for_selector("body[data-ready='1']")
        sign_in(pg, "contractor")
        pg.wait_for_selector(f"#cases-table tr[data-id='{permit}']")
        pg.click(f"#cases-table tr[data-id='{permit}'] button")
        pg.wait_for_selector("#case-title:has-text('Grävningstillstånd')")
        status = pg.inner_text("#case-status")
        assert "inlämnad" in status and pg.is_hidden("#hearing-box")
        assert "(null)" not in status  # a dig permit has no building-law regime to name
        # stop 54's walkthrough: a dig case showed neither its phases nor what its check found.
        # Now its phases, findings (each with its weight), fee and inspections, in Swedish
        pg.wait_for_selector("#case-dig-phases li")
        d1, d2 = start, start + dt.timedelta(days=2)
        assert pg.inner_text("#case-dig-phases") == (
            f"Etapp 1: {d1.day}.{d1.month}.{d1.year}–{d2.day}.{d2.month}.{d2.year}"
            + f" · {area_m2:.1f} m²".replace(".", ",")
        )
        findings = pg.locator("#case-dig-findings li[data-severity]")
        assert findings.count() >= 1
        word = {
            "blocker": "hinder",
            "authority": "annan tillståndsmyndighet",
            "consent_needed": "samtycke behövs",
            "coordinate": "ska samordnas",
            "notify": "ska meddelas",
            "info": "för kännedom",
        }
        for i in range(findings.count()):
            sev = findings.nth(i).get_attribute("data-severity")
            assert f"Etapp 1 · {word[sev]}:" in findings.nth(i).inner_text(), sev
        assert "Totalt:" in pg.inner_text("#case-dig-fees")
        # the inspection before the work: on the last working day before it starts (the
        # holidays package's Finnish days off: Christmas and Midsummer Eve among them)
        before = pg.inner_text("#case-dig-inspections li[data-kind='before_work']")
        off = holidays.Finland(years=[start.year - 1, start.year])
        day = start - dt.timedelta(days=1)
        while day.weekday() >= 5 or day in off:
            day -= dt.timedelta(days=1)
        assert before == f"syn före arbetet: {day.day}.{day.month}.{day.year}", before
        assert pg.is_hidden("#dig-decide")  # the contractor decides nothing
        found = axe_violations(pg, "dig case")
        assert not found, found
        shot(pg, "contractor-case-phone")
        watch.clean()
    finally:
        ctx.close()
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": permit})


def _edit_from_case(pg: Any, server: str, permit: int) -> None:
    """The contractor signs in, opens the dig's case and takes it onto the map to edit."""
    pg.goto(server + "/?mode=cases")
    pg.wait_for_selector("body[data-ready='1']")
    sign_in(pg, "contractor")
    _open_case(pg, permit)
    pg.click("#case-dig-edit")
    pg.wait_for_selector("#c-editing:not([hidden])")


def test_the_contractor_edits_a_filed_dig_on_the_map_from_its_case(
    page: tuple[Any, Watch], server: str, tokens: dict[str, str], engine: Any
) -> None:
    """Stop 56's list: a filed dig could be changed through the API alone. From the case view
    its applicant now takes it onto the map, where it is checked as its save will be (its own
    works are no clash) and saved back with the version read."""
    pg, watch = page
    start = fi_today() + dt.timedelta(days=30)
    permit, _ = _street_dig(engine, server, tokens, start, nth=3)
    stored = "SELECT ST_AsBinary(geom) FROM excavation_area WHERE permit_id = :i"
    with engine.connect() as conn:
        before = shapely.from_wkb(bytes(conn.execute(text(stored), {"i": permit}).scalar_one()))
    try:
        _edit_from_case(pg, server, permit)
        assert str(permit) in pg.inner_text("#c-editing-text")
        assert pg.inner_text("#submit") == "Tallenna muutokset" and pg.is_disabled("#submit")
        assert pg.input_value("#c-start") == str(start)
        assert pg.locator("#c-shapes li").count() == 1
        # checked as an edit: the dig's own stored works are no clash with it
        pg.wait_for_selector("#c-status:not(:empty)")
        pg.wait_for_selector("#findings li")
        assert pg.locator("#findings li[data-code='clash']").count() == 0
        end = start + dt.timedelta(days=6)
        pg.fill("#c-end", str(end))
        pg.dispatch_event("#c-end", "change")
        pg.click("#submit")
        pg.wait_for_selector(f"#submitted:has-text('Muutokset tallennettu hakemukseen {permit}')")
        with _as(server, tokens["contractor"]) as c:
            got = c.get(f"/api/v1/excavations/{permit}").json()
        assert (got["version"], got["ends_on"], got["state"]) == (2, str(end), "submitted")
        with engine.connect() as conn:
            after = shapely.from_wkb(bytes(conn.execute(text(stored), {"i": permit}).scalar_one()))
        assert before.symmetric_difference(after).area < 0.05  # the same dig, to centimetres
        # changed again and undone: the undone state is sent with the version the save left
        # (the review of this change: the undo brought back the version read first, a 409)
        pg.fill("#c-end", str(end + dt.timedelta(days=1)))
        pg.dispatch_event("#c-end", "change")
        pg.click("#undo")
        pg.wait_for_function("() => !document.getElementById('submit').disabled")
        with pg.expect_response(lambda r: r.request.method == "PUT") as saved:
            pg.click("#submit")
        assert saved.value.status == 200
        with _as(server, tokens["contractor"]) as c:
            got = c.get(f"/api/v1/excavations/{permit}").json()
        assert (got["version"], got["ends_on"]) == (3, str(end))
        pg.click("#c-edit-stop")  # a new application from here
        assert pg.is_hidden("#c-editing") and pg.inner_text("#submit") == "Lähetä hakemus"
        assert pg.locator("#c-shapes li").count() == 0
        watch.clean()
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": permit})


def test_a_dig_line_is_edited_as_the_line_it_was_drawn(
    page: tuple[Any, Watch], server: str, tokens: dict[str, str], engine: Any
) -> None:
    """Stop 57 gave an edit the area a dig line covers: the line and its width were gone from the
    map and the form. They come back as drawn, and a save keeps the line."""
    pg, watch = page
    start = fi_today() + dt.timedelta(days=30)
    permit, _ = _street_dig(engine, server, tokens, start, nth=5, width_m=0.7)
    drawn = "SELECT GeometryType(drawn) FROM excavation_area WHERE permit_id = :i"
    try:
        _edit_from_case(pg, server, permit)
        assert "kaivulinja" in pg.inner_text("#c-shapes li")
        assert float(pg.input_value("#c-width")) == 0.7
        pg.fill("#c-end", str(start + dt.timedelta(days=3)))
        pg.dispatch_event("#c-end", "change")
        with pg.expect_response(lambda r: r.request.method == "PUT") as saved:
            pg.click("#submit")
        assert saved.value.status == 200
        with engine.connect() as conn:
            assert conn.execute(text(drawn), {"i": permit}).scalar_one() == "LINESTRING"
        watch.clean()
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": permit})


def test_the_officer_approves_a_dig_on_conditions_and_refuses_another_with_reasons(
    page: tuple[Any, Watch], server: str, tokens: dict[str, str], engine: Any
) -> None:
    """Stop 54's walkthrough: the officer could only approve a dig as it stood. The usual
    conditions are offered, edited and kept; a refusal needs its reasons and ends the case."""
    import tomllib
    from pathlib import Path

    pg, watch = page
    years = tomllib.loads(Path("api/rulesets/091.toml").read_text(encoding="utf-8"))
    years = years.get("excavation", {}).get("guarantee_years")
    if years is None:  # not set for Helsinki: the national default's
        default = tomllib.loads(Path("api/rulesets/default.toml").read_text(encoding="utf-8"))
        years = default["excavation"]["guarantee_years"]
    start = fi_today() + dt.timedelta(days=40)
    granted, _ = _street_dig(engine, server, tokens, start, nth=3)
    refused, _ = _street_dig(engine, server, tokens, start, nth=7)
    try:
        sign_in(pg, "officer")
        _open_case(pg, granted)
        pg.wait_for_selector("#dig-decide:not([hidden])")
        pg.wait_for_function(
            "() => document.getElementById('dig-conditions').value.includes('johtoselvitys')"
        )
        offered = pg.input_value("#dig-conditions").split("\n")
        assert offered[-1].endswith(f"{years} vuoden ajan työn vastaanotosta lukien."), offered
        assert pg.input_value("#dig-decided-on") == str(fi_today())
        assert pg.is_hidden("#case-dig-decision") and pg.is_hidden("#case-decision-pdf")
        # the conditions follow the language while not edited
        pg.select_option("#lang", "sv")
        pg.wait_for_function(
            "() => document.getElementById('dig-conditions').value.includes('ledningsutredning')"
        )
        pg.select_option("#lang", "fi")
        pg.wait_for_function(
            "() => document.getElementById('dig-conditions').value.includes('johtoselvitys')"
        )
        own = "Työ tehdään arkisin kello 7–18."
        pg.fill("#dig-conditions", "\n".join([*offered, "", own]))
        found = axe_violations(pg, "dig decision form")
        assert not found, found
        pg.select_option("#dig-notice-method", "electronic")  # sent on its day (left empty)
        pg.click("#dig-approve")
        pg.wait_for_selector("#case-dig-decision:not([hidden])")
        assert pg.inner_text("#case-dig-decision-head") == "Hyväksytty näillä ehdoilla"
        # the decision's own day is shown, and focus lands on the decision (the buttons are gone)
        day = fi_today()
        got = day + dt.timedelta(days=3)  # an electronic message's 3rd day (13/2003 19 §)
        ends = cw.last_day(got + dt.timedelta(days=14))
        valid = ends + dt.timedelta(days=1)
        assert pg.inner_text("#case-dig-decided-on") == (
            f"Päätöspäivä: {day.day}.{day.month}.{day.year}"
            f" · Lähetetty sähköisesti {day.day}.{day.month}.{day.year}"
            f" (katsotaan saaduksi {got.day}.{got.month}.{got.year})"
            f" · Oikaisuvaatimusaika päättyy: {ends.day}.{ends.month}.{ends.year}"
            f" · Lainvoimainen: {valid.day}.{valid.month}.{valid.year}"
        )
        assert pg.evaluate("() => document.activeElement.id") == "case-dig-decision-head"
        # and stays in view once the check above it is in again (the walkthrough: it was pushed
        # 200-350 px down, off the screen)
        pg.wait_for_selector("#case-dig-phases li")
        assert pg.evaluate(IN_VIEW, "#case-dig-decision-head"), "the decision in view"
        shown = pg.locator("#case-dig-conditions li").all_inner_texts()
        assert shown == [*offered, own]
        assert pg.is_hidden("#dig-decide")
        with _as(server, tokens["officer"]) as c:
            assert c.get(f"/api/v1/excavations/{granted}").json()["conditions"] == shown
        # the decision document, in the page's language, says how it went out
        with pg.expect_download() as dl:
            pg.click("#case-decision-pdf")
        assert dl.value.suggested_filename == f"päätös-{granted}.pdf", dl.value.suggested_filename
        said = " ".join(pdfs.text_of(dl.value.path().read_bytes())[0].split())
        assert f"Lähetetty hakijalle sähköisesti {day.day}.{day.month}.{day.year}" in said, said
        assert own in said and f"viimeistään {ends.day}.{ends.month}.{ends.year}" in said
        pg.locator("#case-dig-decision").scroll_into_view_if_needed()
        shot(pg, "dig-approved-conditions")

        pg.click("#case-back")
        _open_case(pg, refused)
        pg.wait_for_selector("#dig-decide:not([hidden])")
        # the first case's text is not carried over
        pg.wait_for_function(
            "() => document.getElementById('dig-conditions').value.includes('johtoselvitys')"
        )
        assert own not in pg.input_value("#dig-conditions")
        pg.click("#dig-refuse")  # no reasons: asked for, nothing sent
        pg.wait_for_selector("#error:has-text('perustelut')")
        assert pg.evaluate("() => document.activeElement.id") == "dig-refusal"
        # said beside the buttons too: the panel's top is out of view on a phone
        assert "perustelut" in pg.inner_text("#dig-decide-error")
        assert pg.evaluate(IN_VIEW, "#dig-decide-error"), "the error whole in view"
        # a decision dated before the filing: the date is marked and focused, no longer the reasons
        before = fi_today() - dt.timedelta(days=1)
        pg.fill("#dig-decided-on", str(before))
        pg.click("#dig-approve")
        pg.wait_for_selector("#dig-decide-error:has-text('jättöpäivää')")
        assert pg.evaluate("() => document.activeElement.id") == "dig-decided-on"
        assert pg.get_attribute("#dig-decided-on", "aria-invalid") == "true"
        assert pg.get_attribute("#dig-decided-on", "aria-describedby") == "dig-decide-error"
        assert pg.get_attribute("#dig-refusal", "aria-invalid") is None
        # a language switch says the server's error again in Swedish, in both places (stop 55's
        # walkthrough: it stayed in the language it was asked in), then in Finnish again
        pg.select_option("#lang", "sv")
        pg.wait_for_selector("#dig-decide-error:has-text('inlämningsdag')")
        assert "inlämningsdag" in pg.inner_text("#error")
        pg.select_option("#lang", "fi")
        pg.wait_for_selector("#dig-decide-error:has-text('jättöpäivää')")
        assert "jättöpäivää" in pg.inner_text("#error")
        watch.errors = [e for e in watch.errors if "422" not in e]  # that refusal, expected
        pg.fill("#dig-decided-on", str(fi_today()))
        pg.click("#dig-refuse")
        pg.wait_for_selector("#dig-decide-error:has-text('perustelut')")
        with _as(server, tokens["officer"]) as c:
            assert c.get(f"/api/v1/excavations/{refused}").json()["state"] == "submitted"
        assert pg.get_attribute("#dig-refusal", "aria-invalid") == "true"
        pg.fill("#dig-refusal", "Kadulla on samaan aikaan toinen työ.")
        # sent before it was made: the sending day is marked and focused
        pg.fill("#dig-notice-sent", str(before))
        pg.once("dialog", lambda d: d.accept())
        pg.click("#dig-refuse")
        pg.wait_for_selector("#dig-decide-error:has-text('ennen päätöstä')")
        assert pg.evaluate("() => document.activeElement.id") == "dig-notice-sent"
        assert pg.get_attribute("#dig-notice-sent", "aria-invalid") == "true"
        watch.errors = [e for e in watch.errors if "422" not in e]
        pg.fill("#dig-notice-sent", "")  # by letter on the decision's day
        asked = []  # a refusal ends the case: asked first
        pg.once("dialog", lambda d: (asked.append(d.message), d.accept()))
        pg.click("#dig-refuse")
        pg.wait_for_selector("#case-dig-decision-head:has-text('Hylätty')")
        assert pg.inner_text("#case-dig-refusal") == "Kadulla on samaan aikaan toinen työ."
        assert "Lähetetty kirjeenä" in pg.inner_text("#case-dig-decided-on")
        assert asked == ["Hylkäys päättää hakemuksen käsittelyn. Hylätäänkö hakemus?"]
        assert "hylätty" in pg.inner_text("#case-status")
        assert pg.is_hidden("#dig-decide") and not pg.locator("#case-steps button").count()
        pg.locator("#case-dig-decision").scroll_into_view_if_needed()
        shot(pg, "dig-refused")

        # the granted one given up by its applicant: still shown as granted, with the day
        with _as(server, tokens["contractor"]) as c:
            version = c.get(f"/api/v1/excavations/{granted}").json()["version"]
            r = c.post(
                f"/api/v1/excavations/{granted}/state",
                json={"state": "withdrawn", "version": version},
            )
            assert r.status_code == 200, r.text[:300]
        pg.click("#case-back")
        _open_case(pg, granted)
        pg.wait_for_selector("#case-dig-decision:not([hidden])")
        assert pg.inner_text("#case-dig-decision-head") == "Hyväksytty näillä ehdoilla"
        assert pg.inner_text("#case-dig-decided-on").endswith(
            f" · Hakija luopui luvasta {day.day}.{day.month}.{day.year}, eikä lupa ole enää voimassa"
        )
        assert pg.is_visible("#case-decision-pdf")
        watch.clean()
    finally:
        with engine.begin() as conn:
            for pid in (granted, refused):
                conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": pid})


def test_a_dig_decided_meanwhile_is_offered_for_reloading_and_reloads_clean(
    page: tuple[Any, Watch], server: str, tokens: dict[str, str], engine: Any
) -> None:
    """Stop 55's walkthrough: another officer decided the dig while this one had it open. The
    409's offer was out of view, and reloading then tried to save a draft's fields for the dig
    (a 422). Now the offer takes focus and the reload shows the decision, with no error."""
    pg, watch = page
    permit, _ = _street_dig(engine, server, tokens, fi_today() + dt.timedelta(days=40), nth=5)
    try:
        sign_in(pg, "officer")
        _open_case(pg, permit)
        pg.wait_for_selector("#dig-decide:not([hidden])")
        with _as(server, tokens["officer"]) as c:
            version = c.get(f"{API}/{permit}").json()["version"]
            r = c.post(
                f"{API}/{permit}/state",
                json={"state": "approved", "version": version, "conditions": ["Toisen ehto."]},
            )
            assert r.status_code == 200, r.text[:300]
        pg.fill("#dig-refusal", "Kadulla on samaan aikaan toinen työ.")
        pg.once("dialog", lambda d: d.accept())
        pg.click("#dig-refuse")
        pg.wait_for_selector("#case-status button")
        assert pg.evaluate("() => document.activeElement.closest('#case-status') !== null")
        patches: list[str] = []
        pg.on("request", lambda q: patches.append(q.url) if q.method == "PATCH" else None)
        pg.click("#case-status button")
        pg.wait_for_selector("#case-dig-decision-head:has-text('Hyväksytty näillä ehdoilla')")
        assert pg.locator("#case-dig-conditions li").all_inner_texts() == ["Toisen ehto."]
        # the offer is gone: focus on what the reload shows, not lost to the page
        assert pg.evaluate("() => document.activeElement.id") == "case-dig-decision-head"
        assert pg.is_hidden("#dig-decide")
        pg.wait_for_timeout(1000)  # a draft save would go out after 600 ms
        assert not patches and pg.is_hidden("#error"), (patches, pg.inner_text("#error"))
        with _as(server, tokens["officer"]) as c:
            assert c.get(f"/api/v1/excavations/{permit}").json()["state"] == "approved"
        conflicts = [e for e in watch.errors if "409" in e]
        assert len(conflicts) == 1, watch.errors  # the refusal's, which the page offered to reload
        watch.errors = [e for e in watch.errors if "409" not in e]
        watch.clean()
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": permit})


def test_the_hearing_table_says_the_drawing_lies_on_a_plot(
    page: tuple[Any, Watch], engine: Any, server: str, tokens: dict[str, str]
) -> None:
    """Stop 52's note: the owner of the plot a drawn site reaches into was shown as a mere
    "rajanaapuri" in the case's hearing table. Its row says "piirros ulottuu", first; the
    plot is found with shapely (casework.reaching_site), not by the code under test."""
    drawing, other, _ = cw.reaching_site(engine, "09102206940025")
    with _as(server, tokens["applicant"]) as c:
        app = cw.file_and_submit(
            c, {"kind": "building_permit", "site": mapping(drawing), "crs": "EPSG:3067"}
        )
    try:
        pg, watch = page
        sign_in(pg, "officer")
        _open_case(pg, app["id"])
        pg.wait_for_selector("#hearing-table tbody tr")
        rows = pg.eval_on_selector_all(
            "#hearing-table tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.innerText))"
        )
        assert rows[0][1] == property_id.short(other) and rows[0][2] == "piirros ulottuu", rows[0]
        assert all(r[2] != "piirros ulottuu" for r in rows[1:]), rows
        assert any(r[2] == "rajanaapuri" for r in rows[1:]), rows
        watch.clean()
    finally:
        cw.delete_application(engine, app["id"])


def test_the_case_says_a_flag_was_lifted_on_the_applicants_word(
    page: tuple[Any, Watch], engine: Any, server: str, tokens: dict[str, str]
) -> None:
    """Walkthrough of stop 53: a sauna filed with "a dwelling already stands here" had its
    planning-need flag lifted, and the case said nothing of it. Its head says what was said,
    its analysis names the lifted flag, its basis and on whose word."""
    with _as(server, tokens["applicant"]) as client:
        app = cw.file_and_submit(client, cw.sauna_application(engine, True))
    try:
        pg, watch = page
        sign_in(pg, "applicant")
        _open_case(pg, app["id"])
        pg.wait_for_selector("#case-analysis:has-text('Suunnittelutarvealue')")
        said = pg.inner_text("#case-analysis")
        assert "Suunnittelutarvealue (RakL 46 § 2 mom, hakijan ilmoituksen mukaan)" in said, said
        assert "Paikalla jo asuinrakennus: kyllä" in pg.inner_text("#case-status")
        watch.clean()
    finally:
        cw.delete_application(engine, app["id"])
