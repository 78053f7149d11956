"""Ways around the owner-data rules that stop 41's security review found, closed.

- A publication of the owners' contacts was kept when the applicant took the case back to a
  draft: a new site, filed again, showed its new neighbours' owners, published by no one.
- The letters PDF printed every addressee for the case's officer, also a unit added by hand in
  another municipality, whose owners the hearing document withholds from that officer.
- Map tiles and layers carried a private unit's name (it can be a family name).
- CSV cells starting like a formula ran in Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from tests.api import casework as cw
from tests.api.test_tiles import _tile_of, decode
from tests.conftest import fi_today, needs_nls

SITE = "91-22-696-2"  # Helsinki (the officer_client's municipality)
ELSEWHERE = "24400100200002"  # the generated town, Kempele (244)


def _owners(engine: Any, pid: str) -> set[str]:
    with engine.connect() as conn:
        return set(
            conn.execute(
                text("SELECT name FROM personal.owner WHERE property_id = :p AND kind = 'person'"),
                {"p": pid},
            ).scalars()
        )


@pytest.fixture()
def submitted(nls: Any, demo: Any, engine: Any, applicant_client: Any) -> Iterator[int]:
    r = applicant_client.post(
        "/api/v1/applications", json={"kind": "building_permit", "property_id": SITE}
    )
    assert r.status_code == 201, r.text
    app_id = int(r.json()["id"])
    cw.attach_required(applicant_client, r.json())
    done = applicant_client.post(
        f"/api/v1/applications/{app_id}/submit",
        json={"version": cw.version(applicant_client, app_id)},
    )
    assert done.status_code == 200, done.text[:300]
    yield app_id
    cw.delete_application(engine, app_id)


def _request_and_publish(app_id: int, applicant: Any, officer: Any) -> None:
    """The applicant asks for the owners' contacts and the officer publishes them."""
    app = f"/api/v1/applications/{app_id}"
    asked = {"version": cw.version(applicant, app_id)}
    assert applicant.post(f"{app}/hearing/request-contacts", json=asked).status_code == 200
    publish(app_id, officer)


def _people(client: Any, app_id: int) -> list[dict[str, Any]]:
    """The addressees that are persons, as this client sees the hearing."""
    doc = client.get(f"/api/v1/applications/{app_id}/hearing").json()
    return [a for a in doc["addressees"] if a["kind"] == "person"]


def add_across_the_border(officer: Any, app_id: int) -> None:
    """The officer adds a unit of another municipality (Kempele) to the hearing by hand."""
    added = {
        "version": cw.version(officer, app_id),
        "added": [{"property_id": ELSEWHERE, "reason": "across the border"}],
    }
    r = officer.post(f"/api/v1/applications/{app_id}/hearing/neighbours", json=added)
    assert r.status_code == 200, r.text[:300]


def publish(app_id: int, officer: Any) -> None:
    """The officer publishes the contacts asked for."""
    url = f"/api/v1/applications/{app_id}/hearing/publish-contacts"
    assert officer.post(url, json={"version": cw.version(officer, app_id)}).status_code == 200


@needs_nls
def test_a_publication_does_not_survive_a_draft(
    submitted: int, applicant_client: Any, officer_client: Any, kempele_officer_client: Any
) -> None:
    app = f"/api/v1/applications/{submitted}"
    _request_and_publish(submitted, applicant_client, officer_client)
    shown = _people(applicant_client, submitted)
    assert shown and all(a["name"] for a in shown)  # published for this filing
    # taken back, moved to a site elsewhere and filed again
    back = {"state": "draft", "version": cw.version(applicant_client, submitted)}
    assert applicant_client.post(f"{app}/state", json=back).status_code == 200
    moved = {"version": cw.version(applicant_client, submitted), "property_id": ELSEWHERE}
    assert applicant_client.patch(app, json=moved).status_code == 200
    cw.attach_required(applicant_client, applicant_client.get(app).json())  # heard by the applicant
    again = {"version": cw.version(applicant_client, submitted)}
    r = applicant_client.post(f"{app}/submit", json=again)
    assert r.status_code == 200, r.text[:400]
    people = _people(applicant_client, submitted)
    assert people and all(a["withheld"] and a["name"] is None for a in people), people
    assert applicant_client.get(f"{app}/letters.pdf").status_code == 403
    # the officers of the new municipality see them, as for any filing
    assert any(a["name"] for a in _people(kempele_officer_client, submitted))


