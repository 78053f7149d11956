"""The hearing letters and the package as PDF: text extracted with pypdf, a page rendered by
poppler's pdftoppm (saved in test-artifacts/) and checked for the map's colours (tests/api/pdfs.py)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
import shapely.geometry
from pypdf import PdfReader
from sqlalchemy import text

from tests.api import casework as cw
from tests.api import pdfs
from tests.conftest import ROOT, TEST_USERS, fi_today, needs_nls

pytestmark = needs_nls
SITE = "91-22-695-1"
ARTIFACTS = ROOT / "test-artifacts"
IDENTITY = "131052-308T"


@pytest.fixture(scope="module")
def sent_case(
    nls: Any, engine: Any, applicant_client: Any, officer_client: Any
) -> Iterator[dict[str, Any]]:
    with engine.begin() as conn:  # one neighbour writes Swedish
        ids = (
            conn.execute(
                text(
                    "SELECT DISTINCT p.property_id FROM parcel p, parcel s WHERE s.property_id = '09102206950001'"
                    " AND p.property_id <> s.property_id AND ST_DWithin(p.geom, s.geom, 0.5)"
                )
            )
            .scalars()
            .all()
        )
        conn.execute(
            text(
                "UPDATE personal.owner SET language = CASE WHEN id = (SELECT max(id) FROM personal.owner o"
                " WHERE o.kind = 'person' AND o.property_id = ANY(:ids)) THEN 'sv' ELSE 'fi' END"
                " WHERE property_id = ANY(:ids)"
            ),
            {"ids": ids},
        )
        spot = conn.execute(  # a 4 m square inside the site, for the planned buildings
            text(
                "SELECT ST_AsGeoJSON(ST_Transform(ST_Envelope(ST_Buffer(ST_PointOnSurface(geom), 2)),"
                " 4326))::json FROM parcel WHERE property_id = '09102206950001'"
            )
        ).scalar_one()
    app = cw.file_and_submit(
        applicant_client,
        {
            "kind": "deviation",
            "property_id": SITE,
            "description": f"Autotalli; hakija {IDENTITY}",
            "applicant": f"Maija  Meikäläinen {IDENTITY}",
            "buildings": [
                {"footprint": spot, "use": "garage", "floor_area_m2": 42, "height_m": 3.45},
                {"footprint": spot, "use": "sauna", "floor_area_m2": 12.5},
            ],
        },
    )
    sent = fi_today()  # a step is recorded on its day or later, never ahead
    r = officer_client.post(
        f"/api/v1/applications/{app['id']}/hearing/letters",
        json={
            "version": cw.version(officer_client, app["id"]),
            "sent": sent.isoformat(),
            "heard_by": "authority",
        },
    )
    assert r.status_code == 200, r.text
    yield {"app": app, "hearing": r.json(), "sent": sent}
    cw.delete_application(engine, app["id"])


def _fi_date(d: str) -> str:
    x = dt.date.fromisoformat(d)
    return f"{x.day}.{x.month}.{x.year}"


def test_a_finnish_letter_names_the_recipient_unit_deadline_and_shows_the_map(
    sent_case: dict[str, Any], officer_client: Any, engine: Any
) -> None:
    app_id = sent_case["app"]["id"]
    people = [
        x
        for x in sent_case["hearing"]["addressees"]
        if x["kind"] == "person" and x["language"] == "fi"
    ]
    a = min(people, key=lambda x: x["relation"] != "adjacent")
    r = officer_client.get(f"/api/v1/applications/{app_id}/letters.pdf?addressee={a['id']}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    body, pages = pdfs.text_of(r.content)
    flat = " ".join(body.split())
    with engine.connect() as conn:  # the recipient as the owner register has them
        owners = set(
            conn.execute(
                text(
                    "SELECT name FROM personal.owner WHERE property_id = ANY(:p) AND kind = 'person'"
                ),
                {"p": a["property_ids"]},
            ).scalars()
        )
    assert a["name"] in owners and a["name"] in flat
    assert all(p in flat for p in a["property_ids_short"]) and SITE in flat
    if len(a["property_ids_short"]) == 1:  # named once, not again before the reason (walkthrough)
        only = a["property_ids_short"][0]
        reason = a["reason_fi"].removeprefix(f"{only}: ")
        assert " ".join(reason.split()) in flat and f"{only}: {reason[:20]}" not in flat, flat
    # independently: 7 days' delivery + 7 days from the day sent, moved off weekends and holidays
    deadline = cw.last_day(sent_case["sent"] + dt.timedelta(days=14))
    assert a["deadline"] == deadline.isoformat()
    assert _fi_date(a["deadline"]) in flat and "Määräaika" in flat and "Naapurin kuuleminen" in flat
    assert (
        f"Teitä kuullaan hakemuksesta, joka koskee rakennuspaikkaa {SITE} (poikkeamishakemus)"
        in flat
    )
    # who applies, by the name given (the identity code in it removed)
    assert "(poikkeamishakemus). Hakija: Maija Meikäläinen […] Hakemus: Autotalli" in flat
    # what is planned, from the application's buildings, with decimal commas
    assert (
        "Suunnitellut rakennukset: autotalli, kerrosala 42 m², korkeus 3,45 m; sauna, kerrosala"
        " 12,5 m²" in flat
    )
    assert (
        "Näin vastaatte" in flat
        and "RakL 64 §" in flat
        and "1:" in flat
        and "Maanmittauslaitos" in flat
    )
    assert IDENTITY not in flat  # identity codes never appear
    # where to answer: Helsinki's registry, as its rule file (091.toml) names it
    assert (
        "Vastatkaa kirjallisesti: rakennusvalvonta, Helsinki, sähköposti helsinki.kirjaamo@hel.fi."
        in flat
    )
    img = pdfs.render(r.content, "letter-fi")
    assert pdfs.share(img, (0xB7, 0xE4, 0xC7)) > 0.002  # the site's green on the map
    assert pdfs.share(img, (0xF4, 0xA2, 0x59)) > 0.0005  # the recipient's unit in orange
    with engine.connect() as conn:
        logged = conn.execute(
            text(
                "SELECT property_ids FROM audit.disclosure WHERE application_id = :i AND endpoint LIKE '%letters.pdf'"
                " ORDER BY id DESC LIMIT 1"
            ),
            {"i": app_id},
        ).scalar_one()
    assert set(a["property_ids"]) <= set(logged)


def test_a_swedish_owner_gets_the_letter_in_swedish(
    sent_case: dict[str, Any], officer_client: Any
) -> None:
    app_id = sent_case["app"]["id"]
    a = next(x for x in sent_case["hearing"]["addressees"] if x["language"] == "sv")
    r = officer_client.get(f"/api/v1/applications/{app_id}/letters.pdf?addressee={a['id']}")
    flat = " ".join(pdfs.text_of(r.content)[0].split())
    assert "Hörande av granne" in flat and "Tidsfrist" in flat and _fi_date(a["deadline"]) in flat
    assert a["name"] in flat and "Naapurin kuuleminen" not in flat
    assert "Sökande: Maija Meikäläinen […] Ansökan:" in flat
    assert (
        "Planerade byggnader: garage, våningsyta 42 m², höjd 3,45 m; bastu, våningsyta 12,5 m²"
        in flat
    )
    assert (
        "Svara skriftligen: byggnadstillsynen, Helsingfors, e-post helsinki.kirjaamo@hel.fi."
        in flat
    )
    pdfs.render(r.content, "letter-sv")


def test_all_letters_one_per_addressee_and_only_for_those_who_may_print(
    sent_case: dict[str, Any], officer_client: Any, applicant_client: Any
) -> None:
    app_id = sent_case["app"]["id"]
    r = officer_client.get(f"/api/v1/applications/{app_id}/letters.pdf")
    body, pages = pdfs.text_of(r.content)
    reachable = [a for a in sent_case["hearing"]["addressees"] if a["address_known"]]
    assert pages >= len(reachable)
    assert body.count("Naapurin kuuleminen") + body.count("Hörande av granne") == len(reachable)
    denied = applicant_client.get(f"/api/v1/applications/{app_id}/letters.pdf")
    assert denied.status_code == 403 and denied.headers["content-type"].startswith(
        "application/problem+json"
    )
    denied = applicant_client.get(f"/api/v1/applications/{app_id}/letters.pdf?lang=sv")
    assert denied.json()["detail"] == (
        "breven skrivs ut av kommunens tjänsteinnehavare (sökanden också, när ägarnas"
        " kontaktuppgifter har publicerats för sökanden)"
    )
    missing = officer_client.get(
        f"/api/v1/applications/{app_id}/letters.pdf?addressee=99999&lang=fi"
    )
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"hakemuksella {app_id} ei ole kuultavaa 99999"


def test_the_hearing_package_pdf_shows_the_statuses_on_a_map(
    sent_case: dict[str, Any], officer_client: Any
) -> None:
    app_id = sent_case["app"]["id"]
    r = officer_client.get(f"/api/v1/applications/{app_id}/hearing.pdf?lang=fi")
    assert r.status_code == 200
    flat = " ".join(pdfs.text_of(r.content)[0].split())
    assert f"hakemus {app_id}" in flat and "kirje lähetetty" in flat and "RakL 64 §" in flat
    assert "rakennusvalvonnalle (Helsinki, helsinki.kirjaamo@hel.fi)" in flat  # 091.toml's
    assert "Autotalli" in flat and IDENTITY not in flat  # as in the letters
    assert (
        f"Hakija Maija Meikäläinen […], {TEST_USERS['applicant'][0]}" in flat
    )  # the name, then the account
    assert "autotalli, kerrosala 42 m², korkeus 3,45 m; sauna, kerrosala 12,5 m²" in flat
    img = pdfs.render(r.content, "hearing-package-pdf")
    assert pdfs.share(img, (0xC6, 0xDB, 0xEF)) > 0.002  # the letter_sent blue of the neighbours
    # stop 51's walkthrough: the table said each addressee's relation, not why it is heard.
    # Under the relation, the reason: without the unit's id where it is the row's only unit,
    # and without the relation said again ("vastapäätä / tien/kadun yli (…), 18,0 m")
    addressees = sent_case["hearing"]["addressees"]
    assert any("yhteistä rajaa" in a["reason_fi"] for a in addressees)
    sv = officer_client.get(f"/api/v1/applications/{app_id}/hearing.pdf?lang=sv")
    flat_sv = " ".join(pdfs.text_of(sv.content)[0].split())
    assert "Suhde ja syy" in flat and "Relation och skäl" in flat_sv
    opposite = 0
    units = [u for a in addressees for u in a["property_ids_short"]]
    for a in addressees:
        for said, text_, rel in (
            (flat, a["reason_fi"], "vastapäätä, "),
            (flat_sv, a["reason_sv"], "mittemot, "),
        ):
            if len(a["property_ids_short"]) == 1:
                only = a["property_ids_short"][0]
                text_ = text_.removeprefix(f"{only}: ")
                assert units.count(only) > 1 or f"{only}: " not in said, a
            if text_.startswith(rel):
                opposite += 1
                assert f"{rel.rstrip(', ')} {text_}" not in said, a
                text_ = text_.removeprefix(rel)
            assert " ".join(text_.split()) in said, (a, text_)
    assert opposite, "the case has opposite neighbours"


def test_the_permit_is_named_as_the_filing_dates_law_names_it() -> None:
    """From 1.1.2025 a building permit is a rakentamislupa (RakL 42 §), and a planning-need area
    is decided in it or in a siting permit (RakL 43, 46 §): no suunnittelutarveratkaisu."""
    from api.documents.texts import kind_label

    assert kind_label("fi", "building_permit", "MRL") == "rakennuslupahakemus"
    assert kind_label("fi", "building_permit", "RakL") == "rakentamislupahakemus"
    assert "suunnittelutarveratkaisu" in kind_label("fi", "planning_need", "MRL")
    rakl = kind_label("fi", "planning_need", "RakL")
    assert "suunnittelutarveratkaisu" not in rakl and "sijoittamislupa" in rakl
    assert "placeringstillstånd" not in kind_label("sv", "planning_need", "MRL")  # RakL's alone
    assert (
        kind_label("sv", "building_permit", "RakL") == "ansökan om bygglov"
    )  # the Swedish act's word


def test_a_long_description_goes_on_over_the_pages(
    sent_case: dict[str, Any], officer_client: Any, engine: Any
) -> None:
    """A description of 20 000 characters (the most an application takes) made the package a
    500 (a table row taller than a page). The package shows it all; a letter its first 1 200
    characters, cut between words and marked."""
    app_id = sent_case["app"]["id"]
    long = " ".join(f"sana{i}" for i in range(2500))[:19_990] + " LOPPU"
    with engine.begin() as conn:
        before = conn.execute(
            text("UPDATE application SET description = :d WHERE id = :id RETURNING 1"),
            {"d": long, "id": app_id},
        ).scalar_one()
    try:
        package = officer_client.get(f"/api/v1/applications/{app_id}/hearing.pdf?lang=fi")
        a = sent_case["hearing"]["addressees"][0]
        letter = officer_client.get(
            f"/api/v1/applications/{app_id}/letters.pdf?addressee={a['id']}"
        )
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE application SET description = :d WHERE id = :id"),
                {"d": f"Autotalli; hakija {IDENTITY}", "id": app_id},
            )
    assert before == 1
    assert package.status_code == 200, package.text
    flat, pages = pdfs.text_of(package.content)
    assert "LOPPU" in flat and pages > 2
    assert letter.status_code == 200, letter.text
    words = " ".join(pdfs.text_of(letter.content)[0].split())
    shown = long[:1200].rsplit(" ", 1)[0]
    assert f"{shown} …" in words and "LOPPU" not in words


def test_letters_printed_before_the_send_is_recorded_say_they_are_drafts(
    nls: Any, engine: Any, applicant_client: Any, officer_client: Any
) -> None:
    """A letter printed before the send was recorded carried today's date and a deadline from
    it, and looked like the letter to mail: recorded on a later day, the hearing ran to
    another deadline than the one printed. It now says it is a draft, not to be mailed; once
    the send is recorded, the letters are the final ones."""
    app = cw.file_and_submit(applicant_client, {"kind": "deviation", "property_id": "91-22-697-18"})
    try:
        url = f"/api/v1/applications/{app['id']}/letters.pdf"
        before = officer_client.get(url)
        r = officer_client.post(
            f"/api/v1/applications/{app['id']}/hearing/letters",
            json={
                "version": cw.version(officer_client, app["id"]),
                "sent": fi_today().isoformat(),
                "heard_by": "authority",
            },
        )
        assert r.status_code == 200, r.text
        after = officer_client.get(url)
    finally:
        cw.delete_application(engine, app["id"])
    assert before.status_code == 200, before.text
    draft, pages = pdfs.text_of(before.content)
    flat = " ".join(draft.split())
    assert flat.count("LUONNOS – lähettämistä ei ole kirjattu") + flat.count("UTKAST –") == pages
    assert after.status_code == 200, after.text
    final = " ".join(pdfs.text_of(after.content)[0].split())
    assert "LUONNOS" not in final and "UTKAST" not in final
    assert "Hakija:" not in final and "Sökande:" not in final  # no name given: none printed


def test_the_co_applicants_who_accepted_are_named_beside_the_applicant(
    sent_case: dict[str, Any],
    applicant_client: Any,
    applicant_b: Any,
    officer_client: Any,
    engine: Any,
) -> None:
    """Co-owners apply together: the letters named the main applicant alone, whatever parties
    had joined the case. Those who accepted their invitation are now named after the applicant,
    in the letters, the package and the case's parties; an unanswered invitation names no one."""
    app_id = sent_case["app"]["id"]
    url = f"/api/v1/applications/{app_id}"
    try:
        for email, name in (
            (TEST_USERS["applicant_b"][0], " Bertta\n Virtanen "),
            ("kalle.kutsuttu@test.invalid", "Kalle Kutsuttu"),
        ):
            r = applicant_client.post(
                f"{url}/parties",
                json={
                    "version": cw.version(applicant_client, app_id),
                    "role": "co_applicant",
                    "email": email,
                    "name": name,
                },
            )
            assert r.status_code == 200, r.text
        rows = applicant_b.get("/api/v1/applications").json()["applications"]
        mine = next(a for a in rows if a["id"] == app_id)
        assert mine["invited"] and mine["yours"] is False
        party = next(p for p in r.json()["parties"] if p["email"] == TEST_USERS["applicant_b"][0])
        assert mine["invitation"] == party["id"] and party["name"] == "Bertta Virtanen"
        accepted = applicant_b.post(f"{url}/parties/{mine['invitation']}/accept")
        assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
        again = applicant_b.get("/api/v1/applications").json()["applications"]
        assert next(a for a in again if a["id"] == app_id)["invitation"] is None  # answered

        doc = officer_client.get(url).json()
        assert [(p["role"], p["name"], p["status"]) for p in doc["parties"]] == [
            ("applicant", "Maija Meikäläinen " + IDENTITY, "accepted"),
            ("co_applicant", "Bertta Virtanen", "accepted"),
            ("co_applicant", "Kalle Kutsuttu", "invited"),
        ]
        fi = next(a for a in sent_case["hearing"]["addressees"] if a["language"] == "fi")
        sv = next(a for a in sent_case["hearing"]["addressees"] if a["language"] == "sv")
        letter_fi, letter_sv = (
            " ".join(
                pdfs.text_of(officer_client.get(f"{url}/letters.pdf?addressee={a['id']}").content)[
                    0
                ].split()
            )
            for a in (fi, sv)
        )
        package = " ".join(
            pdfs.text_of(officer_client.get(f"{url}/hearing.pdf?lang=fi").content)[0].split()
        )
        # a letter mailed before she accepted is printed again as it was mailed: without her
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE application_party SET answered_at = answered_at + interval '1 day'"
                    " WHERE application_id = :i AND status = 'accepted'"
                ),
                {"i": app_id},
            )
        mailed = " ".join(
            pdfs.text_of(officer_client.get(f"{url}/letters.pdf?addressee={fi['id']}").content)[
                0
            ].split()
        )
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("DELETE FROM application_party WHERE application_id = :i"), {"i": app_id}
            )
    assert "Hakijat: Maija Meikäläinen […], Bertta Virtanen Hakemus:" in letter_fi
    assert "Sökande: Maija Meikäläinen […], Bertta Virtanen Ansökan:" in letter_sv
    assert (
        f"Hakijat Maija Meikäläinen […], Bertta Virtanen, {TEST_USERS['applicant'][0]}" in package
    )
    assert all("Kalle" not in t for t in (letter_fi, letter_sv, package))
    assert "Hakija: Maija Meikäläinen […] Hakemus:" in mailed and "Bertta" not in mailed


