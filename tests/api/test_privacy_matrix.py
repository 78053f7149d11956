"""Role x endpoint matrix (issue 10): every endpoint as every kind of caller.

A small cadastre of its own (an empty corner of Finland) with owners whose names and
addresses are known here; each response is searched for them. The expectation is the
rule of domain.md N9 restated in this file: officers see the owners of their own
municipality's units, admins every unit, nobody else any private owner; every response
that shows personal data writes exactly one audit row naming exactly those units.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import box, mapping
from sqlalchemy import text

from api import ingest
from geo.crs import from_storage
from tests.api import casework as cw
from tests.conftest import fi_today

X0, Y0 = 320_000.0, 6_960_000.0  # an empty corner of Finland, away from the other data
ROLES = ("anonymous", "applicant", "contractor", "officer", "officer_244", "admin")
CLIENTS = {
    "anonymous": "client",
    "applicant": "applicant_client",
    "contractor": "contractor_client",
    "officer": "officer_client",  # an officer of 091, where the units lie
    "officer_244": "kempele_officer_client",  # an officer of another municipality
    "admin": "admin_client",
}
SITE = "09195000010001"
# unit: (geometry in local metres, owner kind, name, contact, address)
UNITS: dict[str, tuple[Any, str, str, str, str]] = {
    "09195000010002": (box(20, 20, 40, 40), "person", "Pirjo Privaatti", "", "Salaisuudenkatu 3"),
    "09195000010003": (box(-20, 20, 0, 40), "company", "Yksityisyys Oy", "", "Piilotie 5"),
    "09195000010004": (
        box(0, 40, 20, 60),
        "estate",
        "Kätkön kuolinpesä",
        "Kaisa Kätkö",
        "Kätkökuja 9",
    ),
    "09295000010001": (box(-20, 40, 0, 60), "person", "Rauha Rajanaapuri", "", "Rajatie 2"),
    "09195000010006": (box(20, 40, 40, 60), "association", "Salaseura ry", "", "Seuratie 4"),
    "09195000020001": (box(0, -15, 20, 5), "person", "Veikko Vastapää", "", "Vastapäätä 1"),
    "09195000030001": (box(200, 200, 220, 220), "person", "Manu Manuaalinen", "", "Käsintie 8"),
}
MANUAL = "09195000030001"  # far away: only on the list because the officer adds it by hand
NEIGHBOURS = tuple(u for u in UNITS if u != MANUAL)
STREET = "09195099010001"
APPLICANT_NAME = "Kalle Kaivaja"  # a private person applying for a dig permit


def _local(g: Any) -> Any:
    from shapely.affinity import translate

    return translate(g, X0, Y0)


def _strings(unit: str, addresses: bool = True) -> list[str]:
    _, _, name, contact, address = UNITS[unit]
    return [s for s in (name, contact, address if addresses else "") if s]


def visible_units(role: str, units: tuple[str, ...]) -> set[str]:
    """N9 restated: admins see every unit's owners, an officer those of their municipality (091)."""
    if role == "admin":
        return set(units)
    if role == "officer":
        return {u for u in units if u.startswith("091")}
    return set()


@dataclass
class Town:
    """The test cadastre, and a dig permit a contractor applied for in it."""

    permit_id: int = 0
    tokens: dict[str, str] = field(default_factory=dict)
    engine: Any = None

    def permit_version(self) -> int:
        """The permit's version now (a writer names the one it read; the roles' edits move it)."""
        return cw.stored_permit_version(self.engine, self.permit_id)


def _files(tmp: Path) -> tuple[Path, Path]:
    feats = [(box(0, 20, 20, 40), SITE), (box(-40, 5, 60, 20), STREET)]
    feats += [(g, pid) for pid, (g, *_rest) in UNITS.items()]
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:3067"}},
        "features": [
            {
                "type": "Feature",
                "geometry": mapping(_local(g)),
                "properties": {"kiinteistotunnus": p},
            }
            for g, p in feats
        ],
    }
    parcels = tmp / "matrix.geojson"
    parcels.write_text(json.dumps(doc))
    owners = tmp / "matrix-owners.csv"
    rows = ["property_id,kind,name,share,contact_name,address,postal_code,city"]
    rows += [f"{p},{k},{n},1/1,{c},{a},00100,Testilä" for p, (_, k, n, c, a) in UNITS.items()]
    owners.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return parcels, owners