@needs_nls
def test_a_publication_covers_its_own_municipality_and_list(
    submitted: int, applicant_client: Any, officer_client: Any, engine: Any
) -> None:
    """An officer's addition after publishing is published by no one; a unit across the border never."""
    app = f"/api/v1/applications/{submitted}"
    _request_and_publish(submitted, applicant_client, officer_client)
    add_across_the_border(officer_client, submitted)
    doc = applicant_client.get(f"{app}/hearing").json()
    assert doc["contacts_published"] is False  # a new list: the officer publishes it again
    people = _people(applicant_client, submitted)
    assert people and all(a["name"] is None for a in people)
    publish(submitted, officer_client)
    people = _people(applicant_client, submitted)
    far = [a for a in people if ELSEWHERE in a["property_ids"]]
    near = [a for a in people if ELSEWHERE not in a["property_ids"]]
    assert far and all(a["withheld"] and a["name"] is None for a in far)  # what the officer sees
    assert near and all(a["name"] for a in near)
    r = applicant_client.get(f"{app}/letters.pdf")
    assert r.status_code == 200
    from tests.api import pdfs

    flat = " ".join(pdfs.text_of(r.content)[0].split())
    assert all(a["name"] in flat for a in near)
    assert not any(name in flat for name in _owners(engine, ELSEWHERE))


@needs_nls
def test_letters_print_only_the_owners_the_officer_may_see(
    submitted: int, officer_client: Any, engine: Any
) -> None:
    app = f"/api/v1/applications/{submitted}"
    add_across_the_border(officer_client, submitted)
    rows = officer_client.get(f"{app}/hearing").json()["addressees"]
    far = [a for a in rows if "24400100200002" in a["property_ids"]]
    assert far and all(a["withheld"] and a["name"] is None for a in far if a["kind"] == "person")
    assert _owners(engine, ELSEWHERE)  # there are owners to withhold
    for a in far:
        r = officer_client.get(f"{app}/letters.pdf?addressee={a['id']}")
        assert r.status_code == 403, (a, r.status_code)
    whole = officer_client.get(f"{app}/letters.pdf")
    assert whole.status_code == 200
    from tests.api import pdfs

    body, _ = pdfs.text_of(whole.content)
    flat = " ".join(body.split())
    assert not any(name in flat for name in _owners(engine, ELSEWHERE))
    assert any(a["name"] and a["name"] in flat for a in rows if a not in far)


@needs_nls
def test_letters_the_officer_cannot_print_stay_open_for_an_administrator(
    submitted: int, officer_client: Any, admin_client: Any
) -> None:
    """A letter its sender may not print is not marked sent (nor counted, nor charged)."""
    app = f"/api/v1/applications/{submitted}"
    add_across_the_border(officer_client, submitted)
    sent = fi_today()

    def send(c: Any) -> Any:
        body = {"version": cw.version(c, submitted), "sent": sent.isoformat()}
        return c.post(f"{app}/hearing/letters", json=body)

    r = send(officer_client)
    assert r.status_code == 200, r.text[:300]
    doc = r.json()
    far = [a for a in doc["addressees"] if ELSEWHERE in a["property_ids"]]
    near = [a for a in doc["addressees"] if a not in far and a["address_known"]]
    assert far and all(a["address_known"] and a["withheld"] for a in far)
    assert all(a["status"] == "open" for a in far), far
    assert near and all(a["status"] == "letter_sent" for a in near)
    assert doc["letters"] == len(near) and not doc["complete"]
    # nothing left that this officer may print: a clear 409, not letters marked sent
    again = send(officer_client)
    assert again.status_code == 409 and "administrator" in again.json()["detail"]
    done = send(admin_client)
    assert done.status_code == 200, done.text[:300]
    after = {a["id"]: a["status"] for a in done.json()["addressees"]}
    assert all(after[a["id"]] == "letter_sent" for a in far)
    assert done.json()["letters"] == len(near) + len(far)