def test_a_plot_the_drawing_lies_on_is_said_so_in_the_hearing_and_its_package(
    nls: Any, engine: Any, applicant_client: Any, officer_client: Any
) -> None:
    """Stop 52's note: the owner of a plot a drawn site reaches into was listed as a mere
    "rajanaapuri" in the hearing's table and package. The stored relation stays "adjacent"
    (a contract); the addressee is `reached`, comes first, and the package says "piirros
    ulottuu" above the reason. The plot is found with shapely (casework.reaching_site)."""
    drawing, other, on_other = cw.reaching_site(engine, "09102206940025")
    app = cw.file_and_submit(
        applicant_client,
        {"kind": "building_permit", "site": shapely.geometry.mapping(drawing), "crs": "EPSG:3067"},
    )
    try:
        doc = officer_client.get(f"/api/v1/applications/{app['id']}/hearing").json()
        mine = [a for a in doc["addressees"] if other in a["property_ids"]]
        assert mine and all(a["reached"] and a["relation"] == "adjacent" for a in mine), mine
        assert doc["addressees"][0]["reached"], "the plot the drawing lies on comes first"
        others = [a for a in doc["addressees"] if other not in a["property_ids"]]
        assert others and not any(a["reached"] for a in others)
        m2 = f"{on_other:.1f}".replace(".", ",")
        short = mine[0]["property_ids_short"][0]
        for lang, label, rel, reach in (
            ("fi", "piirros ulottuu", "rajanaapuri", "Piirros ulottuu myös kiinteistölle"),
            ("sv", "ritningen når in", "rågranne", "Ritningen når också in på fastigheten"),
        ):
            r = officer_client.get(f"/api/v1/applications/{app['id']}/hearing.pdf?lang={lang}")
            assert r.status_code == 200, r.text
            flat = " ".join(pdfs.text_of(r.content)[0].split())
            assert f"1 {mine[0]['property_ids_short'][0]} {label}" in flat, flat[:3000]
            assert m2 in flat  # the reason under it: the m² of the drawing on the plot
            assert rel in flat  # the other neighbours are still boundary neighbours
            # the first page names the plot the site reaches into and how much lies on it
            said = re.search(rf"{reach} {short} \((\d+,\d) m²\)", flat)
            assert said, flat[:1500]
            assert float(said.group(1).replace(",", ".")) == pytest.approx(on_other, abs=0.5)
        # each letter opens with its heading, and its answer section (deadline, how to answer,
        # the slip) stays whole on one page (stop 52's walkthrough saw a slip alone on a second
        # page). A letter whose map cannot be shortened (a street owner's two long reasons: the
        # map must show the site and both streets whole) goes on to a second page.
        r = officer_client.get(f"/api/v1/applications/{app['id']}/letters.pdf")
        pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(r.content)).pages]
        letters: dict[str, list[str]] = {}
        for p in pages:
            n = re.findall(r"(?:kirje|brev) (\d+/\d+) · (?:sivu|sida)", p)[-1]
            letters.setdefault(n, []).append(p)
        assert len(letters) > 3, list(letters)
        for n, ps in letters.items():
            assert "Naapurin kuuleminen" in ps[0] or "Hörande av granne" in ps[0], (n, ps[0][:300])
            assert len(ps) <= 2, (n, [p[:200] for p in ps])
            slip = [p for p in ps if "☐" in p]
            assert len(slip) == 1 and ("Määräaika" in slip[0] or "Tidsfrist" in slip[0]), (n, ps)
    finally:
        cw.delete_application(engine, app["id"])


