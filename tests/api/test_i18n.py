"""Server texts in Finnish, Swedish and English from the catalogues (issues 13 and 15)."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path
from typing import Any

import shapely
from babel.messages.pofile import read_po
from shapely.geometry import box, mapping
from sqlalchemy import text

from geo.crs import from_storage
from tests.api import casework as cw
from tests.conftest import fi_today, needs_nls

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "api" / "locale"
# English phrases of the server's texts: none may appear in a Finnish or Swedish response.
ENGLISH = (
    "Building ",
    "building ",
    "from the boundary",
    "required",
    "consent is needed",
    "shares a",
    "boundary with the site",
    "touches the site",
    "opposite across",
    "permit",
    "start meeting",
    "foreman",
    "setting-out",
    "not checked",
    "no plan data",
    "data within",
    "parcels at the site",
    "the dig",
    "state road",
    "apply at least",
    "letters",
    "dwelling",
    "site borders",
    "not an exception",
    "planning-need",
    "tariff",
    "the fee",
    "deviation",
    "outside detailed plans",
    "neighbours:",
    "heard by letter",
    "public notice",
    "letter fee",
)


def _catalogue(lang: str) -> dict[str, str]:
    with (LOCALE / f"{lang}.po").open("rb") as f:
        return {str(m.id): str(m.string) for m in read_po(f) if m.id}


def _fields(s: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(s) if name}


def test_every_key_in_every_language_with_the_same_fields() -> None:
    cats = {lang: _catalogue(lang) for lang in ("fi", "sv", "en")}
    keys = set(cats["en"])
    for lang, cat in cats.items():
        assert set(cat) == keys, (lang, keys ^ set(cat))
        empty = [k for k, v in cat.items() if not v.strip()]
        assert not empty, (lang, empty)
        for k in keys:
            assert _fields(cat[k]) == _fields(cats["en"][k]), (lang, k)


def test_every_key_the_code_uses_is_in_the_catalogues() -> None:
    used: set[str] = set()
    prefixes: set[str] = set()
    for path in [*ROOT.glob("geo/**/*.py"), *ROOT.glob("api/**/*.py")]:
        src = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'"key": "([a-z_]+\.[a-z_.]+)"', src))
        used |= set(re.findall(r'i18n\.text\(\s*\w+,\s*"([a-z_.]+)"', src))
        used |= set(re.findall(r'i18n\.error\(\s*[\w.]+,\s*"([a-z_.]+)"', src))
        # every literal naming an error or event text, wherever it is written (a conditional too)
        used |= set(re.findall(r'"((?:error|happened)\.[a-z_]+(?:\.[a-z_]+)*)"', src))
        prefixes |= set(re.findall(r'"key": f"([a-z_]+\.)\{', src))
    cat = _catalogue("en")
    assert used and not used - set(cat), used - set(cat)
    for p in prefixes:
        assert any(k.startswith(p) for k in cat), p


def _strings(obj: Any) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def _localized(doc: dict[str, Any]) -> list[str]:
    """The texts a response writes in its language (codes, sources and legal names aside)."""
    out = [f["message"] for f in doc.get("flags", [])]
    out += [f[k] for f in doc.get("flags", []) for k in ("reason", "decision_text") if f.get(k)]
    out += [e["reason"] for e in doc.get("exemptions", [])]
    out += [n["note"] for n in doc.get("near_misses", []) if n.get("note")]
    out += [f["message"] for f in doc.get("findings", [])]
    out += [n["reason"] for n in doc.get("neighbours", [])]
    out += [a["reason"] for a in doc.get("authorities", [])]
    fees = doc.get("fees") or doc.get("fee") or {}
    parts = fees.get("lines", []) + fees.get("not_configured", [])
    out += [x[k] for x in parts for k in ("item", "note") if x.get(k)]
    out += [fees["note"]] if fees.get("note") else []
    out += [c["reason"] for c in doc.get("coverage", {}).values()]
    hearing = doc.get("hearing") or doc.get("totals") or {}
    out += [hearing[k] for k in ("hearing_cost_note", "public_notice_reason") if hearing.get(k)]
    out += [n["message"] for n in doc.get("not_checked", [])]
    return out


def _no_english(texts: list[str]) -> None:
    assert texts
    for t in texts:
        hits = [p for p in ENGLISH if p in t]
        assert not hits, (t, hits)


@needs_nls
def test_analysis_and_neighbours_in_finnish_and_swedish(client: Any, nls: Any) -> None:
    with nls.connect() as conn:
        pid, wkb = conn.execute(
            text(
                "SELECT property_id, ST_AsBinary(geom) FROM property_unit WHERE municipality='091'"
                " AND kind='private' AND ST_Area(geom) BETWEEN 600 AND 2000"
                " AND ST_NumGeometries(geom) = 1 ORDER BY property_id LIMIT 1"
            )
        ).one()
    site = shapely.from_wkb(bytes(wkb))
    minx, miny, _, _ = site.bounds
    # A house whose corner lies about 1.49 m inside the lot's boundary, found with shapely.
    c = site.centroid
    house = box(c.x - 4, c.y - 4, c.x + 4, c.y + 4)
    measured = house.distance(site.boundary)
    body = {
        "property_id": pid,
        "buildings": [{"footprint": mapping(from_storage(house, 4326)), "use": "dwelling"}],
    }
    docs = {}
    for lang in ("fi", "sv", "en"):
        r = client.post("/api/v1/analysis/site", json=body, params={"lang": lang})
        assert r.status_code == 200, r.text
        docs[lang] = r.json()
    for lang in ("fi", "sv"):
        _no_english(_localized(docs[lang]))
    en = _localized(docs["en"])
    assert any("building permit, building 1" in t for t in en)
    consent = [f for f in docs["fi"]["flags"] if f["code"] == "neighbour_consent_needed"]
    if consent:  # a house closer than 4 m: the distance in Finnish format, building numbered 1
        assert f"Rakennus 1 on {measured:.2f}".replace(".", ",") in consent[0]["message"]
    sv = client.get(
        f"/api/v1/parcels/{pid}/neighbours", headers={"Accept-Language": "sv-FI,sv;q=0.9"}
    )
    fi = client.get(f"/api/v1/parcels/{pid}/neighbours", params={"lang": "fi"})
    for doc in (sv.json(), fi.json()):
        _no_english(
            [n["reason"] for n in doc["neighbours"]] + [a["reason"] for a in doc["authorities"]]
        )
    edge = next(n for n in sv.json()["neighbours"] if n["reason_code"] == "edge")
    assert edge["reason"].startswith("har ") and "," in edge["reason"]


@needs_nls
def test_a_public_notice_cites_the_filing_dates_law(client: Any, nls: Any) -> None:
    """Over ten neighbours: MRA 65 § for a case filed in 2024, RakL 63 § from 1.1.2025, each
    in the language's words (MBF, bygglagen in Swedish; the acts' names in English)."""
    with nls.connect() as conn:
        c = shapely.from_wkb(
            bytes(
                conn.execute(
                    text(
                        "SELECT ST_AsBinary(ST_Centroid(ST_Collect(geom))) FROM property_unit"
                        " WHERE municipality='091' AND kind='private'"
                    )
                ).scalar_one()
            )
        )
    # a block-sized drawing: shapely says how many units it reaches
    block = box(c.x - 60, c.y - 60, c.x + 60, c.y + 60)
    site = mapping(from_storage(block, 4326))
    # each language cites the act in its own words (a Swedish officer cites MBF and bygglagen)
    cited = {
        ("2024-12-31", "fi"): "MRA 65 §",
        ("2024-12-31", "sv"): "MBF 65 §",
        ("2024-12-31", "en"): "Land Use and Building Decree 65 §",
        ("2025-01-02", "fi"): "RakL 63 §",
        ("2025-01-02", "sv"): "bygglagen 63 §",
        ("2025-01-02", "en"): "Building Act 63 §",
    }
    for day in ("2024-12-31", "2025-01-02"):
        for lang, word in (("fi", "kuulutus"), ("sv", "kungörelse"), ("en", "public notice")):
            basis = cited[(day, lang)]
            r = client.post(
                "/api/v1/neighbours",
                json={"site": site, "municipality": "091", "date": day},
                params={"lang": lang},
            )
            assert r.status_code == 200, r.text
            totals = r.json()["totals"]
            assert totals["neighbours"] > 10 and totals["public_notice_allowed"], totals
            reason = totals["public_notice_reason"]
            assert word in reason and reason.endswith(f"({basis})"), (day, lang, reason)


def test_dig_findings_in_finnish_and_swedish(client: Any, dig: Any) -> None:
    start = fi_today() + dt.timedelta(days=1)  # too soon: a lead-time finding
    body = {
        "municipality": "244",
        "kind": "excavation",
        "phases": [
            {
                "areas": [dig],
                "start": start.isoformat(),
                "end": start.isoformat(),
                "on_carriageway": True,
            }
        ],
    }
    for lang in ("fi", "sv"):
        doc = client.post("/api/v1/excavations/check", json=body, params={"lang": lang}).json()
        assert {"lead_time", "traffic_plan_missing"} <= {f["code"] for f in doc["findings"]}
        _no_english(_localized(doc))
    en = client.post("/api/v1/excavations/check", json=body).json()
    assert any(f["message"].startswith("apply at least") for f in en["findings"])


def test_accept_language_picks_the_language(client: Any, dig: Any) -> None:
    start = fi_today() + dt.timedelta(days=1)
    body = {
        "municipality": "244",
        "kind": "excavation",
        "phases": [{"areas": [dig], "start": start.isoformat(), "end": start.isoformat()}],
    }
    for header, lang in (("sv-FI, fi;q=0.5", "sv"), ("de, fi;q=0.3", "fi"), ("de", "en")):
        doc = client.post(
            "/api/v1/excavations/check", json=body, headers={"Accept-Language": header}
        ).json()
        assert doc["lang"] == lang, header
    r = client.post("/api/v1/excavations/check", json=body, params={"lang": "de"})
    assert r.status_code == 422


def test_planning_need_case_reasons_decisions_and_fee_notes(
    client: Any, demo: Any, engine: Any
) -> None:
    pid, plot = cw.planning_need_plot(engine)
    c = plot.centroid
    house = mapping(from_storage(box(c.x - 4, c.y - 4, c.x + 4, c.y + 4), 4326))
    b = [{"footprint": house, "use": "dwelling", "floor_area_m2": 64, "height_m": 4}]
    for municipality in ("244", "285"):  # no tariff (notes), Kotka's tariff (lines, notes)
        body = {"property_id": pid, "buildings": b, "municipality": municipality}
        docs = {
            lang: client.post("/api/v1/analysis/site", json=body, params={"lang": lang}).json()
            for lang in ("fi", "sv", "en")
        }
        f = next(x for x in docs["sv"]["flags"] if x["code"] == "planning_need_area")
        assert "byggnad 1 (bostadshus, 64 m²) är inget undantag" in f["reason"]
        en = next(x for x in docs["en"]["flags"] if x["code"] == "planning_need_area")
        assert "building 1 (dwelling, 64 m²) is not an exception" in en["reason"]
        for lang in ("fi", "sv"):
            _no_english(_localized(docs[lang]))


def test_the_web_catalogues_have_every_key_in_every_language() -> None:
    import json

    cats = {
        lang: json.loads((ROOT / "web" / "static" / "i18n" / f"{lang}.json").read_text("utf-8"))
        for lang in ("fi", "sv", "en")
    }
    for lang, cat in cats.items():
        assert set(cat) == set(cats["en"]), (lang, set(cat) ^ set(cats["en"]))
        assert all(isinstance(v, str) and v.strip() for v in cat.values()), lang


def test_error_details_in_the_chosen_language(client: Any) -> None:
    metres = {
        "type": "Polygon",
        "coordinates": [
            [[386000, 6675000], [386020, 6675000], [386020, 6675020], [386000, 6675000]]
        ],
    }
    for lang, words in (
        ("fi", "eivät ole pituus- ja leveysasteita"),
        ("sv", "är inte longitud och latitud"),
        ("en", "are not longitude/latitude"),
    ):
        r = client.post("/api/v1/neighbours", json={"site": metres}, params={"lang": lang})
        assert r.status_code == 422 and words in r.json()["detail"], r.json()
        assert "EPSG:3067" in r.json()["detail"]
    r = client.get("/api/v1/parcels/91-22-999-999/neighbours", headers={"Accept-Language": "fi"})
    assert (
        r.status_code == 404
        and r.json()["detail"] == "kiinteistöä 91-22-999-999 ei ole aineistossa"
    )


def test_an_error_carries_its_detail_in_every_language_for_a_switch(client: Any) -> None:
    """Stop 55's walkthrough: an error on screen stayed in the language it was asked in after the
    page switched. A problem now carries its detail in fi, sv and en (`detail_i18n`), each the
    very text a request in that language gets; a domain error and a request's validation alike."""
    metres = {
        "type": "Polygon",
        "coordinates": [
            [[386000, 6675000], [386020, 6675000], [386020, 6675020], [386000, 6675000]]
        ],
    }
    bad_day = {"municipality": "091", "kind": "excavation", "phases": [{"start": "x"}]}
    for url, body in (
        ("/api/v1/neighbours", {"site": metres}),
        ("/api/v1/excavations/check", bad_day),
    ):
        first = client.post(url, json=body, params={"lang": "fi"}).json()
        assert set(first["detail_i18n"]) == {"fi", "sv", "en"}, first
        for lang in ("fi", "sv", "en"):
            asked = client.post(url, json=body, params={"lang": lang}).json()
            assert asked["detail"] == first["detail_i18n"][lang], (url, lang, asked)
        assert len(set(first["detail_i18n"].values())) == 3  # three texts, not one thrice
    # the catalogues' own words (as the test above them reads them in each language)
    assert "är inte longitud och latitud" in first_of_neighbours(client, metres)["sv"]
    assert "ei ole päivämäärä (VVVV-KK-PP)" in first["detail_i18n"]["fi"]