@needs_nls
def test_a_case_taken_back_and_withdrawn_stays_with_its_officers(
    submitted: int, applicant_client: Any, officer_client: Any
) -> None:
    """It was filed once: its officers keep it, though taking it back cleared the filing date."""
    app = f"/api/v1/applications/{submitted}"
    for state in ("draft", "withdrawn"):
        step = {"state": state, "version": cw.version(applicant_client, submitted)}
        r = applicant_client.post(f"{app}/state", json=step)
        assert r.status_code == 200 and r.json()["state"] == state, r.text[:300]
        seen = officer_client.get(app).status_code
        assert seen == (404 if state == "draft" else 200), (state, seen)  # a draft is theirs
    listed = officer_client.get("/api/v1/applications", params={"state": "withdrawn"}).json()
    assert submitted in [a["id"] for a in listed["applications"]]


@needs_nls
def test_a_draft_withdrawn_unfiled_stays_its_applicants(
    nls: Any, demo: Any, engine: Any, applicant_client: Any, officer_client: Any
) -> None:
    """Withdrawing a draft never submitted showed it, attachments and all, to the officers."""
    r = applicant_client.post(
        "/api/v1/applications",
        json={"kind": "building_permit", "property_id": SITE, "description": "Oma talo"},
    )
    assert r.status_code == 201, r.text
    app_id = int(r.json()["id"])
    try:
        gone = {"state": "withdrawn", "version": cw.version(applicant_client, app_id)}
        done = applicant_client.post(f"/api/v1/applications/{app_id}/state", json=gone)
        assert done.status_code == 200 and done.json()["state"] == "withdrawn", done.text[:300]
        assert officer_client.get(f"/api/v1/applications/{app_id}").status_code == 404
        listed = officer_client.get("/api/v1/applications", params={"state": "withdrawn"})
        assert listed.status_code == 200
        assert app_id not in [a["id"] for a in listed.json()["applications"]]
        assert applicant_client.get(f"/api/v1/applications/{app_id}").status_code == 200
    finally:
        cw.delete_application(engine, app_id)


def test_a_draft_dig_permit_is_its_contractors_alone(
    contractor_client: Any, kempele_officer_client: Any, dig: Any, engine: Any
) -> None:
    """`/excavations/{id}` showed a draft's applicant and description to the officers."""
    start = fi_today() + dt.timedelta(days=30)
    body = {
        "municipality": "244",
        "applicant": "Kaivu Oy",
        "phases": [{"areas": [dig], "start": str(start), "end": str(start)}],
    }
    r = contractor_client.post("/api/v1/excavations?draft=true", json=body)
    assert r.status_code == 201, r.text[:300]
    pid = r.json()["id"]
    try:
        assert kempele_officer_client.get(f"/api/v1/excavations/{pid}").status_code == 404
        step = {"state": "withdrawn", "version": r.json()["version"]}
        assert (
            contractor_client.post(f"/api/v1/excavations/{pid}/state", json=step).status_code == 200
        )
        assert kempele_officer_client.get(f"/api/v1/excavations/{pid}").status_code == 404
        assert contractor_client.get(f"/api/v1/excavations/{pid}").status_code == 200
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": pid})