def test_the_pdfs_are_named_in_the_askers_language(
    sent_case: dict[str, Any], officer_client: Any
) -> None:
    """Stop 52's note: a Swedish page saved "kuulemiskirjeet-12.pdf". The names follow the
    request's language; Swedish letters go as UTF-8 (RFC 8187) with an ASCII fallback."""
    app_id = sent_case["app"]["id"]
    names = {
        ("letters.pdf", "fi"): f"kuulemiskirjeet-{app_id}.pdf",
        ("letters.pdf", "sv"): f"hörandebrev-{app_id}.pdf",
        ("letters.pdf", "en"): f"hearing-letters-{app_id}.pdf",
        ("hearing.pdf", "fi"): f"kuuleminen-{app_id}.pdf",
        ("hearing.pdf", "sv"): f"hörande-{app_id}.pdf",
        ("hearing.pdf", "en"): f"hearing-{app_id}.pdf",
    }
    for (path, lang), name in names.items():
        r = officer_client.get(f"/api/v1/applications/{app_id}/{path}?lang={lang}")
        assert r.status_code == 200, r.text
        header = r.headers["content-disposition"]
        said = re.search(r"filename\*=UTF-8''([^;]+)", header)
        plain = re.search(r'filename="([^"]+)"', header)
        got = unquote(said.group(1)) if said else plain.group(1) if plain else None
        assert got == name, header
        assert plain and plain.group(1).isascii(), header