def _dig_body(applicant: str | None = APPLICANT_NAME) -> dict[str, Any]:
    start = fi_today() + dt.timedelta(days=30)
    area = from_storage(_local(box(25, 10, 27, 12)), 4326)
    return {
        "municipality": "091",
        "applicant": applicant,
        "phases": [
            {
                "areas": [mapping(area)],
                "start": str(start),
                "end": str(start + dt.timedelta(days=3)),
            }
        ],
    }


@pytest.fixture(scope="module")
def town(engine: Any, tmp_path_factory: Any, contractor_client: Any, tokens: dict[str, str]) -> Any:
    parcels, owners = _files(tmp_path_factory.mktemp("matrix"))
    ingest.import_parcels(engine, parcels)
    ingest.import_owners(engine, owners)
    created = contractor_client.post("/api/v1/excavations", json=_dig_body())
    assert created.status_code == 201, created.text
    yield Town(created.json()["id"], tokens, engine)
    with engine.begin() as conn:
        conn.execute(
            text("DELETE FROM excavation_permit WHERE municipality = '091' AND id >= :i"),
            {"i": created.json()["id"]},
        )


def _bbox() -> str:
    lo = from_storage(_local(box(-50, -50, 250, 250)), 4326).bounds
    return ",".join(f"{v:.6f}" for v in lo)


def _site_drawing() -> dict[str, Any]:
    return mapping(from_storage(_local(box(0, 20, 20, 40)), 4326))


HEARING = {
    "property_id": SITE,
    "lang": "en",
    "added": [{"property_id": MANUAL, "reason": "sees the site"}],
}


def _form(c: Any, t: Town) -> Any:
    token = c.headers.get("authorization", "").removeprefix("Bearer ") or None
    data = {"request": json.dumps(HEARING), **({"access_token": token} if token else {})}
    return c.post("/api/v1/hearing/package/form", data=data)


def _new_permit_then_approve(c: Any, t: Town, contractor: Any) -> Any:
    made = contractor.post("/api/v1/excavations", json=_dig_body(None)).json()["id"]
    return c.post(f"/api/v1/excavations/{made}/state", json={"state": "approved", "version": 1})


@dataclass
class Case:
    """One endpoint: how to call it, its status by role, the personal data it may hold."""

    name: str
    call: Callable[..., Any]
    status: dict[str, int] = field(default_factory=dict)  # 200 unless named
    owners_of: tuple[str, ...] = ()  # units whose owners the full document names
    applicant_for: frozenset[str] = frozenset()  # roles that may see the permit's applicant
    addresses: bool = True  # the document gives the shown owners' addresses too


SIGNED_IN = {r: 200 for r in ROLES if r != "anonymous"} | {"anonymous": 401}
PERMIT_READERS = frozenset({"contractor", "officer", "admin"})
NOT_HIS = {"anonymous": 401, "applicant": 404, "officer_244": 404}
CASES = [
    Case("health", lambda c, t: c.get("/api/v1/health")),
    Case("config", lambda c, t: c.get("/api/v1/config")),
    Case("index", lambda c, t: c.get("/")),
    Case("openapi", lambda c, t: c.get("/openapi.json")),
    Case("layer", lambda c, t: c.get(f"/api/v1/layers/parcels?bbox={_bbox()}&zoom=17")),
    Case("search", lambda c, t: c.get("/api/v1/search?q=091-950-1-2")),
    Case("me", lambda c, t: c.get("/api/v1/auth/me"), SIGNED_IN),
    Case(
        "audit",
        lambda c, t: c.get("/api/v1/audit?limit=5"),
        {"anonymous": 401, "admin": 200} | {r: 403 for r in ROLES[1:5]},
    ),
    Case(
        "property neighbours",
        lambda c, t: c.get(f"/api/v1/parcels/{SITE}/neighbours"),
        owners_of=NEIGHBOURS,
    ),
    Case(
        "drawn neighbours",
        lambda c, t: c.post("/api/v1/neighbours", json={"site": _site_drawing()}),
        owners_of=NEIGHBOURS,
    ),
    Case(
        "site analysis",
        lambda c, t: c.post("/api/v1/analysis/site", json={"property_id": SITE}),
        owners_of=NEIGHBOURS,
    ),
    Case(
        "hearing list",
        lambda c, t: c.post("/api/v1/hearing/list", json=HEARING),
        owners_of=NEIGHBOURS + (MANUAL,),
    ),
    Case(
        "hearing package",
        lambda c, t: c.post("/api/v1/hearing/package", json=HEARING),
        owners_of=NEIGHBOURS + (MANUAL,),
    ),
    # issue 13: the printed package gives the addresses of the owners its reader may see
    Case("hearing package form", _form, owners_of=NEIGHBOURS + (MANUAL,)),
    Case("dig check", lambda c, t: c.post("/api/v1/excavations/check", json=_dig_body())),
    Case(
        "works map",
        lambda c, t: c.get(f"/api/v1/excavations?bbox={_bbox()}"),
        applicant_for=PERMIT_READERS,
    ),
    Case(
        "permit",
        lambda c, t: c.get(f"/api/v1/excavations/{t.permit_id}"),
        NOT_HIS,
        applicant_for=PERMIT_READERS,
    ),
    Case(
        "edit permit",
        lambda c, t: c.put(
            f"/api/v1/excavations/{t.permit_id}",
            json={**_dig_body(), "version": t.permit_version()},
        ),
        NOT_HIS | {"officer": 403},
    ),
    Case("approve", _new_permit_then_approve, NOT_HIS | {"contractor": 403}),
    Case(
        "apply",
        lambda c, t: c.post("/api/v1/excavations", json=_dig_body(None)),
        {r: 201 for r in ROLES} | {"anonymous": 401},
    ),
]