def test_private_unit_names_stay_off_the_map(client: Any, engine: Any, demo: Any) -> None:
    """A private unit's name can be a family's: /ogc left it out, tiles and layers did not."""
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE property_unit SET name = 'Virtasen tila' WHERE property_id = :p"),
            {"p": ELSEWHERE},
        )
        x, y, lon, lat = conn.execute(
            text(
                "SELECT ST_X(m), ST_Y(m), ST_X(g), ST_Y(g) FROM (SELECT"
                " ST_Transform(ST_PointOnSurface(geom), 3857) m,"
                " ST_Transform(ST_PointOnSurface(geom), 4326) g"
                " FROM property_unit WHERE property_id = :p) s"
            ),
            {"p": ELSEWHERE},
        ).one()
    try:
        tx, ty = _tile_of(x, y, 17)
        tile = client.get(f"/api/v1/tiles/parcels/17/{tx}/{ty}.mvt")
        assert tile.status_code == 200 and tile.content
        mine = [f for f in decode(tile.content)["parcels"] if f["property_id"] == ELSEWHERE]
        assert mine and all("name" not in f for f in mine), mine
        public = [f for f in decode(tile.content)["parcels"] if f.get("kind") == "public"]
        assert any("name" in f for f in public)  # a street's name stays on the map
        bbox = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
        layer = client.get("/api/v1/layers/parcels", params={"bbox": bbox, "zoom": 17}).json()
        props = [f["properties"] for f in layer["features"]]
        assert [p["name"] for p in props if p["property_id"] == ELSEWHERE] == [None]
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE property_unit SET name = NULL WHERE property_id = :p"),
                {"p": ELSEWHERE},
            )


def test_csv_cells_never_run_as_formulas(
    kempele_officer_client: Any, engine: Any, demo: Any
) -> None:
    """An owner's name that starts like a formula is text in the officer's CSV."""
    listed = kempele_officer_client.get(f"/api/v1/parcels/{ELSEWHERE}/neighbours").json()
    pid = next(n["property_id"] for n in listed["neighbours"] if n["owners"])
    with engine.begin() as conn:
        old = conn.execute(
            text("SELECT id, name FROM personal.owner WHERE property_id = :p ORDER BY id LIMIT 1"),
            {"p": pid},
        ).one()
        conn.execute(
            text("UPDATE personal.owner SET name = :n WHERE id = :i"),
            {"n": '=HYPERLINK("http://x.invalid","Virtanen")', "i": old[0]},
        )
    try:
        r = kempele_officer_client.get(f"/api/v1/parcels/{ELSEWHERE}/neighbours.csv")
        assert r.status_code == 200
        cells = [c for row in csv.reader(io.StringIO(r.text), delimiter=";") for c in row]
        assert '\'=HYPERLINK("http://x.invalid","Virtanen")' in cells
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE personal.owner SET name = :n WHERE id = :i"),
                {"n": old[1], "i": old[0]},
            )
    from api.services.office import sheet_cell

    for value, want in (("@SUM(A1)", "'@SUM(A1)"), ("-1", "'-1"), ("91-22-696-2", "91-22-696-2")):
        assert sheet_cell(value) == want


@needs_nls
def test_letters_are_charged_as_the_decisions_the_case_needs(submitted: int, engine: Any) -> None:
    """A building permit whose analysis found a deviation needed was estimated at Lappeenranta's
    56 € a letter before filing and charged 0 € after sending (the fee looked at its kind alone)."""
    from decimal import Decimal

    from api import rulesets
    from api.services import case_hearing, cases
    from api.settings import RULESETS_DIR
    from geo.applications import hearing as hr

    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE application_analysis SET document = jsonb_set(document,"
                " '{analysis,decisions_needed}', '[\"deviation\"]')"
                " WHERE id = (SELECT analysis_id FROM application WHERE id = :i)"
            ),
            {"i": submitted},
        )
        r = cases.row(conn, submitted)
        kinds = case_hearing._fee_kinds(r, case_hearing.frozen_analysis(conn, r))
    assert kinds == {"building_permit", "deviation"}
    lpr = rulesets.rules_for(RULESETS_DIR, "405", fi_today())
    charged, cost, _ = hr.letter_fee(8, 0, lpr.hearing, lpr.fees, kinds, "authority")
    assert (charged, Decimal(str(cost))) == (8, 8 * Decimal("56"))  # the tariff's 56 € a letter