def first_of_neighbours(client: Any, site: dict[str, Any]) -> dict[str, str]:
    """A neighbour list's 422 for `site`, its detail in each language."""
    r = client.post("/api/v1/neighbours", json={"site": site}, params={"lang": "en"})
    return dict(r.json()["detail_i18n"])


def test_request_validation_errors_in_the_chosen_language(client: Any) -> None:
    """Stop 54's walkthrough: an empty date or one years ahead was refused in Pydantic's English
    on a Finnish or Swedish page. The text is the request's language; the field names stay."""
    from api import finland

    far = finland.today().replace(day=1) + dt.timedelta(days=366 * 6)
    square = [[[24.9, 60.2], [24.90005, 60.2], [24.90005, 60.20005], [24.9, 60.2]]]
    phase = {
        "areas": [{"type": "Polygon", "coordinates": square}],
        "start": "",
        "end": "2027-01-05",
    }
    body = {"municipality": "091", "kind": "excavation", "phases": [phase]}
    said = {
        "fi": ("body.phases.0.start: ei ole päivämäärä (VVVV-KK-PP)", "vuoden päässä"),
        "sv": ("body.phases.0.start: är inget datum (ÅÅÅÅ-MM-DD)", "år framåt"),
        "en": ("body.phases.0.start: Input should be a valid date", "years ahead"),
    }
    for lang, (empty, ahead) in said.items():
        r = client.post("/api/v1/excavations/check", json=body, params={"lang": lang})
        assert r.status_code == 422 and r.json()["detail"].startswith(empty), (lang, r.json())
        assert r.headers["content-type"].startswith("application/problem+json")
        late = {**body, "phases": [{**phase, "start": str(far), "end": str(far)}]}
        r = client.post("/api/v1/excavations/check", json=late, headers={"Accept-Language": lang})
        detail = r.json()["detail"]
        assert r.status_code == 422 and ahead in detail, (lang, detail)
        day = f"{far.day}.{far.month}.{far.year}" if lang != "en" else str(far)
        assert day in detail, (lang, detail)
    # a text too long, in Swedish, with its bound
    r = client.post("/api/v1/excavations/check?lang=sv", json={**body, "applicant": "x" * 201})
    assert r.status_code == 422
    assert "body.applicant: högst 200 tecken" in r.json()["detail"], r.json()