def _audit_rows(engine: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                text(
                    "SELECT id, user_email, endpoint, property_ids FROM audit.disclosure ORDER BY id"
                )
            )
        ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_role_endpoint_matrix(
    case: Case, role: str, town: Town, engine: Any, request: pytest.FixtureRequest
) -> None:
    client = request.getfixturevalue(CLIENTS[role])
    contractor = request.getfixturevalue("contractor_client")
    before = _audit_rows(engine)
    r = (
        case.call(client, town, contractor)
        if case.call is _new_permit_then_approve
        else case.call(client, town)
    )
    assert r.status_code == case.status.get(role, 200), (role, r.text[:300])
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith("application/problem+json")
    if r.status_code == 401:
        assert r.headers["www-authenticate"].startswith("Bearer")
    body = (
        r.text
        if "html" in r.headers.get("content-type", "")
        else json.dumps(r.json(), ensure_ascii=False)
    )
    shown = visible_units(role, case.owners_of)
    for unit in UNITS:
        for s in _strings(unit, case.addresses):
            assert (s in body) == (unit in shown), (role, case.name, unit, s)
        assert case.addresses or UNITS[unit][4] not in body
    assert (APPLICANT_NAME in body) == (role in case.applicant_for), (role, case.name)
    new = _audit_rows(engine)[len(before) :]
    if shown:  # exactly one row, naming exactly the units shown, the reader and the endpoint
        assert len(new) == 1, new
        assert new[0]["property_ids"] == sorted(shown)
        assert new[0]["user_email"] == client.get("/api/v1/auth/me").json()["email"]
        assert new[0]["endpoint"].split()[1].startswith("/api/v1/")
    else:
        assert new == [], (role, case.name, new)


def test_withheld_owners_keep_their_kind_and_public_owners_stay(client: Any, town: Town) -> None:
    doc = client.get(f"/api/v1/parcels/{SITE}/neighbours").json()
    by = {n["property_id"]: n for n in doc["neighbours"]}
    assert set(NEIGHBOURS) | {STREET} == set(by)  # the same units as an officer gets
    for pid in NEIGHBOURS:
        (owner,) = by[pid]["owners"]
        assert owner["kind"] == UNITS[pid][1]
        assert owner["name"] is None and owner["withheld"] is True
        assert owner["address"] is None and owner["contact_name"] is None
    street_owner = by[STREET]["owners"][0]
    assert street_owner == {
        **street_owner,
        "kind": "municipality",
        "name": "Helsinki",
        "withheld": False,
    }
    recipients = doc["totals"]["recipients"]
    assert {r["recipient"] for r in recipients if r["kind"] != "municipality"} == {None}
    assert doc["totals"]["letters"] == len(NEIGHBOURS) + 1  # counted as for the officer


def test_officer_of_091_sees_091_but_not_the_092_neighbour(officer_client: Any, town: Town) -> None:
    doc = officer_client.get(f"/api/v1/parcels/{SITE}/neighbours").json()
    by = {n["property_id"]: n for n in doc["neighbours"]}
    assert by["09195000010004"]["owners"][0]["contact_name"] == "Kaisa Kätkö"
    assert by["09295000010001"]["owners"][0] == {
        **by["09295000010001"]["owners"][0],
        "name": None,
        "withheld": True,
    }
    letters = {r["recipient"]: r for r in doc["totals"]["recipients"]}
    assert "Kätkön kuolinpesä (Kaisa Kätkö)" in letters and "Rauha Rajanaapuri" not in letters