def test_a_choice_of_values_is_listed_in_the_language(applicant_client: Any) -> None:
    """Pydantic lists a Literal's values with an English "or": said in the request's language."""
    for lang, word in (("fi", " tai "), ("sv", " eller "), ("en", " or ")):
        r = applicant_client.post(f"/api/v1/applications?lang={lang}", json={"kind": "shed"})
        assert r.status_code == 422, r.text
        msg = next(e["msg"] for e in r.json()["errors"] if e["loc"][-1] == "kind")
        assert "'building_permit'" in msg and word in msg, (lang, msg)
        assert lang == "en" or " or " not in msg, (lang, msg)


def test_a_case_names_its_municipality_in_the_language(
    applicant_client: Any, nls: Any, engine: Any
) -> None:
    """Stop 55's walkthrough: the Swedish case header said "Helsinki". The names are the rule
    file's own (`name`, `name_sv`), read here with tomllib."""
    import tomllib

    names = tomllib.loads(Path("api/rulesets/091.toml").read_text(encoding="utf-8"))
    assert names["name"] != names["name_sv"]  # else this test could not fail
    r = applicant_client.post(
        "/api/v1/applications?lang=sv",
        json={"kind": "deviation", "property_id": "91-22-697-18", "description": "Katos"},
    )
    assert r.status_code == 201, r.text
    app_id = r.json()["id"]
    try:
        assert r.json()["municipality_name"] == names["name_sv"]
        url = f"/api/v1/applications/{app_id}"
        for lang, name in (("sv", names["name_sv"]), ("fi", names["name"]), ("en", names["name"])):
            assert applicant_client.get(f"{url}?lang={lang}").json()["municipality_name"] == name
        patched = applicant_client.patch(
            f"{url}?lang=sv",
            json={"version": cw.version(applicant_client, app_id), "heard_by": "applicant"},
        )
        assert (
            patched.status_code == 200 and patched.json()["municipality_name"] == names["name_sv"]
        )
    finally:
        cw.delete_application(engine, app_id)
